"""Effects any step (or the run itself) causes — timers, notifications, notes, closing pairings — in the simulator.

How the simulated world carries them out and how a preview words them; the
runtime's side is in ``workflows/appliers.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..effects import ClosePairings, Note, ScheduleTimer, SendNotification, handles
from ..state import InstanceState, Participant
from ..timeline import Entry


def react_timer(world: Any, effect: ScheduleTimer) -> None:
    """The virtual clock will fire it (a finished run still hears its timers, as on the database)."""
    world.set_timer(effect.due_at, effect.key)


def describe_notification(
    effect: SendNotification, state: InstanceState, at: datetime, subject: Participant
) -> list[Entry]:
    """``checkin/prompt → Ada (newcomer)``, at the moment it may go out in the person's time zone."""
    person = state.participant(effect.role)
    who = f"{person.name} ({effect.role})" if person else effect.role
    zone = person.timezone if person else subject.timezone
    return [Entry(effect.not_before, zone, f"{effect.template} → {who}", template=effect.template)]


def describe_closed(effect: ClosePairings, state: InstanceState, at: datetime, subject: Participant) -> list[Entry]:
    """``pairings closed: a participant left``."""
    return [Entry(at, subject.timezone, f"pairings closed: {effect.reason}")]


handles(ScheduleTimer, react=react_timer)
handles(SendNotification, describe=describe_notification)
handles(ClosePairings, describe=describe_closed)
handles(Note)
