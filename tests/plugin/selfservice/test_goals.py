"""Goals: agreed at the first check-in, revisited at later ones; the pair reads them, nobody else, HR only counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from engine_support import drain
from feedback_support import BUDDY_LOGIN, engine_checkins, pair_with_two_logins
from organisation import login
from selfservice_support import csrf
from sqlalchemy import select

from tandem.plugin.feedback.results import goal_counts
from tandem.plugin.models import Goal, GoalProgress, Person
from tandem.plugin.personaldata.erase import erase_person
from tandem.plugin.personaldata.export import personal_data
from tandem.plugin.reports.privacy import is_hidden

GOAL = "Ship a first change to production on my own"


@pytest.fixture
def pair(app):
    return pair_with_two_logins(app)


def answer(client, checkin_id, **fields):
    token = csrf(client, f"/tandem/check-ins/{checkin_id}")
    data = {"csrf_token": token, "rating": "4", "private_note": "", "shared_note": "", **fields}
    return client.post(f"/tandem/check-ins/{checkin_id}/answer", data=data)


def signed_in(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_the_pair_agrees_goals_at_the_first_check_in_and_both_read_them(app, pair):
    org, _ = pair
    staff = signed_in(app, "staff")
    first = engine_checkins(app, org.people["dev1"])[0]
    page = staff.get(f"/tandem/check-ins/{first}").get_data(as_text=True)
    assert 'for="goal_1"' in page and "Goals we agree on" in page
    response = answer(staff, first, goal_1=GOAL, goal_2="  Learn the   deploy pipeline ", goal_3="")
    assert response.status_code == 302
    with app.app_context():
        goals = app.appbuilder.session.scalars(select(Goal).order_by(Goal.position)).all()
        assert [(g.position, g.text, g.status) for g in goals] == [
            (1, GOAL, "not_started"),
            (2, "Learn the deploy pipeline", "not_started"),
        ]
    buddy = signed_in(app, BUDDY_LOGIN)
    buddys_first = engine_checkins(app, org.people["sales1"])[0]
    assert GOAL in buddy.get(f"/tandem/check-ins/{buddys_first}").get_data(as_text=True)
    assert GOAL in buddy.get("/tandem/timeline/").get_data(as_text=True)


def test_a_later_check_in_asks_how_each_goal_moved_and_the_timeline_shows_it(app, pair):
    org, clock = pair
    staff = signed_in(app, "staff")
    first = engine_checkins(app, org.people["dev1"])[0]
    answer(staff, first, goal_1=GOAL, goal_2="Learn the deploy pipeline")
    clock.advance(timedelta(days=7))
    drain(app, clock)
    second = engine_checkins(app, org.people["dev1"])[0]
    page = staff.get(f"/tandem/check-ins/{second}").get_data(as_text=True)
    assert f"Goal 1: {GOAL}" in page and 'name="goal_progress_1" value="moving"' in page
    assert 'for="goal_1"' not in page, "goals are agreed at the first check-in only"
    response = answer(staff, second, goal_progress_1="done", goal_progress_2="moving")
    assert response.status_code == 302
    timeline = staff.get("/tandem/timeline/").get_data(as_text=True)
    assert f"{GOAL} — done" in timeline and "Learn the deploy pipeline — moving" in timeline
    with app.app_context():
        said = app.appbuilder.session.scalars(select(GoalProgress.status).order_by(GoalProgress.goal_id)).all()
        assert said == ["done", "moving"]


def test_an_unknown_goal_progress_is_refused_naming_the_goal_and_nothing_is_saved(app, pair):
    org, clock = pair
    staff = signed_in(app, "staff")
    answer(staff, engine_checkins(app, org.people["dev1"])[0], goal_1=GOAL)
    clock.advance(timedelta(days=7))
    drain(app, clock)
    second = engine_checkins(app, org.people["dev1"])[0]
    response = answer(staff, second, goal_progress_1="finished-ish", private_note="keep me")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Say how goal 1 moved" in body and "keep me" in body
    assert engine_checkins(app, org.people["dev1"])[0] == second, "the check-in is still open"


def test_a_goal_longer_than_two_hundred_characters_is_refused(app, pair):
    org, _ = pair
    staff = signed_in(app, "staff")
    response = answer(staff, engine_checkins(app, org.people["dev1"])[0], goal_1="x" * 201)
    assert response.status_code == 400
    assert "Goal 1 may be at most 200 characters" in response.get_data(as_text=True)


def test_nobody_outside_the_pair_reads_a_goal_and_hr_sees_only_counts(app, pair):
    org, _ = pair
    staff = signed_in(app, "staff")
    first = engine_checkins(app, org.people["dev1"])[0]
    answer(staff, first, goal_1=GOAL)
    manager = signed_in(app, "manager")  # dev1's manager's manager
    for path in (
        "/tandem/timeline/",
        f"/tandem/check-ins/{first}",
        "/mentoring/reports/manager",
        "/mentoring/feedback/manager",
    ):
        assert GOAL not in manager.get(path).get_data(as_text=True), path
    hr = signed_in(app, "hr")
    for path in ("/mentoring/feedback/", "/mentoring/checkin/list/", f"/mentoring/checkin/show/{first}"):
        body = hr.get(path).get_data(as_text=True)
        assert GOAL not in body, path
    results = hr.get("/mentoring/feedback/").get_data(as_text=True)
    assert "Goals" in results and "fewer than 5" in results, "one pair is two people: below the group size"
    with app.app_context():
        session = app.appbuilder.session
        [row] = goal_counts(session, threshold=2)
        assert (row["groups"], row["set"], row["done"]) == (1, 1, 0)
        [hidden] = goal_counts(session, threshold=3)
        assert is_hidden(hidden["set"]) and hidden["label"] == "Onboarding buddies"


def test_my_data_holds_my_pairs_goals_and_erasing_the_writer_clears_their_text(app, pair):
    org, _ = pair
    staff = signed_in(app, "staff")
    answer(staff, engine_checkins(app, org.people["dev1"])[0], goal_1=GOAL)
    with app.app_context():
        session = app.appbuilder.session
        buddy = session.get(Person, org.people["sales1"])
        [row] = personal_data(session, buddy)["goals"]
        assert (row["text"], row["written_by_me"]) == (GOAL, False)
        writer = session.get(Person, org.people["dev1"])
        writer.status = "left"
        erase_person(session, writer)
        session.commit()
        assert session.scalars(select(Goal.text)).all() == ["(erased)"]


def test_a_pair_that_agreed_no_goals_at_first_may_agree_them_at_a_later_check_in(app, pair):
    org, clock = pair
    staff = signed_in(app, "staff")
    answer(staff, engine_checkins(app, org.people["dev1"])[0])
    clock.advance(timedelta(days=7))
    drain(app, clock)
    second = engine_checkins(app, org.people["dev1"])[0]
    assert 'for="goal_1"' in staff.get(f"/tandem/check-ins/{second}").get_data(as_text=True)
    assert answer(staff, second, goal_1=GOAL).status_code == 302
    assert f"{GOAL} — not started" in staff.get("/tandem/timeline/").get_data(as_text=True)
