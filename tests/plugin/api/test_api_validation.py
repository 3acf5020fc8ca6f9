"""Bad values sent to the REST API are refused with the field named, before the database sees them."""

from __future__ import annotations

import pytest
from organisation import build, jwt_headers
from sqlalchemy import func, select

from tandem.plugin.models import Enrolment, Programme


@pytest.fixture
def hr(app):
    org = build(app)
    client = app.test_client()
    return client, jwt_headers(client, "hr"), org


def count(app, model) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count()).select_from(model))


PROGRAMME = {"name": "Spring cohort", "slug": "spring-cohort", "kind": "mentoring", "status": "draft"}


BAD_PROGRAMMES = [
    ({"status": ""}, "status", "expected one of: draft, active, closed"),
    ({"slug": ""}, "slug", "expected lower-case letters, digits and dashes"),
    ({"kind": {"nested": "object"}}, "kind", "expected text"),
    ({"name": "   "}, "name", "may not be empty"),
    ({"matching_settings": [1, 2]}, "matching_settings", "expected an object"),
    ({"slug": "x" * 101}, "slug", "expected at most 100 characters"),
]


def test_a_programme_with_a_bad_field_is_a_422_naming_it_and_nothing_is_written(app, hr):
    client, headers, _ = hr
    before = count(app, Programme)
    for change, field, message in BAD_PROGRAMMES:
        response = client.post("/api/v1/programme/", json={**PROGRAMME, **change}, headers=headers)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert message in response.json["message"][field][0]
    assert count(app, Programme) == before


def test_a_slug_already_used_is_refused_by_name_not_by_a_database_error(app, hr):
    client, headers, _ = hr
    assert client.post("/api/v1/programme/", json=PROGRAMME, headers=headers).status_code == 201
    again = client.post("/api/v1/programme/", json={**PROGRAMME, "name": "Other"}, headers=headers)
    assert again.status_code == 422
    assert again.json["message"] == {"slug": ["another programme already has this slug"]}


BAD_PEOPLE = [
    (999_999, "no person with id 999999"),
    ({"id": 1}, "expected the id of a person (a whole number)"),
    (2**70, "expected the id of a person (a whole number)"),
    (True, "expected the id of a person (a whole number)"),
]


def test_an_enrolment_for_an_unknown_person_or_an_object_where_an_id_belongs_is_a_422(app, hr):
    client, headers, org = hr
    before = count(app, Enrolment)
    for person, message in BAD_PEOPLE:
        body = {"programme": org.programmes["active"], "person": person, "role": "mentee"}
        response = client.post("/api/v1/enrolment/", json=body, headers=headers)
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.json["message"] == {"person": [message]}
    assert count(app, Enrolment) == before


def test_a_person_with_an_unknown_time_zone_and_a_bad_email_names_both_fields(app, hr):
    client, headers, _ = hr
    body = {"employee_id": "N1", "full_name": "Nia New", "email": "not-an-address", "timezone": "Mars/Olympus"}
    response = client.post("/api/v1/person/", json=body, headers=headers)
    assert response.status_code == 422
    assert set(response.json["message"]) == {"email", "timezone"}


def test_a_key_that_cannot_exist_is_not_found(app, hr):
    client, headers, _ = hr
    for pk in ("98513970422663681419509760", "0"):
        for method in (client.get, client.delete):
            assert method(f"/api/v1/programme/{pk}", headers=headers).status_code == 404
        assert client.put(f"/api/v1/programme/{pk}", json={"name": "x"}, headers=headers).status_code == 404
    assert client.get("/api/v1/programme/abc", headers=headers).status_code in (404, 405)


def test_a_body_nested_deeper_than_the_parser_can_follow_is_a_400(app, hr):
    client, headers, _ = hr
    body = "[" * 100_000 + "]" * 100_000
    json_headers = {**headers, "Content-Type": "application/json"}
    assert client.post("/api/v1/programme/", data=body, headers=json_headers).status_code == 400
    assert client.put("/api/v1/programme/1", data=body, headers=json_headers).status_code == 400
    # The event API reads an unparseable body as an empty one, and names what is missing.
    assert client.post("/api/v1/event/", data=body, headers=json_headers).status_code == 422
