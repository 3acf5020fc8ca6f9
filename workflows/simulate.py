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


@dataclass(frozen=True)
class Step:
    """One transition of a virtual run: when, what arrived, what it caused."""

    at: datetime
    signal: Signal
    effects: tuple[Effect, ...]


def trace(
    definition: Definition,
    subject: Participant,
    start: datetime,
    days: int = 90,
    quiet: bool = False,
    partner: Participant | None = None,
) -> tuple[list[Step], InstanceState]:
    """Every transition of ``definition`` for ``subject`` over ``days``, on a virtual clock.

    Timers fire in due order (ties in the order they were set, as the scheduler
    claims them), after the run finished too (an escalation still goes out);
    ``partner`` (default: a stand-in) fills every ``match``.
    """
    end = start + timedelta(days=days)
    state = InstanceState()
    timers: list[tuple[datetime, int, str]] = []
    steps: list[Step] = []
    pending: list[tuple[datetime, Signal]] = [(start, Start({definition.subject: subject}))]
    while pending:
        now, signal = pending.pop(0)
        state, effects = advance(state, definition, signal, now)
        steps.append(Step(now, signal, tuple(effects)))
        for effect in effects:
            pending += _reactions(effect, now, subject, quiet, partner)
            if isinstance(effect, ScheduleTimer):
                heapq.heappush(timers, (effect.due_at, len(steps) * 1000 + len(timers), effect.key))
        if not pending and timers:  # a finished run still hears its timers, as on the database
            due, _, key = heapq.heappop(timers)
            if due <= end:
                pending.append((due, TimerDue(key)))
    return steps, state


def simulate(
    definition: Definition, subject: Participant, start: datetime, days: int = 90, quiet: bool = False
) -> list[Entry]:
    """Run ``definition`` for ``subject`` from ``start`` for ``days``; return the timeline."""
    steps, state = trace(definition, subject, start, days, quiet)
    entries: list[Entry] = []
    for step in steps:
        for effect in step.effects:
            entries += _describe(effect, state, step.at, subject)
    if state.finished:
        last = max((e.at for e in entries), default=start)
        entries.append(Entry(last, subject.timezone, f"workflow {state.status}: {state.reason}"))
    return sorted(entries, key=lambda entry: entry.at)


def _reactions(
    effect: Effect, now: datetime, subject: Participant, quiet: bool, partner: Participant | None
) -> list[tuple[datetime, Signal]]:
    """What the simulated world answers: a stand-in match, answered check-ins."""
    if isinstance(effect, RequestMatch):
        stand_in = partner or Participant(
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
