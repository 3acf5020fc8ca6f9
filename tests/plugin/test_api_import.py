"""``POST /api/v1/person/import``: HR uploads the directory; errors come back as 422 with rows and columns."""

from __future__ import annotations

import io

from organisation import build, jwt_headers
from sqlalchemy import func, select

from tandem.plugin.models import Person

HEADER = "employee_id,name,email,timezone,manager_id"


def people_count(app) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count(Person.id)))


def test_hr_imports_a_csv_body_and_gets_the_counts(app):
    build(app)
    client = app.test_client()
    body = f"{HEADER}\nN1,Nia New,nia@example.org,Asia/Singapore,E2\n"
    response = client.post(
        "/api/v1/person/import",
        data=body,
        headers={**jwt_headers(client, "hr"), "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["created"] == 1
    assert response.json["events"] == {"employee.hired": 1}
    assert people_count(app) == 10


def test_a_bad_upload_is_a_422_listing_each_row_and_column_and_writes_nothing(app):
    build(app)
    client = app.test_client()
    body = f"{HEADER}\nN1,Nia New,,Asia/Singapore,E2\nN2,Otto,otto@example.org,Nowhere/City,N9\n"
    response = client.post(
        "/api/v1/person/import",
        data={"file": (io.BytesIO(body.encode()), "people.csv")},
        headers=jwt_headers(client, "hr"),
    )
    assert response.status_code == 422
    found = {(e["row"], e["column"]) for e in response.json["errors"]}
    assert found == {(2, "email"), (3, "timezone"), (3, "manager_id")}
    assert people_count(app) == 9


def test_managers_and_staff_may_not_import(app):
    build(app)
    client = app.test_client()
    for username in ("manager", "staff"):
        response = client.post(
            "/api/v1/person/import",
            data=f"{HEADER}\nN1,Nia,nia@example.org,UTC,\n",
            headers={**jwt_headers(client, username), "Content-Type": "text/csv"},
        )
        assert response.status_code == 403
    assert people_count(app) == 9


def test_an_empty_or_non_utf8_upload_is_a_400_not_a_500(app):
    build(app)
    client = app.test_client()
    headers = jwt_headers(client, "hr")
    assert client.post("/api/v1/person/import", headers=headers).status_code == 400
    latin1 = "employee_id,name,email,timezone\nN1,Zoë,z@example.org,UTC\n".encode("latin-1")
    response = client.post("/api/v1/person/import", data=latin1, headers={**headers, "Content-Type": "text/csv"})
    assert response.status_code == 400
    assert "UTF-8" in response.json["message"]
