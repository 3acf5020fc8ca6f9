"""Simulation: a definition's timeline for one person, on a virtual clock.

The very transition function production runs, driven by a loop that fires
timers in order instead of a scheduler. Matches are filled at once by a
stand-in, and every check-in is answered unless ``quiet`` is set (then the
timeline shows the reminders and escalations a silent pair would get).
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
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
from .machine import FOLLOW_UP_TIMER, CheckInFacts, Happened, Signal, Start, TimerDue, advance
from .state import InstanceState, Participant

# A simulation's bounds: far more transitions than any real programme makes in two years
# (104 check-ins with reminders and escalations), and a wall-clock budget behind them.
MAX_STEPS = 10_000
MAX_SECONDS = 3.0
PAST_9999 = "preview stopped: its dates would run past the year 9999"


class SimulationStopped(Exception):
    """A simulation cut short at its bound; ``steps`` and ``state`` are what it reached."""

    def __init__(self, steps: list[Step], state: InstanceState, reason: str) -> None:
        super().__init__(reason)
        self.steps = steps
        self.state = state
        self.reason = reason


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
    max_steps: int = MAX_STEPS,
    max_seconds: float = MAX_SECONDS,
) -> tuple[list[Step], InstanceState]:
    """Every transition of ``definition`` for ``subject`` over ``days``, on a virtual clock.

    Timers fire in due order (ties in the order they were set, as the scheduler
    claims them), after the run finished too (an escalation still goes out);
    ``partner`` (default: a stand-in) fills every ``match``.
    Raises :class:`SimulationStopped` after ``max_steps`` transitions or
    ``max_seconds`` of real time, whichever comes first.
    """
    deadline = time.monotonic() + max_seconds
    state = InstanceState()
    try:
        end = start + timedelta(days=days)
    except OverflowError:
        raise SimulationStopped([], state, PAST_9999) from None
    timers: list[tuple[datetime, int, str]] = []
    checkins = CheckInBook()
    steps: list[Step] = []
    pending: list[tuple[datetime, Signal]] = [(start, Start({definition.subject: subject}))]
    while pending:
        if len(steps) >= max_steps or time.monotonic() > deadline:
            raise SimulationStopped(steps, state, _stop_reason(steps, start, max_steps))
        now, signal = pending.pop(0)
        try:
            state, effects = advance(state, definition, signal, now)
        except OverflowError:
            raise SimulationStopped(steps, state, PAST_9999) from None
        steps.append(Step(now, signal, tuple(effects)))
        for effect in effects:
            checkins.record(effect, answered=not quiet)
            pending += _reactions(effect, now, subject, quiet, partner)
            if isinstance(effect, ScheduleTimer):
                heapq.heappush(timers, (effect.due_at, len(steps) * 1000 + len(timers), effect.key))
        if not pending and timers:  # a finished run still hears its timers, as on the database
            due, _, key = heapq.heappop(timers)
            if due <= end:
                pending.append((due, TimerDue(key, checkins.facts(key))))
    return steps, state


class CheckInBook:
    """The simulated world's check-in rows, so reminders and escalations see at fire time what the database shows."""

    def __init__(self) -> None:
        self.statuses: dict[tuple[str, int], dict[int, str]] = {}

    def record(self, effect: Effect, answered: bool) -> None:
        """Open (and, unless the run is quiet, answer at once) or miss the check-ins ``effect`` is about."""
        if isinstance(effect, OpenCheckIn | MarkCheckInMissed):
            rows = self.statuses.setdefault((effect.key.split(".")[0], effect.sequence), {})
            status = "missed" if isinstance(effect, MarkCheckInMissed) else "completed" if answered else "open"
            rows.update(dict.fromkeys(effect.respondent_ids, status))

    def facts(self, timer_key: str) -> CheckInFacts | None:
        """What a follow-up timer finds (``None`` for any other timer), as ``firetime.facts_for`` reads it."""
        follow_up = FOLLOW_UP_TIMER.match(timer_key)
        if follow_up is None:
            return None
        return CheckInFacts.of(self.statuses.get((follow_up["visit"], int(follow_up["sequence"])), {}))


def simulate(
    definition: Definition,
    subject: Participant,
    start: datetime,
    days: int = 90,
    quiet: bool = False,
    template_label: Callable[[str], str] = str,
) -> list[Entry]:
    """Run ``definition`` for ``subject`` from ``start`` for ``days``; return the timeline.

    A definition that loops faster than a simulation can follow ends its
    timeline with a line saying where and why it stopped. ``template_label``
    turns a template name into the words a page shows for it.
    """
    stopped = None
    try:
        steps, state = trace(definition, subject, start, days, quiet)
    except SimulationStopped as bound:
        steps, state, stopped = bound.steps, bound.state, bound.reason
    entries: list[Entry] = []
    for step in steps:
        for effect in step.effects:
            entries += _describe(effect, state, step.at, subject, template_label)
    if state.finished:
        last = max((e.at for e in entries), default=start)
        entries.append(Entry(last, subject.timezone, f"workflow {state.status}: {state.reason}"))
    entries.sort(key=lambda entry: entry.at)
    if stopped:
        entries.append(Entry(steps[-1].at if steps else start, subject.timezone, stopped))
    return entries


def _stop_reason(steps: list[Step], start: datetime, max_steps: int) -> str:
    reached = steps[-1].at if steps else start
    why = f"after {len(steps):,} steps" if len(steps) >= max_steps else f"after {len(steps):,} steps (time limit)"
    return (
        f"preview stopped {why}, on day {(reached.date() - start.date()).days}:"
        " the workflow loops faster than a preview can follow"
    )


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


def _describe(
    effect: Effect, state: InstanceState, now: datetime, subject: Participant, template_label: Callable[[str], str]
) -> list[Entry]:
    names = {data["id"]: data["name"] for data in state.roles.values()}
    if isinstance(effect, SendNotification):
        person = state.participant(effect.role)
        who = f"{person.name} ({effect.role})" if person else effect.role
        zone = person.timezone if person else subject.timezone
        return [Entry(effect.not_before, zone, f"{template_label(effect.template)} → {who}")]
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
