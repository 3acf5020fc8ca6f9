"""Upserting the directory: validate the whole file, then write it in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from tandem.workflows.intake import record_events

from ..events import NewEvent
from ..models import Person
from .changes import STATUS_EVENTS
from .consistency import duplicate_errors, email_errors, manager_errors
from .errors import ImportRejected
from .parsing import Progress, Record, check_header, parse_rows, read_csv

_STORED = (
    Person.id,
    Person.employee_id,
    Person.full_name,
    Person.email,
    Person.department,
    Person.title,
    Person.location,
    Person.country,
    Person.timezone,
    Person.manager_id,
    Person.hire_date,
    Person.status,
    Person.seniority,
    Person.remote,
    Person.skills,
    Person.interests,
    Person.languages,
)


@dataclass
class ImportResult:
    """What an import changed."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    events: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "events": self.events,
        }


def import_people(
    session: Session,
    stream: TextIO,
    *,
    source: str = "import",
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and upsert a directory CSV by ``employee_id``.

    Raises :class:`ImportRejected` with every error (row and column named) and
    writes nothing if any row is wrong. Otherwise writes people and their
    ``employee.*`` events in the session's transaction; the caller commits.
    ``progress`` is called with the number of rows just handled.
    """
    checked = check_file(session, stream, progress)
    return _write(session, checked.records, checked.stored, checked.employee_of, source, progress)


@dataclass
class CheckedFile:
    """A file that passed every check, with the directory as it stood when it was checked."""

    records: list[Record]
    stored: dict[str, dict[str, Any]]
    employee_of: dict[int, str]


def check_file(session: Session, stream: TextIO, progress: Progress | None = None) -> CheckedFile:
    """Validate a directory CSV against itself and the stored directory, writing nothing.

    Raises :class:`ImportRejected` with every error (row and column named). The
    one validation both the import and its preview (:mod:`.preview`) run.
    """
    header, rows = read_csv(stream)
    header_errors = check_header(header)
    if header_errors:
        raise ImportRejected(header_errors)
    records, errors = parse_rows(header, rows, progress)
    stored = {row.employee_id: row._asdict() for row in session.execute(select(*_STORED))}
    employee_of = {row["id"]: employee_id for employee_id, row in stored.items()}
    errors += duplicate_errors(records, "employee_id", "employee_id")
    errors += duplicate_errors(records, "email", "email")
    errors += email_errors(records, {row["email"]: eid for eid, row in stored.items()})
    errors += manager_errors(
        records,
        {eid: employee_of.get(row["manager_id"]) for eid, row in stored.items()},
    )
    if errors:
        raise ImportRejected(errors)
    return CheckedFile(records, stored, employee_of)


def changed_values(record: Record, old: dict[str, Any]) -> dict[str, Any]:
    """The stored attributes ``record`` changes (the manager link aside: it is set by id afterwards)."""
    return {k: v for k, v in record.values.items() if k != "manager_employee_id" and old[k] != v}


def _write(
    session: Session,
    records: list[Record],
    stored: dict[str, dict[str, Any]],
    employee_of: dict[int, str],
    source: str,
    progress: Progress | None,
) -> ImportResult:
    result = ImportResult()
    inserts, updates, events = [], [], []
    for record in records:
        values = {k: v for k, v in record.values.items() if k != "manager_employee_id"}
        old = stored.get(record.employee_id)
        if old is None:
            inserts.append(values)
            continue
        changed = changed_values(record, old)
        if changed:
            updates.append({"id": old["id"], **changed})
        transition = STATUS_EVENTS.get((old["status"], values.get("status", old["status"])))
        if transition:
            events.append(
                NewEvent(
                    transition,
                    old["id"],
                    source=source,
                    payload={"employee_id": record.employee_id},
                )
            )
    _execute_in_chunks(session, insert(Person), inserts)
    _execute_in_chunks(session, update(Person), updates)
    ids = {employee_id: pk for employee_id, pk in session.execute(select(Person.employee_id, Person.id))}
    manager_updates = _manager_updates(records, stored, employee_of, ids)
    _execute_in_chunks(session, update(Person), manager_updates)
    events += [
        NewEvent(
            "employee.hired",
            ids[v["employee_id"]],
            source=source,
            payload={"employee_id": v["employee_id"]},
        )
        for v in inserts
        if v.get("status", "active") != "left"
    ]
    events += [
        NewEvent(
            "employee.manager_changed",
            change["id"],
            source=source,
            payload={
                "employee_id": employee_of[change["id"]],
                "manager_id": change["manager_id"],
            },
        )
        for change in manager_updates
        if change["id"] in employee_of
    ]
    record_events(session, events)
    updated_ids = {u["id"] for u in updates} | {u["id"] for u in manager_updates if u["id"] in employee_of}
    result.created = len(inserts)
    result.updated = len(updated_ids)
    result.unchanged = len(records) - result.created - result.updated
    for event in events:
        result.events[event.type] = result.events.get(event.type, 0) + 1
    if progress:
        progress(0)
    return result


def _manager_updates(
    records: list[Record],
    stored: dict[str, dict[str, Any]],
    employee_of: dict[int, str],
    ids: dict[str, int],
) -> list[dict[str, Any]]:
    """The manager links to set, by primary key, now that every row has an id."""
    changes = []
    for record in records:
        if "manager_employee_id" not in record.values:
            continue
        boss = record.values["manager_employee_id"]
        wanted = ids[boss] if boss else None
        old = stored.get(record.employee_id)
        if old is None and wanted is None:
            continue
        if old is not None and old["manager_id"] == wanted:
            continue
        changes.append({"id": ids[record.employee_id], "manager_id": wanted})
    return changes


def _execute_in_chunks(session: Session, statement: Any, rows: list[dict[str, Any]], size: int = 2000) -> None:
    for start in range(0, len(rows), size):
        session.execute(statement, rows[start : start + size])
