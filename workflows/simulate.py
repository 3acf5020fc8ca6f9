"""Simulation: a definition's timeline for one person, on a virtual clock.

The very transition function production runs, driven by a loop that fires
timers in order instead of a scheduler. Matches are filled at once by a
stand-in, and every check-in is answered unless ``quiet`` is set (then the
timeline shows the reminders and escalations a silent pair would get).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from .definition import Definition
from .effects import (
    ClosePairings,
    Effect,
    MarkCheckInMissed,
    OpenCheckIn,
    RequestMatch,
    ScheduleTimer,
    SendNotification,
)
from .machine import Happened, Signal, Start, TimerDue, advance
from .state import InstanceState, Participant


@dataclass(frozen=True)
class Entry:
    """One line of a timeline."""

    at: datetime
    timezone: str
    text: str

    def format(self, start: datetime) -> str:
        """``day 1  Tue 2026-11-24 09:00 Europe/Berlin  text``."""
        local = self.at.astimezone(ZoneInfo(self.timezone))
        day = (self.at.date() - start.date()).days
        return f"day {day:<3} {local:%a %Y-%m-%d %H:%M} {self.timezone:<18} {self.text}"


def simulate(
    definition: Definition, subject: Participant, start: datetime, days: int = 90, quiet: bool = False
) -> list[Entry]:
    """Run ``definition`` for ``subject`` from ``start`` for ``days``; return the timeline."""
    end = start + timedelta(days=days)
    state = InstanceState()
    timers: list[tuple[datetime, str]] = []
    entries: list[Entry] = []
    pending: list[tuple[datetime, Signal]] = [(start, Start({definition.subject: subject}))]
    while pending:
        now, signal = pending.pop(0)
        state, effects = advance(state, definition, signal, now)
        for effect in effects:
            entries += _describe(effect, state, now, subject)
            pending += _reactions(effect, state, now, subject, quiet)
            if isinstance(effect, ScheduleTimer):
                heapq.heappush(timers, (effect.due_at, effect.key))
        if not pending and timers and not state.finished:
            due, key = heapq.heappop(timers)
            if due <= end:
                pending.append((due, TimerDue(key)))
    if state.finished:
        entries.append(
            Entry(
                max((e.at for e in entries), default=start),
                subject.timezone,
                f"workflow {state.status}: {state.reason}",
            )
        )
    return sorted(entries, key=lambda entry: entry.at)


def _reactions(
    effect: Effect, state: InstanceState, now: datetime, subject: Participant, quiet: bool
) -> list[tuple[datetime, Signal]]:
    """What the simulated world answers: a stand-in match, answered check-ins."""
    if isinstance(effect, RequestMatch):
        stand_in = Participant(
            id=-1, name=f"the matched {effect.role}", timezone=subject.timezone, country=subject.country
        )
        return [(now, Happened("match.found", {"role": effect.role, "person": vars(stand_in)}))]
    if isinstance(effect, OpenCheckIn) and not quiet:
        return [
            (now, Happened("checkin.completed", {"sequence": effect.sequence, "person_id": person_id, "rating": 4}))
            for person_id in effect.respondent_ids
        ]
    return []


def _describe(effect: Effect, state: InstanceState, now: datetime, subject: Participant) -> list[Entry]:
    names = {data["id"]: data["name"] for data in state.roles.values()}
    if isinstance(effect, SendNotification):
        person = state.participant(effect.role)
        who = f"{person.name} ({effect.role})" if person else effect.role
        zone = person.timezone if person else subject.timezone
        return [Entry(effect.not_before, zone, f"{effect.template} → {who}")]
    if isinstance(effect, RequestMatch):
        return [Entry(now, subject.timezone, f"match: find a {effect.role}")]
    if isinstance(effect, OpenCheckIn):
        people = ", ".join(names.get(i, str(i)) for i in effect.respondent_ids)
        return [Entry(now, subject.timezone, f"check-in {effect.sequence} opens for {people}")]
    if isinstance(effect, MarkCheckInMissed):
        return [Entry(now, subject.timezone, f"check-in {effect.sequence} missed")]
    if isinstance(effect, ClosePairings):
        return [Entry(now, subject.timezone, f"pairings closed: {effect.reason}")]
    return []
