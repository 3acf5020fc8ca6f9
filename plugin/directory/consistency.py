"""Checks across rows: duplicates, managers that exist, no manager cycles."""

from __future__ import annotations

from .errors import RowError
from .parsing import Record


def duplicate_errors(records: list[Record], key: str, column: str) -> list[RowError]:
    """An error on every row repeating an earlier row's ``key``."""
    first: dict[object, int] = {}
    errors = []
    for record in records:
        value = record.values.get(key)
        if value is None:
            continue
        if value in first:
            errors.append(
                RowError(
                    record.row,
                    column,
                    f"{value!r} already appears in row {first[value]}",
                )
            )
        else:
            first[value] = record.row
    return errors


def email_errors(records: list[Record], email_owner: dict[str, str]) -> list[RowError]:
    """Errors for e-mail addresses that belong to someone else in the directory.

    ``email_owner`` maps each stored address to its employee id; an address
    whose owner changes their own address in this file is free again.
    """
    new_email = {r.employee_id: r.values.get("email") for r in records}
    leaving = {email for email, owner in email_owner.items() if owner in new_email and new_email[owner] != email}
    errors = []
    for record in records:
        email = record.values.get("email")
        owner = email_owner.get(email) if email else None
        if owner and owner != record.employee_id and email not in leaving:
            errors.append(RowError(record.row, "email", f"{email!r} belongs to employee {owner}"))
    return errors


def manager_errors(records: list[Record], stored_managers: dict[str, str | None]) -> list[RowError]:
    """Errors for unknown managers, self-management and manager cycles.

    ``stored_managers`` maps every employee id already in the directory to its
    manager's employee id; the file's rows override it.
    """
    managers = dict(stored_managers)
    for record in records:
        if "manager_employee_id" in record.values:
            managers[record.employee_id] = record.values["manager_employee_id"]
        else:
            managers.setdefault(record.employee_id, None)
    errors = []
    for record in records:
        boss = record.values.get("manager_employee_id")
        if boss is None:
            continue
        if boss == record.employee_id:
            errors.append(RowError(record.row, "manager_id", "a person cannot be their own manager"))
        elif boss not in managers:
            errors.append(
                RowError(
                    record.row,
                    "manager_id",
                    f"{boss!r} is neither in the file nor in the directory",
                )
            )
        else:
            cycle = _cycle_through(record.employee_id, managers)
            if cycle:
                errors.append(RowError(record.row, "manager_id", "manager cycle: " + " → ".join(cycle)))
    return errors


def _cycle_through(start: str, managers: dict[str, str | None]) -> list[str]:
    """The cycle ``start`` lies on, as a closed path of employee ids, or ``[]``."""
    path, seen = [start], {start}
    current = managers.get(start)
    while current is not None and current in managers:
        if current == start:
            return [*path, start]
        if current in seen:
            return []
        path.append(current)
        seen.add(current)
        current = managers.get(current)
    return []
