"""In chromium, as a new HR user: from "Today" through the menus to a new programme for one department, its
matching settings, inviting the department and its mentors, matching, launching, to the invitations,
introductions and first check-in prompts arriving at a real SMTP server — no URL typed after signing in.

Every new HR page is checked on the way: a title naming it, and no serious or critical axe-core violation.
Screenshots of each stage are saved under ``test-artifacts/``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from browser import screenshot, serious_violations, sign_in
from engine_support import drain
from organisation import PASSWORD, build
from smtp_capture import mailbox  # noqa: F401 - a fixture
from sqlalchemy import select

from tandem.plugin.models import Enrolment, Pairing, Person, Programme
from tandem.workflows.clock import FrozenClock
from tandem.workflows.delivery import claim_due_notifications, deliver

pytestmark = pytest.mark.browser
ENGINEERS = {"Amara Okafor": ["python"], "Bruno Costa": ["sql"], "Chen Wei": ["design"]}
MENTORS = {"Dana Levi": ["python", "sql"], "Emil Berg": ["design", "python"]}


def people(app) -> None:
    with app.app_context():
        session = app.appbuilder.session
        everyone = [(n, "Engineering", w, 2) for n, w in ENGINEERS.items()]
        everyone += [(n, "Finance", w, 8) for n, w in MENTORS.items()]
        for number, (name, department, skills, seniority) in enumerate(everyone, start=1):
            session.add(
                Person(
                    employee_id=f"P{number}",
                    full_name=name,
                    email=f"p{number}@example.org",
                    timezone="Europe/London",
                    country="GB",
                    department=department,
                    seniority=seniority,
                    skills=skills,
                    languages=["en"],
                    hire_date=date(2019, 1, 1),
                )
            )
        session.commit()


def axe_problems(page) -> list[str]:
    return [f"{page.title()}: {problem}" for problem in serious_violations(page)]


def stage(page, name: str, title: str, problems: list[str]) -> None:
    """A new HR page: check its title and axe-core, and keep a screenshot."""
    page.wait_for_load_state("networkidle")
    if page.title() != f"{title} — Tandem":
        problems.append(f"{name}: title {page.title()!r}, expected {title!r}")
    problems.extend(axe_problems(page))
    screenshot(page, f"run-a-programme-{name}")


def menu(page, category: str, item: str) -> None:
    page.locator("a.dropdown-toggle", has_text=category).first.click()
    page.locator(".dropdown-menu a", has_text=item).first.click()
    page.wait_for_load_state("networkidle")


def monday_after(moment: datetime) -> datetime:
    day = moment.date() + timedelta(days=7 - moment.weekday())
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=UTC)


def test_a_new_hr_user_runs_a_programme_from_set_up_to_the_first_prompts_in_the_browser(
    app,
    live_server,
    page,
    mailbox,  # noqa: F811
):
    app.config["TANDEM_SMTP_URL"] = mailbox[0]
    build(app)
    people(app)
    problems: list[str] = []
    sign_in(page, live_server, "hr", PASSWORD)
    stage(page, "1-today", "Today", problems)

    menu(page, "Programmes", "Run a programme")
    stage(page, "2-programmes", "Programmes", problems)
    page.click("#new-programme")
    stage(page, "3-new", "New programme", problems)
    page.fill("#name", "Spring cohort")
    page.select_option("#kind", "mentoring")
    page.select_option("#workflow", "mentoring-cohort")
    page.select_option("#cadence", "1 week")
    page.fill("#description", "Engineers meet a mentor from Finance every week.")
    page.click("#create-programme")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("#matching")
    assert "Set up Spring cohort as a draft" in page.inner_text(".alert")
    stage(page, "4-programme", "Spring cohort — Programme", problems)
    assert "Day 7" in page.inner_text("#timeline-preview"), "weekly check-ins in the sample timeline"

    page.fill("#weight_languages", "7")
    page.click("#save-matching")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("#invite") and "Saved how Spring cohort matches people" in page.inner_text(".alert")

    page.select_option("#department", "Engineering")
    page.click("#preview-invite")
    page.wait_for_selector("#invite-preview")
    preview = page.inner_text("#invite-preview")
    assert "3 people to enrol" in preview and all(name in preview for name in ENGINEERS)
    stage(page, "5-invite-preview", "Spring cohort — Programme", problems)
    page.click("#confirm-enrol")
    page.wait_for_load_state("networkidle")
    assert "Enrolled 3 people in Spring cohort as mentees" in page.inner_text(".alert")

    page.select_option("#department", "")
    page.fill("#identifiers", "p4@example.org\nP5")
    page.select_option("#role", "mentor")
    page.fill("#capacity", "2")
    page.click("#preview-invite")
    page.wait_for_selector("#invite-preview")
    page.click("#confirm-enrol")
    page.wait_for_load_state("networkidle")
    assert "Enrolled 2 people in Spring cohort as mentors" in page.inner_text(".alert")

    page.click("#run-matching")
    page.wait_for_selector("#run-status")
    screenshot(page, "run-a-programme-6-matching-review")
    page.click("#accept-all")
    page.wait_for_load_state("networkidle")

    menu(page, "Programmes", "Run a programme")
    page.click("text=Spring cohort")
    page.wait_for_load_state("networkidle")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#launch-programme")
    page.wait_for_load_state("networkidle")
    launched = page.inner_text(".alert")
    assert "Launched Spring cohort" in launched and "Published 3 pairing(s)" in launched, launched
    assert page.inner_text("#programme-status") == "active"
    stage(page, "7-launched", "Spring cohort — Programme", problems)
    page.fill("#manager-search", "finance")  # the person picker searches by team too, and tells who is who
    choice = page.locator(".tandem-person-choice", has_text="Dana Levi — p4@example.org · Finance")
    choice.click()
    assert page.input_value("#manager-search") == "Dana Levi — p4@example.org · Finance"
    assert page.locator("input[name=manager]").input_value().isdigit()
    assert page.blocked == [], f"the pages tried to load from outside: {page.blocked}"
    assert problems == [], "\n".join(problems)

    with app.app_context():
        session = app.appbuilder.session
        programme = session.scalars(select(Programme).where(Programme.name == "Spring cohort")).one()
        assert programme.workflow == "programme-spring-cohort"
        assert len(session.scalars(select(Enrolment).where(Enrolment.programme_id == programme.id)).all()) == 5
        assert len(session.scalars(select(Pairing).where(Pairing.programme_id == programme.id)).all()) == 3
        session.remove()
    start = monday_after(datetime.now(UTC))
    drain(app, FrozenClock(start))  # the runs start: introductions, first check-in a week on
    first_prompts = FrozenClock(start + timedelta(days=7, hours=2))
    drain(app, first_prompts)
    with app.app_context():
        session = app.appbuilder.session
        deliver(session, claim_due_notifications(session, first_prompts), first_prompts)
        session.remove()
    subjects = [m["Subject"] for m in mailbox[1].messages]
    invitations = [m for m in mailbox[1].messages if m["Subject"] == "You are invited to Spring cohort"]
    assert len(invitations) == 5
    assert "/tandem/mentoring/" in invitations[0].get_body(("plain",)).get_content(), "a sign-up link"
    assert sum(s.startswith("Your mentoring pair") for s in subjects) == 6, subjects
    prompts = [s for s in subjects if s.startswith("Check-in 1 with")]
    assert len(prompts) == 6, subjects
