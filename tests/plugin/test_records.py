"""Each record shows and accepts the same fields in the admin and through the REST API."""

from __future__ import annotations

import pytest
from organisation import build, jwt_headers

from tandem.plugin.api.people import PersonApi
from tandem.plugin.api.resources import CheckInApi, EnrolmentApi, NotificationApi, PairingApi, ProgrammeApi
from tandem.plugin.records import CHECK_IN, ENROLMENT, NOTIFICATION, PAIRING, PERSON, PROGRAMME
from tandem.plugin.views.outbox import NotificationView
from tandem.plugin.views.pairings import AS_SHOWN, CheckInView, PairingView
from tandem.plugin.views.people import PersonView
from tandem.plugin.views.programmes import EnrolmentView, ProgrammeView

FACES = [
    (PROGRAMME, ProgrammeView, ProgrammeApi),
    (ENROLMENT, EnrolmentView, EnrolmentApi),
    (PAIRING, PairingView, PairingApi),
    (CHECK_IN, CheckInView, CheckInApi),
    (NOTIFICATION, NotificationView, NotificationApi),
    (PERSON, PersonView, PersonApi),
]


def stored(columns: list[str]) -> list[str]:
    """The record's own fields behind a face's columns: no id, a relation once, a page's words as the value."""
    words = {shown: field for field, shown in AS_SHOWN.items()}
    fields: list[str] = []
    for column in columns:
        field = words.get(column, column.split(".")[0])
        if field != "id" and field not in fields:
            fields.append(field)
    return fields


@pytest.mark.parametrize(("record", "view", "api"), FACES, ids=lambda face: getattr(face, "__name__", ""))
def test_the_admin_list_and_the_api_list_carry_the_same_fields(record, view, api):
    assert stored(view.list_columns) == stored(api.list_columns) == list(record.listed)
    assert stored(api.show_columns) == [*record.shown, *record.data]
    if view is PersonView:  # a person's page groups the fields under headings, and shows the manager chain
        grouped = [field for _, group in view.show_fieldsets for field in group["fields"]]
        assert {*record.shown} - {"manager"} <= {*grouped} and "manager_chain" in grouped
    else:
        assert stored(view.show_columns) == list(record.shown)


def test_nothing_a_person_wrote_is_a_field_of_either_face():
    written = {"goals", "end_reason", "rating", "topics", "shared_note", "private_note"}
    for record, view, api in FACES:
        columns = ("list_columns", "show_columns", "add_columns", "edit_columns")
        faces = {column for face in (view, api) for name in columns for column in getattr(face, name) or []}
        assert not written & {column.split(".")[0] for column in faces}, record


def test_hr_sets_a_programmes_sign_up_switches_through_the_api_as_in_the_admin(app):
    build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    body = {"name": "Open circle", "slug": "open-circle", "kind": "peer_circle", "status": "draft", "signup_open": True}
    created = client.post("/api/v1/programme/", json=body, headers=headers)
    assert created.status_code == 201, created.get_data(as_text=True)
    shown = client.get(f"/api/v1/programme/{created.json['id']}", headers=headers).json["result"]
    assert shown["signup_open"] is True and shown["signup_needs_approval"] is False


def test_an_enrolments_goals_cannot_be_written_by_hr_through_the_api(app):
    org = build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    body = {"programme": org.programmes["active"], "person": org.people["dev3"], "role": "mentee", "goals": ["x"]}
    refused = client.post("/api/v1/enrolment/", json=body, headers=headers)
    assert refused.status_code in (400, 422) and "goals" in refused.get_data(as_text=True)
