"""HR erases a person who has left: nothing identifies them any more, and every report reads the same."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from organisation import jwt_headers, login
from personal_support import GOAL, MESSAGE, OWN_NOTE, QUIZ, SHARED, plant
from report_data import NOW, PASSWORD
from selfservice_support import csrf
from sqlalchemy import MetaData, select

from tandem.plugin.models import CheckIn, Enrolment, Pairing, Person, PersonStat, SubtreeStat
from tandem.plugin.reports import hr_dashboard, manager_report
from tandem.plugin.rollups import rebuild

IDENTIFYING = ("Person a1", "a1@example.org", "staff@login.example.org", "https://hooks.example.org/a1")
FREE_TEXT = (OWN_NOTE, SHARED, GOAL, MESSAGE, QUIZ, "salary negotiation")


@pytest.fixture
def planted(app: Flask) -> Any:
    """a1's records; a1 has left."""
    planted = plant(app)
    with app.app_context():
        session = app.appbuilder.session
        session.get(Person, planted.a1).status = "left"
        session.commit()
    return planted


def dump(app: Flask) -> str:
    """Every row of every table of the database (Tandem's and FAB's), as text."""
    with app.app_context():
        session = app.appbuilder.session
        metadata = MetaData()
        metadata.reflect(session.get_bind())
        return "\n".join(repr(row) for table in metadata.sorted_tables for row in session.execute(table.select()))


def reports(app: Flask, planted: Any) -> tuple[str, str]:
    """The boss's report and HR's dashboard as printed values."""
    with app.app_context():
        session = app.appbuilder.session
        boss = manager_report(session, planted.seeded.people["boss"], NOW, 5)
        return repr(boss), repr(hr_dashboard(session, 5))


def kept_and_rebuilt(app: Flask) -> tuple[set[Any], set[Any]]:
    """The kept report statistics, and what a rebuild from the data computes."""

    def snapshot(session: Any) -> set[Any]:
        people = set(session.execute(select(PersonStat.person_id, PersonStat.stat, PersonStat.value)))
        sums = select(SubtreeStat.root_id, SubtreeStat.stat, SubtreeStat.value).where(SubtreeStat.value != 0)
        return people | set(session.execute(sums))

    with app.app_context():
        session = app.appbuilder.session
        kept = snapshot(session)
        rebuild(session)
        rebuilt = snapshot(session)
        session.rollback()
    return kept, rebuilt


def test_hr_erases_a_person_who_left_and_nothing_identifying_remains(app: Flask, planted: Any) -> None:
    before = dump(app)
    assert all(value in before for value in (*IDENTIFYING, *FREE_TEXT)), "the planted values are there to find"
    reports_before = reports(app, planted)
    client = app.test_client()
    answer = client.post(f"/api/v1/person/{planted.a1}/erase", headers=jwt_headers(client, "hr", PASSWORD))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.json["pseudonym"] == f"Erased person {planted.a1}"
    after = dump(app)
    for value in (*IDENTIFYING, *FREE_TEXT):
        assert value not in after, value
    assert "Chloé knows Erased person" in after or "Chlo\\\\u00e9 knows Erased person" in after
    assert reports(app, planted) == reports_before, "every report reads the same"
    kept, rebuilt = kept_and_rebuilt(app)
    assert kept == rebuilt
    with app.app_context():
        session = app.appbuilder.session
        assert session.scalar(select(Pairing.status).where(Pairing.id == planted.pairing)) == "active"
        assert session.scalar(select(CheckIn.rating).where(CheckIn.respondent_id == planted.a1, CheckIn.sequence == 9))
        assert session.scalars(select(Enrolment).where(Enrolment.person_id == planted.a1)).first() is not None


def test_someone_still_employed_is_refused_and_nothing_changes(app: Flask) -> None:
    planted = plant(app)
    client = app.test_client()
    answer = client.post(f"/api/v1/person/{planted.a1}/erase", headers=jwt_headers(client, "hr", PASSWORD))
    assert answer.status_code == 409 and "status" in answer.json["message"]
    assert "Person a1" in dump(app) and OWN_NOTE in dump(app)


def test_a_manager_may_not_erase_anyone(app: Flask, planted: Any) -> None:
    client = app.test_client()
    answer = client.post(f"/api/v1/person/{planted.a1}/erase", headers=jwt_headers(client, "manager", PASSWORD))
    assert answer.status_code in (401, 403)
    assert "Person a1" in dump(app)


def test_the_command_line_erases_by_employee_id_and_names_what_it_refuses(app: Flask, planted: Any) -> None:
    with app.app_context():
        employee_id = app.appbuilder.session.get(Person, planted.a1).employee_id
        boss_id = app.appbuilder.session.get(Person, planted.seeded.people["boss"]).employee_id
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["tandem", "erase-person", boss_id])
    assert refused.exit_code == 1 and "only people who have left can be erased" in refused.output
    assert runner.invoke(args=["tandem", "erase-person", "nobody"]).exit_code == 1
    done = runner.invoke(args=["tandem", "erase-person", employee_id])
    assert done.exit_code == 0 and f"Erased person {planted.a1}" in done.output
    assert "a1@example.org" not in dump(app)


def test_hr_erases_from_the_people_list_and_a_selection_with_someone_still_employed_erases_nobody(
    app: Flask, planted: Any
) -> None:
    client = app.test_client()
    login(client, "hr", PASSWORD)
    token = csrf(client, "/mentoring/people/list/")
    boss = planted.seeded.people["boss"]
    refused = client.post(
        "/mentoring/people/action_post",
        data={"csrf_token": token, "action": "erase", "rowid": [str(planted.a1), str(boss)]},
        follow_redirects=True,
    )
    assert "Nothing was erased" in refused.get_data(as_text=True)
    assert "a1@example.org" in dump(app)
    done = client.post(
        "/mentoring/people/action_post",
        data={"csrf_token": token, "action": "erase", "rowid": [str(planted.a1)]},
        follow_redirects=True,
    )
    assert f"Erased 1 person(s): Erased person {planted.a1}" in done.get_data(as_text=True)
    assert "a1@example.org" not in dump(app)
