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
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .definition import Definition
from .effects import Effect, handler_for
from .machine import FOLLOW_UP_TIMER, CheckInFacts, Happened, Signal, Start, TimerDue, advance
from .state import InstanceState, Participant
from .timeline import Entry

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
    world = World(subject, quiet, partner)
    steps: list[Step] = []
    world.pending.append((start, Start({definition.subject: subject})))
    while world.pending:
        if len(steps) >= max_steps or time.monotonic() > deadline:
            raise SimulationStopped(steps, state, _stop_reason(steps, start, max_steps))
        now, signal = world.pending.pop(0)
        try:
            state, effects = advance(state, definition, signal, now)
        except OverflowError:
            raise SimulationStopped(steps, state, PAST_9999) from None
        steps.append(Step(now, signal, tuple(effects)))
        world.now, world.order = now, len(steps) * 1000
        for effect in effects:
            react = handler_for(effect).react
            if react is not None:
                react(world, effect)
        if not world.pending and world.timers:  # a finished run still hears its timers, as on the database
            due, _, key = heapq.heappop(world.timers)
            if due <= end:
                world.pending.append((due, TimerDue(key, world.checkins.facts(key))))
    return steps, state


class CheckInBook:
    """The simulated world's check-in rows, so reminders and escalations see at fire time what the database shows."""

    def __init__(self) -> None:
        self.statuses: dict[tuple[str, int], dict[int, str]] = {}

    def mark(self, effect_key: str, sequence: int, respondent_ids: tuple[int, ...], status: str) -> None:
        """The respondents' rows of occurrence ``sequence`` (of the visit ``effect_key`` names) are now ``status``."""
        rows = self.statuses.setdefault((effect_key.split(".")[0], sequence), {})
        rows.update(dict.fromkeys(respondent_ids, status))

    def facts(self, timer_key: str) -> CheckInFacts | None:
        """What a follow-up timer finds (``None`` for any other timer), as ``firetime.facts_for`` reads it."""
        follow_up = FOLLOW_UP_TIMER.match(timer_key)
        if follow_up is None:
            return None
        return CheckInFacts.of(self.statuses.get((follow_up["visit"], int(follow_up["sequence"])), {}))


@dataclass
class World:
    """The simulated world effects act on (each effect type's ``react``): signals to feed back, timers, check-ins."""

    subject: Participant
    quiet: bool
    partner: Participant | None
    now: datetime | None = None
    order: int = 0
    pending: list[tuple[datetime, Signal]] = field(default_factory=list)
    timers: list[tuple[datetime, int, str]] = field(default_factory=list)
    checkins: CheckInBook = field(default_factory=CheckInBook)

    def answer(self, at: datetime, event: str, payload: dict[str, Any]) -> None:
        """The world answers with an event at ``at`` (a match found, a check-in completed)."""
        self.pending.append((at, Happened(event, payload)))

    def set_timer(self, due_at: datetime, key: str) -> None:
        """A timer fires at ``due_at`` (ties in the order they were set, as the scheduler claims them)."""
        heapq.heappush(self.timers, (due_at, self.order + len(self.timers), key))


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
            describe = handler_for(effect).describe
            if describe is not None:
                entries += [entry.labelled(template_label) for entry in describe(effect, state, step.at, subject)]
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
