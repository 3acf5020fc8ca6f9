"""Named status transitions for the rows staff change: an explicit source and target, or it raises."""

from __future__ import annotations

from typing import Any

from ..errors import NotAllowed

# name -> (allowed source statuses, target status)
CHECKIN = {
    "complete": (("open",), "completed"),
    "correct_rating": (("completed",), "completed"),
    "cancel": (("open", "scheduled", "paused"), "cancelled"),
}
ENROLMENT = {"opt_out": (("active",), "opted_out"), "opt_in": (("opted_out",), "active")}

WHY_NOT = {
    "completed": "This check-in has already been answered.",
    "open": "This check-in has no answer to correct yet.",
    "missed": "This check-in closed without an answer; the next one will come on its own.",
    "cancelled": "This check-in was cancelled.",
    "scheduled": "This check-in is not open yet.",
    "paused": "This check-in is paused while someone in the pair is on leave.",
    "opted_out": "You have already opted out of this programme.",
    "active": "You are already taking part in this programme.",
}


def apply(row: Any, table: dict[str, tuple[tuple[str, ...], str]], name: str) -> None:
    """Move ``row`` along transition ``name`` of ``table``; raise :class:`NotAllowed` from any other status."""
    sources, target = table[name]
    if row.status not in sources:
        raise NotAllowed(WHY_NOT.get(row.status, f"not possible while the status is {row.status}"))
    row.status = target
