"""Staff self-service in a real browser (Debian's chromium): answer from the e-mail link and from the page."""

from __future__ import annotations

import re

import pytest
from browser import screenshot, sign_in
from engine_support import drain
from organisation import PASSWORD
from selfservice_support import expired_answer_token, onboarding_with_an_open_check_in, open_checkin
from sqlalchemy import select

from tandem.plugin.models import CheckIn, InstanceHistory
from tandem.plugin.selfservice.links import answer_token

pytestmark = pytest.mark.browser

SECRET = "a private worry nobody else may read"


def history_signals(app, checkin_id):
    with app.app_context():
        session = app.appbuilder.session
        instance_id = session.get(CheckIn, checkin_id).instance_id
        return list(session.scalars(select(InstanceHistory.signal).where(InstanceHistory.instance_id == instance_id)))


def test_staff_answer_from_the_e_mail_link_then_add_notes_and_see_it_on_the_timeline(app, live_server, page):
    org, clock = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    with app.app_context():
        token = answer_token(checkin_id, 4)
    page.goto(f"{live_server.url}/tandem/answer/{token}")
    assert page.locator("h2").inner_text() == "Thank you — recorded 4/5"
    screenshot(page, "one-click-answer")
    page.click("text=Sign in to add topics and notes")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert f"/tandem/check-ins/{checkin_id}" in page.url, "signing in leads back to the check-in"
    assert "4/5" in page.locator("#tandem-answered").inner_text()
    page.check("input[value='goals']")
    page.fill("#private_note", SECRET)
    page.click("text=Save notes")
    page.wait_for_load_state("networkidle")
    assert page.locator("#private_note").input_value() == SECRET
    drain(app, clock)
    assert "event checkin.completed" in history_signals(app, checkin_id)
    page.goto(f"{live_server.url}/tandem/timeline/")
    assert "You answered check-in 1: 4/5" in page.locator("#tandem-happened").inner_text()
    screenshot(page, "staff-timeline")
    assert page.blocked == []


def test_staff_answer_on_the_page_from_the_menu(app, live_server, page):
    org, clock = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    sign_in(page, live_server, "staff", PASSWORD)
    page.locator("a.dropdown-toggle", has_text=re.compile(r"^\W*Me\W*$")).click()
    page.click("text=My check-ins")
    page.click("text=Answer check-in 1")
    page.check("input[name=rating][value='5']")
    page.check("input[value='settling in']")
    page.fill("input[name=other_topics]", "pairing on a bug")
    page.fill("#private_note", SECRET)
    page.fill("#shared_note", "Great chat, thank you!")
    screenshot(page, "staff-answer-form")
    page.click("text=Send my answer")
    page.wait_for_load_state("networkidle")
    assert "5/5" in page.locator("#tandem-answered").inner_text()
    drain(app, clock)
    assert "event checkin.completed" in history_signals(app, checkin_id)
    page.goto(f"{live_server.url}/tandem/timeline/")
    assert "You answered check-in 1: 5/5" in page.content()
    assert page.blocked == []


def test_a_tampered_and_an_expired_link_get_a_clear_page(app, live_server, page):
    org, _ = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    with app.app_context():
        token = answer_token(checkin_id, 5)
    response = page.goto(f"{live_server.url}/tandem/answer/{token[:-4]}xxxx")
    assert response.status == 400
    assert page.locator("h2").inner_text() == "This link does not work"
    screenshot(page, "tampered-link")
    response = page.goto(f"{live_server.url}/tandem/answer/{expired_answer_token(app, checkin_id, 5)}")
    assert response.status == 410
    assert page.locator("h2").inner_text() == "This link has expired"
    assert "Traceback" not in page.content()


def test_the_manager_browsing_check_ins_never_sees_the_private_note(app, live_server, page):
    org, _ = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    with app.app_context():
        row = app.appbuilder.session.get(CheckIn, checkin_id)
        row.status, row.rating, row.private_note = "completed", 3, SECRET
        app.appbuilder.session.commit()
    sign_in(page, live_server, "manager", PASSWORD)
    for path in ("/mentoring/check-ins/list/", f"/mentoring/check-ins/show/{checkin_id}", "/tandem/timeline/"):
        page.goto(f"{live_server.url}{path}")
        assert SECRET not in page.content(), path
    response = page.goto(f"{live_server.url}/tandem/check-ins/{checkin_id}")
    assert response.status == 404
