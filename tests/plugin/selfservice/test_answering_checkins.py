"""Answering a check-in on the page: once, validated, scoped to its respondent, and seen by the engine."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from engine_support import count, drain
from organisation import login
from selfservice_support import checkin, csrf, onboarding_with_an_open_check_in, open_checkin
from sqlalchemy import select, text

from tandem.plugin.errors import NotAllowed
from tandem.plugin.models import CheckIn, Event, InstanceHistory, WorkflowInstance
from tandem.plugin.selfservice.checkins import Answer, own_checkin
from tandem.plugin.selfservice.checkins import answer as service_answer


@pytest.fixture
def pair(app):
    return onboarding_with_an_open_check_in(app)


def answer(client, checkin_id, **fields):
    token = csrf(client, "/tandem/inbox/")
    data = {"csrf_token": token, "rating": "4", "topics": ["goals"], "private_note": "", "shared_note": "", **fields}
    return client.post(f"/tandem/check-ins/{checkin_id}/answer", data=data)


def test_staff_answer_on_the_page_and_the_pairs_workflow_records_the_answer(app, pair):
    org, clock = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    response = answer(
        client, checkin_id, other_topics="code review, goals", private_note="tired", shared_note="Thanks!"
    )
    assert response.status_code == 302
    answered = checkin(app, checkin_id)
    assert (answered.status, answered.rating, answered.topics) == ("completed", 4, ["goals", "code review"])
    assert (answered.private_note, answered.shared_note) == ("tired", "Thanks!")
    drain(app, clock)
    with app.app_context():
        session = app.appbuilder.session
        instance = session.get(WorkflowInstance, answered.instance_id)
        assert org.people["dev1"] in instance.state["answered"]["1"]
        assert instance.state["answers"]["rating"] == 4
        signals = session.scalars(select(InstanceHistory.signal).where(InstanceHistory.instance_id == instance.id))
        assert "event checkin.completed" in list(signals)
    timeline = client.get("/tandem/timeline/").get_data(as_text=True)
    assert "You answered check-in 1: 4/5" in timeline
    assert "a check-in answer arrived" in timeline, "the pair's workflow history shows the answer"


def test_a_check_in_is_answered_once(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    assert answer(client, checkin_id).status_code == 302
    again = answer(client, checkin_id, rating="1")
    assert again.status_code == 409
    assert "already been answered" in again.get_data(as_text=True)
    assert checkin(app, checkin_id).rating == 4
    assert count(app, Event, Event.type == "checkin.completed") == 1


@pytest.mark.parametrize("rating", ["7", "0", "great", ""])
def test_a_rating_outside_one_to_five_is_refused_naming_the_field_and_nothing_is_saved(app, pair, rating):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    response = answer(client, checkin_id, rating=rating, private_note="keep me?")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "1 to 5" in body and "has-error" in body
    assert "keep me?" in body, "what the person typed is shown again, not lost"
    assert checkin(app, checkin_id).status == "open"
    assert count(app, Event, Event.type == "checkin.completed") == 0


def test_a_note_longer_than_allowed_is_refused(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    response = answer(client, checkin_id, shared_note="x" * 5001)
    assert response.status_code == 400
    assert "at most 5000 characters" in response.get_data(as_text=True)


def test_staff_cannot_open_or_answer_someone_elses_check_in(app, pair):
    org, _ = pair
    with app.app_context():
        buddy_checkin = app.appbuilder.session.scalars(
            select(CheckIn.id).where(CheckIn.respondent_id != org.people["dev1"], CheckIn.status == "open")
        ).first()
    client = app.test_client()
    login(client, "staff")
    assert client.get(f"/tandem/check-ins/{buddy_checkin}").status_code == 404
    token = csrf(client, "/tandem/inbox/")
    response = client.post(f"/tandem/check-ins/{buddy_checkin}/answer", data={"csrf_token": token, "rating": "5"})
    assert response.status_code == 404
    assert checkin(app, buddy_checkin).status == "open"


def test_an_answer_without_the_csrf_token_is_refused(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    response = client.post(f"/tandem/check-ins/{checkin_id}/answer", data={"rating": "5"})
    assert response.status_code == 400
    assert checkin(app, checkin_id).status == "open"


def test_a_missed_check_in_refuses_an_answer_with_a_clear_message(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    with app.app_context():
        app.appbuilder.session.get(CheckIn, checkin_id).status = "missed"
        app.appbuilder.session.commit()
    client = app.test_client()
    login(client, "staff")
    response = answer(client, checkin_id)
    assert response.status_code == 409
    assert "closed without an answer" in response.get_data(as_text=True)


@pytest.mark.postgres
def test_the_link_and_the_form_answering_at_the_same_moment_complete_the_check_in_once(app, pair, postgres_engine):
    engine = postgres_engine
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    outcome: dict[str, object] = {}

    def second_answer() -> None:
        with app.app_context(), app.appbuilder.session.session_factory() as session:
            try:
                row = own_checkin(session, checkin_id, org.people["dev1"], lock=True)
                service_answer(session, row, Answer(rating=1), datetime.now(UTC))
                session.commit()
                outcome["second"] = "answered"
            except NotAllowed as refused:
                outcome["second"] = refused.message

    with app.app_context(), app.appbuilder.session.session_factory() as first:
        row = own_checkin(first, checkin_id, org.people["dev1"], lock=True)
        service_answer(first, row, Answer(rating=5), datetime.now(UTC))
        racer = threading.Thread(target=second_answer)
        racer.start()
        waiting = text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        with engine.connect() as probe:
            while racer.is_alive() and not probe.execute(waiting).scalar():
                probe.rollback()
        first.commit()
    racer.join()
    assert outcome["second"] == "This check-in has already been answered."
    assert checkin(app, checkin_id).rating == 5
    assert count(app, Event, Event.type == "checkin.completed") == 1
