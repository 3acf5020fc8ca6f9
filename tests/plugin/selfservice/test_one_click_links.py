"""The one-click rating link: records without a login form, once; a tampered or expired link gets a clear page."""

from __future__ import annotations

import pytest
from engine_support import count
from organisation import login
from selfservice_support import checkin, expired_answer_token, onboarding_with_an_open_check_in, open_checkin

from tandem.plugin.models import Event
from tandem.plugin.selfservice.links import answer_token, answer_url


@pytest.fixture
def pair(app):
    return onboarding_with_an_open_check_in(app)


def link_path(app, checkin_id, rating):
    with app.app_context():
        return f"/tandem/answer/{answer_token(checkin_id, rating)}"


def test_the_link_records_the_rating_without_signing_in_and_offers_to_sign_in_for_the_rest(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    response = app.test_client().get(link_path(app, checkin_id, 5))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "recorded 5/5" in body
    assert "Sign in to add topics and notes" in body
    assert (checkin(app, checkin_id).status, checkin(app, checkin_id).rating) == ("completed", 5)
    assert count(app, Event, Event.type == "checkin.completed") == 1


def test_following_the_same_link_twice_or_another_rating_link_changes_nothing(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    client.get(link_path(app, checkin_id, 4))
    again = client.get(link_path(app, checkin_id, 4)).get_data(as_text=True)
    other = client.get(link_path(app, checkin_id, 1)).get_data(as_text=True)
    assert "Already answered" in again and "Already answered" in other
    assert checkin(app, checkin_id).rating == 4
    assert count(app, Event, Event.type == "checkin.completed") == 1


def test_a_link_checker_sending_head_records_nothing(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    assert app.test_client().head(link_path(app, checkin_id, 2)).status_code == 200
    assert checkin(app, checkin_id).status == "open"


def test_the_respondent_signed_in_is_offered_the_full_answer_page_and_can_add_notes(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    client = app.test_client()
    login(client, "staff")
    body = client.get(link_path(app, checkin_id, 3)).get_data(as_text=True)
    assert "Add topics and notes" in body and f"/tandem/check-ins/{checkin_id}" in body
    page = client.get(f"/tandem/check-ins/{checkin_id}").get_data(as_text=True)
    assert "You answered" in page and "3/5" in page


def test_a_tampered_link_gets_a_clear_page_and_records_nothing(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    path = link_path(app, checkin_id, 5)
    response = app.test_client().get(path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "This link does not work" in body and "Traceback" not in body
    assert checkin(app, checkin_id).status == "open"


def test_an_expired_link_gets_a_clear_page_and_records_nothing(app, pair):
    org, _ = pair
    checkin_id = open_checkin(app, org.people["dev1"])
    response = app.test_client().get(f"/tandem/answer/{expired_answer_token(app, checkin_id, 5)}")
    assert response.status_code == 410
    assert "This link has expired" in response.get_data(as_text=True)
    assert checkin(app, checkin_id).status == "open"


def test_answer_urls_point_at_the_public_address(app):
    app.config["TANDEM_BASE_URL"] = "https://intranet.example.org"
    with app.app_context():
        assert answer_url(12, 4).startswith("https://intranet.example.org/tandem/answer/")
