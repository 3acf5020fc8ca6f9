"""``/api/v1/event/``: events are posted once, never edited, and only by HR (or an API key)."""

from __future__ import annotations

from organisation import build, jwt_headers


def test_hr_posts_an_event_and_a_repeat_of_its_id_is_ignored(app):
    build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    event = {
        "event_id": "hris-42",
        "type": "employee.leave_started",
        "employee_id": "E4",
        "payload": {"days": 10},
    }
    first = client.post("/api/v1/event/", json=event, headers=headers)
    again = client.post("/api/v1/event/", json=event, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == again.json["id"]
    assert again.json["created"] is False
    listing = client.get("/api/v1/event/", headers=headers).json
    assert listing["count"] == 1
    assert listing["result"][0]["type"] == "employee.leave_started"


def test_an_unknown_type_or_employee_is_a_422_naming_the_field(app):
    build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    unknown_type = client.post("/api/v1/event/", json={"type": "employee.promoted"}, headers=headers)
    assert unknown_type.status_code == 422
    assert "type" in unknown_type.json["message"]
    unknown_person = client.post(
        "/api/v1/event/", json={"type": "employee.left", "employee_id": "E404"}, headers=headers
    )
    assert unknown_person.status_code == 422
    assert "employee_id" in unknown_person.json["message"]


def test_events_cannot_be_edited_or_deleted_through_the_api(app):
    build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    created = client.post("/api/v1/event/", json={"type": "employee.hired", "employee_id": "E4"}, headers=headers)
    event_id = created.json["id"]
    assert client.put(f"/api/v1/event/{event_id}", json={"type": "employee.left"}, headers=headers).status_code == 405
    assert client.delete(f"/api/v1/event/{event_id}", headers=headers).status_code == 405


def test_staff_and_managers_can_neither_post_nor_read_events(app):
    build(app)
    client = app.test_client()
    for username in ("staff", "manager"):
        headers = jwt_headers(client, username)
        assert client.get("/api/v1/event/", headers=headers).status_code == 403
        posted = client.post("/api/v1/event/", json={"type": "employee.left", "employee_id": "E4"}, headers=headers)
        assert posted.status_code == 403


def test_an_api_key_of_an_hr_user_can_post_events(app):
    build(app)
    client = app.test_client()
    with app.app_context():
        sm = app.appbuilder.sm
        key = sm.create_api_key(sm.find_user(username="hr"), name="hris")
    token = key["key"] if isinstance(key, dict) else key
    response = client.post(
        "/api/v1/event/",
        json={"type": "employee.hired", "employee_id": "E4"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.get_data(as_text=True)
