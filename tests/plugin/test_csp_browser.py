"""The Content-Security-Policy in a real browser (Debian's chromium): the key pages break no rule and still work.

Chromium reports every script, style or frame the policy refuses as a console
error and a ``securitypolicyviolation`` event; both are collected on every page.
"""

from __future__ import annotations

from typing import Any

import pytest
from browser import sign_in
from organisation import PASSWORD, build

from tandem.plugin.models import Notification

pytestmark = pytest.mark.browser

WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


class Watch:
    """The console errors, uncaught exceptions and policy violations of one browser page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.add_init_script(WATCH_VIOLATIONS)
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def visit(self, url: str) -> None:
        """Open ``url`` and wait until it has settled."""
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")

    def problems(self) -> list[str]:
        """What went wrong on the current page so far."""
        return self.errors + self.page.evaluate("window.__violations || []")


def test_the_key_pages_run_under_the_policy_without_a_violation_and_their_scripts_work(app, live_server, page):
    org = build(app)
    with app.app_context():
        app.appbuilder.session.add(
            Notification(
                recipient_id=org.people["dev1"], channel="in_app", template="checkin/prompt", idempotency_key="bell"
            )
        )
        app.appbuilder.session.commit()
    url = live_server.url
    watch = Watch(page)

    watch.visit(f"{url}/login/")
    assert watch.problems() == [], "the login page"
    sign_in(page, live_server, "hr", PASSWORD)
    assert "/login" not in page.url and watch.problems() == [], "HR's home page"

    watch.visit(f"{url}/mentoring/people/list/")
    page.click("a.accordion-toggle:has-text('Search')")  # bootstrap.js (a file) opens the search panel
    page.click("text=Add Filter")
    page.locator("#filter_form a.filter").first.click()
    assert page.locator("#filter_form table.filters tr").count() == 1, "FAB's search filters (a nonce'd script) work"
    assert watch.problems() == [], "a list page"

    watch.visit(f"{url}/mentoring/workflow-editor/")
    assert page.locator("textarea").count() >= 1
    assert watch.problems() == [], "the workflow editor"

    watch.visit(f"{url}/mentoring/reports/programmes")
    page.wait_for_selector("[data-drawn=true] svg rect")
    assert watch.problems() == [], "the report with its charts"

    page.context.clear_cookies()
    sign_in(page, live_server, "staff", PASSWORD)
    # the in-app message and the fixture's e-mail: the rows the inbox highlights
    assert page.locator("#tandem-unread").inner_text() == "2", "the bell shows the unread count"

    watch.visit(f"{url}/tandem/mentoring/")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("#tandem-enrolments button:has-text('Opt out')").first.click()
    page.wait_for_load_state("networkidle")
    assert asked == ["Leave Mentoring? Its prompts stop and your pairing there closes."], "the confirm still asks"
    assert page.locator("#tandem-enrolments button:has-text('Opt out')").count() == 1, "and 'no' keeps the enrolment"
    assert watch.problems() == [], "My mentoring"

    for path in ["/tandem/check-ins/", "/tandem/inbox/", "/tandem/timeline/"]:
        watch.visit(f"{url}{path}")
        assert watch.problems() == [], path
    assert page.blocked == [], f"a page tried to load from outside: {page.blocked}"

    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
        "document.body.appendChild(s); }"
    )
    assert page.evaluate("window.ran") is None, "an injected inline script does not run"
    assert any("script-src" in problem for problem in watch.problems()), "and the watch sees the refusal"
