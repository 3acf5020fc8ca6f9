"""A rating can be corrected for 24 hours after answering; the report numbers follow and equal a rebuild."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from organisation import login
from selfservice_support import csrf, onboarding_with_an_open_check_in, open_checkin
from sqlalchemy import select

from tandem.plugin.errors import NotAllowed
from tandem.plugin.models import CheckIn, Event, PersonStat, SubtreeStat
from tandem.plugin.rollups import rebuild
from tandem.plugin.selfservice.checkins import correct_rating


def numbers(session) -> set[tuple]:
    people = set(session.execute(select(PersonStat.person_id, PersonStat.stat, PersonStat.value)))
    subtrees = set(
        session.execute(select(SubtreeStat.root_id, SubtreeStat.stat, SubtreeStat.value).where(SubtreeStat.value != 0))
    )
    return people | {("subtree", *row) for row in subtrees}


def rating_sum(app, person_id) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(
            select(PersonStat.value).where(PersonStat.person_id == person_id, PersonStat.stat == "rating_sum")
        )


@pytest.fixture
def answered(app):
    org, _clock = onboarding_with_an_open_check_in(app)
    checkin_id = open_checkin(app, org.people["dev1"])
    base = rating_sum(app, org.people["dev1"]) or 0
    client = app.test_client()
    login(client, "staff")
    token = csrf(client, "/tandem/inbox/")
    data = {"csrf_token": token, "rating": "2", "private_note": "", "shared_note": ""}
    assert client.post(f"/tandem/check-ins/{checkin_id}/answer", data=data).status_code == 302
    return org, client, checkin_id, token, base


def test_a_rating_corrected_within_a_day_changes_the_reports_exactly_as_a_rebuild_would(app, answered):
    org, client, checkin_id, token, base = answered
    assert rating_sum(app, org.people["dev1"]) == base + 2
    page = client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True)
    assert "Correct your rating" in page and 'id="tandem-correct-form"' in page
    response = client.post(
        f"/tandem/check-ins/{checkin_id}/answer", data={"csrf_token": token, "mode": "correct", "rating": "5"}
    )
    assert response.status_code == 302
    assert "5/5" in client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True)
    assert rating_sum(app, org.people["dev1"]) == base + 5, "the kept report number follows the correction"
    with app.app_context():
        session = app.appbuilder.session
        kept = numbers(session)
        rebuild(session)
        assert numbers(session) == kept, "the kept numbers equal a rebuild from the data"
        session.rollback()
        events = session.scalars(select(Event).where(Event.type == "checkin.completed")).all()
        assert len(events) == 1, "the engine is not told a second time"


def test_a_rating_out_of_range_gives_the_form_back_naming_the_field_and_changes_nothing(app, answered):
    org, client, checkin_id, token, base = answered
    response = client.post(
        f"/tandem/check-ins/{checkin_id}/answer", data={"csrf_token": token, "mode": "correct", "rating": "9"}
    )
    assert response.status_code == 400
    assert "How it went must be a number from 1 to 5." in response.get_data(as_text=True)
    assert rating_sum(app, org.people["dev1"]) == base + 2


def test_after_24_hours_the_rating_stands(app, answered):
    org, client, checkin_id, token, base = answered
    with app.app_context():
        session = app.appbuilder.session
        checkin = session.get(CheckIn, checkin_id)
        with pytest.raises(NotAllowed, match="24 hours"):
            correct_rating(session, checkin, "5", checkin.completed_at + timedelta(hours=24, minutes=1))
        session.rollback()
        checkin = session.get(CheckIn, checkin_id)
        checkin.completed_at = datetime.now(UTC) - timedelta(hours=25)
        session.commit()
    assert "Correct your rating" not in client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True)
    response = client.post(
        f"/tandem/check-ins/{checkin_id}/answer", data={"csrf_token": token, "mode": "correct", "rating": "5"}
    )
    assert response.status_code == 409
    assert rating_sum(app, org.people["dev1"]) == base + 2


def test_someone_elses_rating_cannot_be_corrected(app, answered):
    org, _client, checkin_id, _token, base = answered
    other = app.test_client()
    login(other, "manager")
    token = csrf(other, "/tandem/inbox/")
    response = other.post(
        f"/tandem/check-ins/{checkin_id}/answer", data={"csrf_token": token, "mode": "correct", "rating": "5"}
    )
    assert response.status_code in (403, 404)
    assert rating_sum(app, org.people["dev1"]) == base + 2
