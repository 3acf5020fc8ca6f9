"""Who sees whose records, in the admin UI and in the REST API alike."""

from __future__ import annotations

import pytest
from organisation import PRIVATE_NOTE, build, jwt_headers, login

SEEN_PEOPLE = {
    "hr": {
        "ceo",
        "head",
        "lead",
        "dev1",
        "dev2",
        "dev3",
        "hrp",
        "sales_head",
        "sales1",
    },
    "admin": {
        "ceo",
        "head",
        "lead",
        "dev1",
        "dev2",
        "dev3",
        "hrp",
        "sales_head",
        "sales1",
    },
    "manager": {"head", "lead", "dev1", "dev2", "dev3"},
    "staff": {"dev1"},
}
SEEN_PAIRINGS = {
    "hr": {"sales_head>dev1", "ceo>sales1"},
    "manager": {"sales_head>dev1"},
    "staff": {"sales_head>dev1"},
}


@pytest.fixture
def org(app):
    return build(app)


def _api_ids(client, headers, resource):
    response = client.get(f"/api/v1/{resource}/?q=(page_size:100)", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return set(response.json["ids"])


@pytest.mark.parametrize("username", SEEN_PEOPLE)
def test_the_person_api_lists_exactly_the_people_a_role_may_see(app, org, username):
    client = app.test_client()
    ids = _api_ids(client, jwt_headers(client, username), "person")
    assert org.names(ids) == SEEN_PEOPLE[username]


@pytest.mark.parametrize("username", SEEN_PEOPLE)
def test_the_people_page_lists_exactly_the_people_a_role_may_see(app, org, username):
    client = app.test_client()
    login(client, username)
    page = client.get("/mentoring/people/list/?psize_PersonView=100").get_data(as_text=True)
    shown = {name for name in SEEN_PEOPLE["hr"] if f">E{list(org.people).index(name) + 1}<" in page}
    assert shown == SEEN_PEOPLE[username]


@pytest.mark.parametrize("username", SEEN_PAIRINGS)
def test_pairings_are_visible_to_both_partners_and_their_managers_only(app, org, username):
    client = app.test_client()
    ids = _api_ids(client, jwt_headers(client, username), "pairing")
    assert ids == {org.pairings[name] for name in SEEN_PAIRINGS[username]}


def test_a_manager_cannot_open_someone_outside_their_subtree_by_id(app, org):
    client = app.test_client()
    headers = jwt_headers(client, "manager")
    assert client.get(f"/api/v1/person/{org.people['dev2']}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/person/{org.people['sales1']}", headers=headers).status_code == 404
    login(client, "manager")
    assert client.get(f"/mentoring/people/show/{org.people['sales1']}").status_code == 404


def test_staff_see_their_own_notifications_only(app, org):
    client = app.test_client()
    response = client.get("/api/v1/notification/", headers=jwt_headers(client, "staff"))
    assert [row["template"] for row in response.json["result"]] == ["introduction"]
    assert response.json["count"] == 1


def test_draft_programmes_are_hidden_from_everyone_but_hr(app, org):
    client = app.test_client()
    assert _api_ids(client, jwt_headers(client, "staff"), "programme") == {org.programmes["active"]}
    assert _api_ids(client, jwt_headers(client, "hr"), "programme") == set(org.programmes.values())


@pytest.mark.parametrize("username", ["hr", "manager", "staff", "admin"])
def test_no_role_can_read_a_private_note_through_the_api_or_the_admin(app, org, username):
    client = app.test_client()
    headers = jwt_headers(client, username)
    for checkin_id in _api_ids(client, headers, "checkin"):
        body = client.get(f"/api/v1/checkin/{checkin_id}", headers=headers).get_data(as_text=True)
        assert PRIVATE_NOTE not in body
    login(client, username)
    listing = client.get("/mentoring/check-ins/list/").get_data(as_text=True)
    assert PRIVATE_NOTE not in listing
    for checkin_id in range(1, 3):
        assert PRIVATE_NOTE not in client.get(f"/mentoring/check-ins/show/{checkin_id}").get_data(as_text=True)
