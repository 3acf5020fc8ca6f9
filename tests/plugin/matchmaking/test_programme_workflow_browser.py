"""In a browser (Debian's chromium): HR creates a programme, chooses its workflow from the list, enrols five
people, matches, publishes, and the introductions arrive at a real SMTP server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from browser import screenshot, sign_in
from engine_support import drain
from organisation import PASSWORD, build
from smtp_capture import mailbox  # noqa: F401 - a fixture
from sqlalchemy import select

from tandem.plugin.models import Pairing, Person, Programme, WorkflowInstance
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver

pytestmark = pytest.mark.browser
MONDAY = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FIVE = {  # name: (role, department, skills/goals)
    "Amara Okafor": ("mentee", "Engineering", ["python"]),
    "Bruno Costa": ("mentee", "Sales", ["negotiation"]),
    "Chen Wei": ("mentor", "Finance", ["python"]),
    "Dana Levi": ("mentor", "People", ["negotiation"]),
    "Emil Berg": ("mentor", "Design", ["python", "negotiation"]),
}


def five_people(app) -> None:
    with app.app_context():
        session = app.appbuilder.session
        for number, (name, (role, department, words)) in enumerate(FIVE.items(), start=1):
            session.add(
                Person(
                    employee_id=f"F{number}",
                    full_name=name,
                    email=f"f{number}@example.org",
                    timezone="Europe/London",
                    country="GB",
                    department=department,
                    seniority=2 if role == "mentee" else 7,
                    skills=[] if role == "mentee" else words,
                    languages=["en"],
                    hire_date=date(2018, 1, 1),
                )
            )
        session.commit()


def choose(page, field: str, label: str) -> None:
    """Pick ``label`` in a form's select box (FAB dresses them with select2; the select underneath decides)."""
    page.locator(f"select#{field}").select_option(label=label, force=True)


def find_person(page, field: str, name: str) -> None:
    """Type ``name`` into a person picker (it searches the directory as HR types) and choose the result."""
    page.click(f"select#{field} + span.select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").fill(name)
    page.locator(f".select2-results__option:has-text('{name} — ')").first.click()


def test_hr_creates_a_programme_in_the_browser_and_its_published_pairs_are_introduced_by_mail(
    app,
    live_server,
    page,
    mailbox,  # noqa: F811
):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    build(app)
    five_people(app)
    sign_in(page, live_server, "hr", PASSWORD)
    page.goto(f"{live_server.url}/mentoring/programmes/add")
    page.fill("#name", "Spring cohort")
    page.fill("#slug", "spring-cohort")
    page.fill("#description", "Mentoring for the spring's new team leads.")
    choose(page, "kind", "mentoring")
    choose(page, "status", "active")
    options = page.locator("select#workflow option").all_inner_texts()
    assert any(o.startswith("Mentoring cohort (mentoring-cohort)") for o in options), options
    chosen = next(o for o in options if "(mentoring-cohort)" in o)
    choose(page, "workflow", chosen)
    screenshot(page, "programme-add-with-workflow")
    page.click("form button[type=submit], form input[type=submit]")
    page.wait_for_load_state("networkidle")
    with app.app_context():
        programme = app.appbuilder.session.scalars(select(Programme).where(Programme.slug == "spring-cohort")).one()
        assert programme.workflow == "mentoring-cohort"
        programme_id = programme.id
    for name, (role, *_) in FIVE.items():
        page.goto(f"{live_server.url}/mentoring/enrolments/add")
        choose(page, "programme", "Spring cohort")
        find_person(page, "person", name)  # the picker shows each person's e-mail and team beside the name
        choose(page, "role", role)
        choose(page, "status", "active")
        page.click("form button[type=submit], form input[type=submit]")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/mentoring/matching/")
    page.locator("#programme-spring-cohort button[name=run]").click()
    page.wait_for_selector("#run-status")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#accept-all")
    page.wait_for_load_state("networkidle")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish")
    page.wait_for_selector("#run-status:has-text('published')")
    assert page.blocked == [], f"the page tried to load from outside: {page.blocked}"
    clock = FrozenClock(MONDAY)
    drain(app, clock)
    with app.app_context():
        session = app.appbuilder.session
        pairings = session.scalars(select(Pairing).where(Pairing.programme_id == programme_id)).all()
        assert len(pairings) == 2 and {p.status for p in pairings} == {"active"}
        assert {r.programme_id for r in session.scalars(select(WorkflowInstance))} == {programme_id}
        paired = sorted(person.email for p in pairings for person in (p.mentee, p.mentor))
        deliver(session, claim_due_notifications(session, clock), clock)
        session.remove()
    introductions = [m for m in mailbox[1].messages if m["Subject"].startswith("Your mentoring pair")]
    assert sorted(m["To"].addresses[0].addr_spec for m in introductions) == paired
