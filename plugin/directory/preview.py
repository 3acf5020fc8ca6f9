"""What an import would change, worked out before anything is written.

The preview runs the import's own validation (:func:`.importer.check_file`), so
the web page, the REST API and the CLI refuse the same rows with the same words;
then it sorts every row into new, updated, leaving or unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TextIO

from sqlalchemy.orm import Session

from .columns import ATTRIBUTE
from .importer import changed_values, check_file
from .parsing import Progress, Record

#: Person attribute -> the CSV column that sets it.
COLUMN_OF = {attribute: column for column, attribute in ATTRIBUTE.items()} | {"manager_employee_id": "manager_id"}
KINDS = ("new", "updated", "leaving", "unchanged")


@dataclass(frozen=True)
class RowChange:
    """One row of the file and what it does to the directory."""

    row: int
    employee_id: str
    name: str
    columns: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return {"row": self.row, "employee_id": self.employee_id, "name": self.name, "columns": list(self.columns)}


@dataclass
class ImportPlan:
    """Every row of a valid file, sorted by what importing it would do."""

    rows: int = 0
    changes: dict[str, list[RowChange]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    def counts(self) -> dict[str, int]:
        """How many rows are new, updated, leaving and unchanged."""
        return {kind: len(found) for kind, found in self.changes.items()}

    def first(self, kind: str, limit: int = 5) -> list[RowChange]:
        """The first ``limit`` rows of one kind, in file order."""
        return self.changes[kind][:limit]

    def as_dict(self, limit: int = 5) -> dict[str, Any]:
        """Counts and the first rows of each kind, as JSON-ready data."""
        return {
            "rows": self.rows,
            "counts": self.counts(),
            "first": {kind: [change.as_dict() for change in self.first(kind, limit)] for kind in KINDS},
        }


def preview_import(session: Session, stream: TextIO, progress: Progress | None = None) -> ImportPlan:
    """Check a directory CSV and say what importing it would change; write nothing.

    Raises :class:`~.errors.ImportRejected` with every error, as :func:`.importer.import_people` does.
    """
    checked = check_file(session, stream, progress)
    plan = ImportPlan(rows=len(checked.records))
    for record in checked.records:
        old = checked.stored.get(record.employee_id)
        plan.changes[_kind(record, old, checked.employee_of)].append(_change(record, old, checked.employee_of))
    return plan


def _changed_columns(record: Record, old: dict[str, Any], employee_of: dict[int, str]) -> list[str]:
    columns = [COLUMN_OF.get(name, name) for name in changed_values(record, old)]
    boss = record.values.get("manager_employee_id", employee_of.get(old["manager_id"]))
    if boss != employee_of.get(old["manager_id"]):
        columns.append("manager_id")
    return columns


def _kind(record: Record, old: dict[str, Any] | None, employee_of: dict[int, str]) -> str:
    if old is None:
        return "new"
    if old["status"] != "left" and record.values.get("status") == "left":
        return "leaving"
    return "updated" if _changed_columns(record, old, employee_of) else "unchanged"


def _change(record: Record, old: dict[str, Any] | None, employee_of: dict[int, str]) -> RowChange:
    name = record.values.get("full_name") or (old or {}).get("full_name", "")
    columns = tuple(_changed_columns(record, old, employee_of)) if old is not None else ()
    return RowChange(record.row, record.employee_id, name, columns)
