"""The directory import: the whole file is right, or nothing is written."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from tandem.plugin.directory import ImportRejected, RowError, import_people
from tandem.plugin.models import Event, Person

HEADER = "employee_id,name,email,department,title,location,country,timezone,manager_id,hire_date,status"


def csv_of(*rows: str, header: str = HEADER) -> io.StringIO:
    return io.StringIO("\n".join([header, *rows]) + "\n")


def run_import(app, stream):
    with app.app_context():
        session = app.appbuilder.session
        try:
            result = import_people(session, stream)
        except ImportRejected:
            session.rollback()
            raise
        session.commit()
        return result


def count(app, model=Person) -> int:
    with app.app_context():
        return app.appbuilder.session.scalar(select(func.count(model.id)))


def events(app) -> list[tuple[str, str]]:
    with app.app_context():
        rows = app.appbuilder.session.execute(
            select(Event.type, Person.employee_id).join(Person, Event.person_id == Person.id)
        )
        return sorted(tuple(row) for row in rows)


GOOD = [
    "E1,Ada Boss,ada@example.org,Eng,CTO,Berlin,DE,Europe/Berlin,,2015-01-05,active",
    "E2,Ben Lead,ben@example.org,Eng,Lead,Berlin,DE,Europe/Berlin,E1,2019-03-01,active",
    "E3,Cleo New,cleo@example.org,Eng,Engineer,Lisbon,PT,Europe/Lisbon,E2,2026-10-01,active",
]


def test_a_valid_file_creates_everyone_with_their_managers_and_hired_events(app):
    result = run_import(app, csv_of(*reversed(GOOD)))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    with app.app_context():
        cleo = app.appbuilder.session.scalars(select(Person).where(Person.employee_id == "E3")).one()
        assert cleo.manager.employee_id == "E2"
        assert cleo.manager_chain() == "Ben Lead › Ada Boss"
        assert cleo.timezone == "Europe/Lisbon"
    assert events(app) == [("employee.hired", "E1"), ("employee.hired", "E2"), ("employee.hired", "E3")]


def test_importing_the_same_file_twice_changes_nothing_and_emits_nothing_new(app):
    run_import(app, csv_of(*GOOD))
    result = run_import(app, csv_of(*GOOD))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert count(app, Event) == 3


def test_changes_update_in_place_and_emit_left_and_manager_changed(app):
    run_import(app, csv_of(*GOOD))
    changed = [
        GOOD[0],
        GOOD[1].replace(",active", ",left"),
        GOOD[2].replace(",E2,", ",E1,"),
    ]
    result = run_import(app, csv_of(*changed))
    assert (result.created, result.updated, result.unchanged) == (0, 2, 1)
    assert count(app) == 3
    assert ("employee.left", "E2") in events(app)
    assert ("employee.manager_changed", "E3") in events(app)


def test_a_missing_email_a_bad_time_zone_and_a_manager_cycle_are_all_reported_and_nothing_is_written(app):
    bad = [
        "E1,Ada Boss,,Eng,CTO,Berlin,DE,Europe/Berlin,E3,2015-01-05,active",
        "E2,Ben Lead,ben@example.org,Eng,Lead,Berlin,DE,Mars/Olympus,E1,2019-03-01,active",
        "E3,Cleo New,cleo@example.org,Eng,Engineer,Lisbon,PT,Europe/Lisbon,E2,2026-10-01,active",
    ]
    with pytest.raises(ImportRejected) as rejected:
        run_import(app, csv_of(*bad))
    errors = rejected.value.errors
    assert RowError(2, "email", "required") in errors
    assert any(e.row == 3 and e.column == "timezone" and "Mars/Olympus" in e.message for e in errors)
    cycle_rows = {e.row for e in errors if e.column == "manager_id" and "cycle" in e.message}
    assert cycle_rows == {2, 3, 4}
    assert count(app) == 0
    assert count(app, Event) == 0


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("E9,Zed,zed@example.org,Eng,X,Berlin,DE,Europe/Berlin,E404,2020-01-01,active", "manager_id", "E404"),
        (
            "E9,Zed,zed@example.org,Eng,X,Berlin,DE,Europe/Berlin,E9,2020-01-01,active",
            "manager_id",
            "own manager",
        ),
        ("E9,Zed,zed@example.org,Eng,X,Berlin,DE,Europe/Berlin,,01/02/2020,active", "hire_date", "ISO date"),
        ("E9,Zed,zed@example.org,Eng,X,Berlin,DE,Europe/Berlin,,2020-01-01,retired", "status", "retired"),
        ("E9,Zed,not-an-address,Eng,X,Berlin,DE,Europe/Berlin,,2020-01-01,active", "email", "not an e-mail"),
        ("E9,Zed,zed@example.org,Eng,X,Berlin,Germany,Europe/Berlin,,2020-01-01,active", "country", "ISO"),
        ("E1,Zed,zed@example.org,Eng,X,Berlin,DE,Europe/Berlin,,2020-01-01,active", "employee_id", "row 2"),
        ("E9,Zed,ada@example.org,Eng,X,Berlin,DE,Europe/Berlin,,2020-01-01,active", "email", "row 2"),
    ],
)
def test_each_kind_of_bad_cell_names_its_row_and_column(app, row, column, fragment):
    with pytest.raises(ImportRejected) as rejected:
        run_import(app, csv_of(GOOD[0], row))
    [error] = rejected.value.errors
    assert (error.row, error.column) == (3, column)
    assert fragment in error.message
    assert count(app) == 0


def test_an_email_taken_by_someone_already_in_the_directory_is_refused(app):
    run_import(app, csv_of(*GOOD))
    with pytest.raises(ImportRejected) as rejected:
        run_import(app, csv_of("E7,Copy Cat,ada@example.org,Eng,X,Berlin,DE,Europe/Berlin,,2020-01-01,active"))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(2, "email")]


def test_unknown_and_missing_columns_are_refused_by_name(app):
    with pytest.raises(ImportRejected) as rejected:
        run_import(app, csv_of("E1,Ada,ada@example.org,x", header="employee_id,name,email,shoe_size"))
    messages = {(e.row, e.column): e.message for e in rejected.value.errors}
    assert "unknown column" in messages[(1, "shoe_size")]
    assert messages[(1, "timezone")] == "required column is missing"


def test_list_fields_are_split_on_semicolons(app):
    header = "employee_id,name,email,timezone,skills,languages,remote,seniority"
    run_import(app, csv_of("E1,Ada,ada@example.org,UTC,Python; SQL;;,English;German,yes,7", header=header))
    with app.app_context():
        ada = app.appbuilder.session.scalars(select(Person)).one()
        assert (ada.skills, ada.languages, ada.remote, ada.seniority) == (
            ["Python", "SQL"],
            ["English", "German"],
            True,
            7,
        )


def test_a_column_left_out_of_the_file_keeps_its_stored_value(app):
    run_import(app, csv_of(*GOOD))
    run_import(
        app,
        csv_of("E3,Cleo Renamed,cleo@example.org,Europe/Lisbon", header="employee_id,name,email,timezone"),
    )
    with app.app_context():
        cleo = app.appbuilder.session.scalars(select(Person).where(Person.employee_id == "E3")).one()
        assert (cleo.full_name, cleo.title, cleo.manager.employee_id) == ("Cleo Renamed", "Engineer", "E2")
