"""Addresses at import: every script a server can take is kept; one no server can take is refused (API 422)."""

from __future__ import annotations

from names import PEOPLE, UNDELIVERABLE, UTF8_LOCAL, as_csv
from organisation import build, jwt_headers
from sqlalchemy import select

from tandem.plugin.models import Person


def upload(app, body: str):
    client = app.test_client()
    return client.post(
        "/api/v1/person/import",
        data=body.encode("utf-8"),
        headers={**jwt_headers(client, "hr"), "Content-Type": "text/csv; charset=utf-8"},
    )


def test_names_titles_and_addresses_in_every_script_are_imported_as_written(app):
    build(app)
    response = upload(app, as_csv((*PEOPLE, UTF8_LOCAL)))
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        stored = {
            p.employee_id: (p.full_name, p.email, p.title, p.department)
            for p in app.appbuilder.session.scalars(select(Person).where(Person.employee_id.like("I%")))
        }
    assert stored == {p.employee_id: (p.name, p.email, p.title, p.department) for p in (*PEOPLE, UTF8_LOCAL)}


def test_each_address_no_server_can_take_is_a_422_naming_its_row_and_column_and_nothing_is_written(app):
    build(app)
    row = "I9{n},Ada,{address},Engineer,Eng,GB,Europe/London,en,2019-05-01,"
    rows = [row.format(n=n, address=address) for n, address in enumerate(UNDELIVERABLE)]
    response = upload(app, as_csv(PEOPLE[:2]) + "\n".join(rows) + "\n")
    assert response.status_code == 422
    errors = response.json["errors"]
    assert [(error["row"], error["column"]) for error in errors] == [(4 + n, "email") for n in range(len(rows))]
    assert all("is not an e-mail address a mail server can take" in error["message"] for error in errors)
    with app.app_context():
        assert app.appbuilder.session.scalars(select(Person).where(Person.employee_id.like("I%"))).all() == []
