"""Matching in a real browser (Debian's chromium), outside network blocked: HR's review and publish in the
demo, and a mentee finding a mentor who accepts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from browser import screenshot, sign_in
from engine_support import drain
from organisation import PASSWORD
from sqlalchemy import func, select

from tandem.plugin.demo import seed_demo
from tandem.plugin.models import MatchRun, Notification, Pairing, Programme
from tandem.workflows.clock import FrozenClock

DEMO_PASSWORD = "demo-password"
pytestmark = pytest.mark.browser


def test_in_the_demo_hr_runs_matching_reviews_by_mentor_publishes_and_the_pairs_are_introduced(app, live_server, page):
    with app.app_context():
        seed_demo(app.appbuilder, DEMO_PASSWORD)
        cohort = app.appbuilder.session.scalars(select(Programme).where(Programme.slug == "mentoring-cohort")).one()
        cohort_id = cohort.id
    sign_in(page, live_server, "hr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mentoring/matching/")
    page.locator("#programme-mentoring-cohort button[name=run]").click()
    page.wait_for_selector("#run-status")
    assert page.locator("#run-status").inner_text() == "draft"
    assert page.locator(".tandem-mentor").count() > 3
    assert page.locator(".tandem-load").first.inner_text().startswith("load ")
    assert page.locator(".tandem-why li").count() > 10  # every proposal says why
    screenshot(page, "matching-review")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#accept-all")
    page.wait_for_load_state("networkidle")
    assert set(page.locator(".tandem-proposal-status").all_inner_texts()) == {"accepted"}
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish")
    page.wait_for_selector("#run-status:has-text('published')")
    assert page.blocked == [], f"the page tried to load from outside: {page.blocked}"
    drain(app, FrozenClock(datetime.now(UTC)))
    with app.app_context():
        session = app.appbuilder.session
        run = session.scalars(select(MatchRun).where(MatchRun.programme_id == cohort_id)).one()
        published = [session.get(Pairing, proposal.pairing_id) for proposal in run.proposals]
        assert {p.status for p in published} == {"active"}
        introduced = set(
            session.scalars(select(Notification.recipient_id).where(Notification.template == "mentoring/introduction"))
        )
        assert published and all({p.mentee_id, p.mentor_id} <= introduced for p in published)


def test_in_the_demo_hr_forms_peer_circles_and_publishes_them(app, live_server, page):
    with app.app_context():
        seed_demo(app.appbuilder, DEMO_PASSWORD)
    sign_in(page, live_server, "hr", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/mentoring/matching/")
    page.locator("#programme-peer-circles button[name=run]").click()
    page.wait_for_selector(".tandem-circle")
    sizes = [item.locator("li").count() for item in page.locator(".tandem-circle").all()]
    assert sizes and all(6 <= size <= 8 for size in sizes)
    screenshot(page, "peer-circles-draft")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#publish")
    page.wait_for_selector("#run-status:has-text('published')")
    assert page.blocked == []
    drain(app, FrozenClock(datetime.now(UTC)))
    with app.app_context():
        welcomed = app.appbuilder.session.scalar(
            select(func.count(Notification.id)).where(Notification.template == "circle/welcome")
        )
        assert welcomed == sum(sizes)


def test_a_mentee_finds_a_mentor_in_the_browser_and_the_mentor_accepts(app, live_server, page, office):
    cohort = office.programmes["cohort"]
    sign_in(page, live_server, "staff", PASSWORD)
    page.goto(f"{live_server.url}/tandem/mentoring/")
    page.click("#find-mentoring-cohort a")
    page.wait_for_selector(".tandem-suggestion")
    first = page.locator(".tandem-suggestion").first
    assert "Dev3" in first.inner_text() and "Dev3 can help with python, which you want to learn." in first.inner_text()
    first.locator("textarea").fill("I would like to get better at Python.")
    first.locator("button[type=submit]").click()
    page.wait_for_selector(".tandem-request-status:has-text('pending')")
    screenshot(page, "find-a-mentor")
    page.goto(f"{live_server.url}/logout/")
    sign_in(page, live_server, "mentor", PASSWORD)
    page.goto(f"{live_server.url}/tandem/mentoring/")
    request = page.locator(".tandem-request").first
    assert "I would like to get better at Python." in request.inner_text()
    request.locator("button:has-text('Accept')").click()
    page.wait_for_load_state("networkidle")
    assert page.blocked == []
    with app.app_context():
        paired = app.appbuilder.session.scalar(
            select(func.count(Pairing.id)).where(
                Pairing.programme_id == cohort, Pairing.mentee_id == office.people["dev1"], Pairing.status == "proposed"
            )
        )
        assert paired == 1
