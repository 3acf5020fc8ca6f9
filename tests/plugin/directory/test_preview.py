"""The import preview: what a file would change, from the import's own checks, with nothing written."""

from __future__ import annotations

import io

import pytest
from organisation import build
from sqlalchemy import func, select

from tandem.plugin.directory import ImportRejected, import_people
from tandem.plugin.directory.preview import preview_import
from tandem.plugin.models import Event, Person

HEADER = "employee_id,name,email,timezone,manager_id,status"
FILE = "\n".join(
    [
        HEADER,
        "E4,Dev1,dev1@example.org,Europe/Berlin,E3,",
        "E5,Dev2,dev2@example.org,Europe/London,E3,",
        "E6,Dev3,dev3@example.org,Europe/Berlin,E2,left",
        "N1,Nova Newcomer,nova@example.org,Europe/Lisbon,E3,",
        "E9,Sales1,sales1@example.org,Europe/Berlin,E1,",
    ]
)
BAD = "\n".join(
    [
        HEADER,
        "N1,Nova Newcomer,nova@example.org,Mars/Olympus,E3,",
        "N2,,nova2@example.org,Europe/Berlin,E404,",
        "N3,Third,dev1@example.org,Europe/Berlin,,retired",
    ]
)


def written(app) -> tuple[int, int]:
    with app.app_context():
        session = app.appbuilder.session
        return session.scalar(select(func.count(Person.id))), session.scalar(select(func.count(Event.id)))


def test_the_preview_sorts_every_row_into_new_updated_leaving_and_unchanged_and_writes_nothing(app):
    build(app)
    before = written(app)
    with app.app_context():
        plan = preview_import(app.appbuilder.session, io.StringIO(FILE))
        app.appbuilder.session.rollback()
    assert plan.counts() == {"new": 1, "updated": 2, "leaving": 1, "unchanged": 1}
    assert [(c.row, c.name) for c in plan.first("new")] == [(5, "Nova Newcomer")]
    assert [(c.name, c.columns) for c in plan.first("updated")] == [
        ("Dev2", ("timezone",)),
        ("Sales1", ("manager_id",)),
    ]
    assert [c.name for c in plan.first("leaving")] == ["Dev3"]
    assert plan.as_dict(limit=1)["first"]["updated"] == [
        {"row": 3, "employee_id": "E5", "name": "Dev2", "columns": ["timezone"]}
    ]
    assert written(app) == before


def test_the_preview_refuses_a_bad_file_with_exactly_the_errors_the_import_gives(app):
    build(app)
    with app.app_context():
        session = app.appbuilder.session
        with pytest.raises(ImportRejected) as previewed:
            preview_import(session, io.StringIO(BAD))
        with pytest.raises(ImportRejected) as imported:
            import_people(session, io.StringIO(BAD))
        session.rollback()
    assert previewed.value.errors == imported.value.errors
    assert [(e.row, e.column) for e in previewed.value.errors] == [
        (2, "timezone"),
        (3, "manager_id"),
        (3, "name"),
        (4, "email"),
        (4, "status"),
    ]
