# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""A pair's journey in chromium at 390 px and 1280 px: agree goals, say how they moved, answer the pulse, read it.

Outside requests are blocked; every page passes axe-core with no serious or
critical violation and never scrolls sideways at 390 px (the navbar
included); screenshots at both widths go to ``test-artifacts/``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser import axe_source, screenshot, serious_violations, sideways, sign_in
from engine_support import drain
from feedback_support import engine_checkins, pair_with_two_logins
from organisation import PASSWORD
from selfservice_support import MONDAY
from smtp_capture import mailbox  # noqa: F401 - fixture

from tandem.plugin.views.selfservice import SelfServiceView
from tandem.workflows.delivery import claim_due_notifications, deliver

pytestmark = pytest.mark.browser

GOAL = "Ship a first change to production on my own"


def deliver_due(app, clock) -> None:
    with app.app_context():
        session = app.appbuilder.session
        deliver(session, claim_due_notifications(session, clock, limit=1000), clock)
        session.remove()


def move_to(app, clock, days: float) -> None:
    """The clock moves (a day at a time, the engine and delivery running): nobody sleeps."""
    while clock.now() < MONDAY + timedelta(days=days):
        clock.advance(min(timedelta(days=1), MONDAY + timedelta(days=days) - clock.now()))
        drain(app, clock)
        deliver_due(app, clock)


def check(page, source: str, name: str, problems: list[str]) -> None:
    """axe-core, sideways scroll and a screenshot of the page as it is, at both widths."""
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        scroll, client = sideways(page)
        if scroll > client:
            problems.append(f"{width}px {name}: scrolls sideways ({scroll} > {client})")
        problems.extend(f"{width}px {name}: {v}" for v in serious_violations(page, source))
        screenshot(page, f"goals-{name}-{width}")
    page.set_viewport_size({"width": 390, "height": 900})


def test_a_pair_agrees_goals_revisits_them_answers_the_pulse_and_reads_the_inbox(
    app, live_server, page, monkeypatch, mailbox
):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]  # the pulse goes out by real SMTP too
    org, clock = pair_with_two_logins(app)
    monkeypatch.setattr(SelfServiceView, "clock", lambda view: clock)
    source = axe_source()
    problems: list[str] = []
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, live_server, "staff", PASSWORD)

    # Check-in 1: how it went, and the goals we agree on.
    page.goto(f"{live_server.url}/tandem/check-ins/")
    page.locator("a[href^='/tandem/check-ins/']", has_text="Check-in 1").first.click()
    page.get_by_label("4", exact=True).first.check()
    page.get_by_label("Goal 1").fill(GOAL)
    page.get_by_label("Goal 2").fill("Learn the deploy pipeline")
    page.get_by_role("button", name="Send my answer").click()
    assert "your answer is recorded" in page.locator(".alert").first.inner_text()
    assert page.get_by_label("Goal 1").input_value() == GOAL
    check(page, source, "first-check-in", problems)

    # A week on, check-in 2 asks how each goal moved.
    move_to(app, clock, 15.1)
    second = engine_checkins(app, org.people["dev1"])[0]
    page.goto(f"{live_server.url}/tandem/check-ins/{second}")
    page.get_by_label("5", exact=True).first.check()
    page.locator("input[name=goal_progress_1][value=moving]").check()
    page.locator("input[name=goal_progress_2][value=done]").check()
    page.get_by_role("button", name="Send my answer").click()
    assert "your answer is recorded" in page.locator(".alert").first.inner_text()
    check(page, source, "later-check-in", problems)

    # Day 30: the pulse arrives; an empty answer is a kind form error, then it is answered.
    move_to(app, clock, 30.2)
    page.goto(f"{live_server.url}/tandem/timeline/")
    assert f"{GOAL} — moving" in page.inner_text("body")
    assert page.locator("#tandem-surveys-waiting").is_visible()
    check(page, source, "timeline", problems)
    page.locator("#tandem-surveys-waiting a").click()
    page.get_by_role("button", name="Send my answers").click()
    error = page.locator(".tandem-survey .alert-danger")
    assert "Choose an answer from 1 to 5" in error.inner_text()
    check(page, source, "pulse-error", problems)
    for name, value in (("useful", "4"), ("time_to_meet", "3"), ("progress", "5")):
        page.locator(f"input[name={name}][value='{value}']").check()
    page.get_by_role("button", name="Send my answers").click()
    assert "your answers to the 30-day pulse are recorded" in page.locator(".alert").first.inner_text()
    assert page.locator("#tandem-no-surveys").is_visible()

    # The inbox holds the pulse; its message opens to its text and link.
    page.goto(f"{live_server.url}/tandem/inbox/")
    page.locator("#tandem-inbox a", has_text="A month in").first.click()
    links = page.locator("#tandem-message-links a")
    links.first.wait_for(state="visible")
    assert "/tandem/feedback/" in links.first.get_attribute("href")
    assert "never with your name" in page.locator("#tandem-message-text").inner_text()
    check(page, source, "inbox-message", problems)
    page.goto(f"{live_server.url}/tandem/inbox/")
    check(page, source, "inbox", problems)

    # The phone's navbar opens by keyboard and reaches My feedback, without sideways scroll.
    page.set_viewport_size({"width": 390, "height": 900})
    toggle = page.locator("button.navbar-toggle")
    toggle.focus()
    page.keyboard.press("Enter")
    page.locator("a.dropdown-toggle", has_text="Me").first.wait_for(state="visible")
    assert toggle.get_attribute("aria-expanded") == "true"
    scroll, client = sideways(page)
    assert scroll <= client, f"the open navbar scrolls sideways ({scroll} > {client})"
    screenshot(page, "goals-navbar-open-390")

    # HR reads the programme's results: counts and averages only, no goal text.
    page.goto(f"{live_server.url}/logout/")
    sign_in(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/feedback/")
    page.locator("#tandem-feedback-programmes a", has_text="Onboarding buddies").click()
    body = page.inner_text("body")
    assert "30-day pulse" in body and "fewer than 5" in body and GOAL not in body
    check(page, source, "hr-results", problems)

    assert problems == [], "\n".join(problems)
    assert page.blocked == []
