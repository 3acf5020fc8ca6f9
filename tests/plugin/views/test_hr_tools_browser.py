"""HR's tools in chromium at 1280 px: the directory import, a message written as plain text, a workflow in words.

Each page names itself in its title and passes axe-core with no serious or
critical violation; screenshots of each stage go to ``test-artifacts/``.
"""

from __future__ import annotations

import re

import pytest
from browser import axe_source, screenshot, serious_violations, sideways, sign_in
from organisation import PASSWORD, build
from playwright.sync_api import expect
from sqlalchemy import func, select

from tandem.plugin.models import NotificationTemplate, Person, WorkflowDefinition

pytestmark = pytest.mark.browser

HEADER = "employee_id,name,email,department,location,timezone,manager_id,status"
NEWCOMERS = [f"N{n},Newcomer {n},newcomer{n}@example.org,Support,Lisbon,Europe/Lisbon,E2," for n in range(1, 3001)]
BROKEN = [
    HEADER,
    "N1,Nova,nova@example.org,Support,Lisbon,Mars/Olympus,E2,",
    "E6,Dev3,dev3@example.org,,,Europe/Berlin,E404,left",
]
FIXED = [HEADER, "E6,Dev3,dev3@example.org,,,Europe/Berlin,E2,left", *NEWCOMERS]


def csv_file(lines: list[str]) -> dict:
    return {"name": "people.csv", "mimeType": "text/csv", "buffer": ("\n".join(lines) + "\n").encode()}


def check_page(page, title: str, problems: list[str], source: str) -> None:
    if page.title() != f"{title} — Tandem":
        problems.append(f"{page.url}: title {page.title()!r}, expected {title!r}")
    problems.extend(f"{page.url}: {violation}" for violation in serious_violations(page, source))
    scroll, client = sideways(page)
    if scroll > client:
        problems.append(f"{page.url}: scrolls sideways ({scroll} > {client})")


def test_hr_imports_the_directory_writes_a_message_in_plain_text_and_reads_a_workflow_in_words(app, live_server, page):
    build(app)
    source = axe_source()
    problems: list[str] = []
    sign_in(page, live_server, "hr", PASSWORD)

    # Import: a file with errors, every one in a table; the fixed file, its summary; confirm; the outcome.
    page.goto(f"{live_server.url}/")
    page.click("a.dropdown-toggle:has-text('People')")
    page.click(".dropdown-menu a:has-text('Import people')")
    check_page(page, "Import people", problems, source)
    page.set_input_files("input[name=file]", csv_file(BROKEN))
    page.click("input[name=check]")
    page.locator("#tandem-import-errors").wait_for()
    errors = page.locator("#tandem-import-errors tbody tr")
    assert errors.count() == 2
    assert errors.nth(0).inner_text().split("\t")[:2] == ["2", "timezone"]
    assert "'E404' is neither in the file nor in the directory" in errors.nth(1).inner_text()
    check_page(page, "Import people", problems, source)
    screenshot(page, "hr-import-errors")
    page.set_input_files("input[name=file]", csv_file(FIXED))
    page.click("input[name=check]")
    page.locator("#tandem-import-summary").wait_for()
    summary = page.locator("#tandem-import-summary")
    assert summary.locator(".tandem-import-new .tandem-count").inner_text() == "3000"
    assert summary.locator(".tandem-import-leaving .tandem-count").inner_text() == "1"
    assert "Newcomer 1 (row 3)" in summary.locator(".tandem-import-new").inner_text()
    check_page(page, "Import people", problems, source)
    screenshot(page, "hr-import-summary")
    with app.app_context():
        assert app.appbuilder.session.scalar(select(func.count(Person.id))) == 9, "nothing written before confirming"
    page.click("input[type=submit][value='Import now']")
    page.locator("#tandem-import-progress, #tandem-import-done").first.wait_for()
    if page.locator("#tandem-import-progress").count():  # still running when the page came: the bar
        screenshot(page, "hr-import-progress")
    page.locator("#tandem-import-done").wait_for()
    assert "3000 new, 1 updated, 0 unchanged" in page.locator("#tandem-import-done").inner_text()
    check_page(page, "Import people", problems, source)
    screenshot(page, "hr-import-done")
    with app.app_context():
        assert app.appbuilder.session.scalar(select(func.count(Person.id))) == 3009

    # A message as plain text: live preview from the sandbox, a variable put in by choosing it, saved.
    page.goto(f"{live_server.url}/mentoring/notification-templates/")
    check_page(page, "Notification templates", problems, source)
    page.click("a:has-text('Onboarding wrap up')")
    page.locator("#tandem-template-form").wait_for()
    page.check("input[name=mode][value=plain]")
    assert page.locator("#message").is_visible() and not page.locator("#html").is_visible()
    page.fill("#message", "Hello ,\n\nsix weeks already. Tell us how it went: https://intranet.example/survey")
    page.locator("#message").evaluate("field => field.setSelectionRange(6, 6)")
    page.click("button[data-insert='{{ person.first_name }}']")
    page.locator("#tandem-preview-text", has_text="Hello Ada,").wait_for()
    html = page.frame_locator("#tandem-preview-html")
    assert html.locator("a[href='https://intranet.example/survey']").inner_text() == "https://intranet.example/survey"
    assert "six weeks already" in html.locator("p").nth(1).inner_text()
    check_page(page, "Edit notification template: Onboarding wrap up", problems, source)
    screenshot(page, "hr-template-plain-text")
    page.click("input[name=save]")
    page.locator(".alert", has_text="version 1 saved").wait_for()
    with app.app_context():
        row = app.appbuilder.session.scalars(select(NotificationTemplate)).one()
        assert row.text.startswith("Hello {{ person.first_name }},\n\nsix weeks already.")

    # A workflow: the list links to its page and its editor; steps in words; a preview for a person by name.
    page.goto(f"{live_server.url}/mentoring/workflows/list/")
    with app.app_context():
        pk = app.appbuilder.session.scalar(
            select(WorkflowDefinition.id).where(WorkflowDefinition.name == "onboarding-buddy")
        )
    page.goto(f"{live_server.url}/mentoring/workflows/show/{pk}")
    check_page(page, "Workflow Onboarding buddy, version 1", problems, source)
    steps = page.locator("ol.tandem-steps li")
    assert steps.nth(0).inner_text() == "Finds a buddy for the newcomer, within 3 business days."
    assert page.locator("pre.tandem-source").inner_text().count("\n      ") >= 5, "the YAML keeps its indentation"
    assert page.locator("table.tandem-timeline tbody tr").count() > 6
    screenshot(page, "hr-workflow-page")
    page.click("a.tandem-editor-link")
    page.wait_for_url("**/workflow-editor/onboarding-buddy")
    page.locator("#person").press_sequentially("sales", delay=30)
    expect(page.locator("#tandem-people option")).to_have_count(2)
    page.fill("#person", "Sales1 — sales1@example.org")
    page.fill("input[name=start]", "2026-11-23")
    page.click("input[name=preview]")
    page.locator("#tandem-timeline-title").wait_for()
    assert page.locator("#tandem-timeline-title").inner_text().startswith("Preview for Sales1")
    assert re.search(r"Check-in prompt → Sales1 \(newcomer\)", page.locator("table.tandem-timeline").inner_text())
    check_page(page, "Edit workflow Onboarding buddy", problems, source)
    screenshot(page, "hr-workflow-editor-preview")

    assert problems == [], "\n".join(problems)
    assert page.blocked == []
