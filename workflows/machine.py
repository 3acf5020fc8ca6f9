"""The transition function: ``advance(state, definition, signal, now) -> (state, effects)``.

Pure: no I/O and no clock reads. The runtime, the simulator and the tests all
call this same function, so a 90-day preview runs exactly the code production
runs. A signal the instance is not waiting for (a timer already superseded, an
event delivered twice) changes nothing.

What a step does lives in its step kind's module (``workflows/steps/``); this
module runs them: it enters steps, hands each step's timers and events to its
kind, and handles what concerns every run (leave, leaving, a closed programme).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .calendar import WorkCalendar
from .definition import Definition, Step
from .durations import Duration
from .effects import ClosePairings, Effect, Note, ScheduleTimer, SendNotification
from .state import CANCELLED, COMPLETED, PAUSED, RUNNING, InstanceState, Participant
from .steps import step_kind, step_kinds

MAX_INSTANT_STEPS = 200


# The key of a check-in's reminder or escalation timer (``v2.remind.3``; a retried one ``v2.escalate.3~r1``):
# what fires late reads its occurrence's check-in rows by it (``firetime``, and the simulator's own rows).
FOLLOW_UP_TIMER = re.compile(r"^(?P<visit>v\d+)\.(?P<kind>remind|escalate)\.(?P<sequence>\d+)(~r\d+)?$")


@dataclass(frozen=True)
class Start:
    """Start the instance with its first participants and context."""

    participants: dict[str, Participant]
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckInFacts:
    """What the database says, at fire time, of the check-in occurrence a reminder or escalation is about."""

    answered: frozenset[int] = frozenset()
    open: frozenset[int] = frozenset()

    @classmethod
    def of(cls, statuses: dict[int, str]) -> CheckInFacts:
        """From each respondent's check-in status."""
        return cls(
            frozenset(person for person, status in statuses.items() if status == "completed"),
            frozenset(person for person, status in statuses.items() if status == "open"),
        )


@dataclass(frozen=True)
class TimerDue:
    """A database timer of this instance came due; ``facts`` are its check-in's rows when it is about one."""

    key: str
    facts: CheckInFacts | None = None


@dataclass(frozen=True)
class Happened:
    """An event concerning this instance (``match.found``, ``checkin.completed``, ``employee.left`` …)."""

    type: str
    payload: dict[str, Any] = field(default_factory=dict)


Signal = Start | TimerDue | Happened


def advance(
    state: InstanceState, definition: Definition, signal: Signal, now: datetime
) -> tuple[InstanceState, list[Effect]]:
    """Apply ``signal`` at ``now``; return the new state and the effects to carry out."""
    run = Run(state.copy(), definition, now)
    if not run.state.finished:
        if isinstance(signal, Start):
            run.start(signal)
        elif isinstance(signal, TimerDue):
            run.timer(signal)
        else:
            run.event(signal)
    elif isinstance(signal, TimerDue):
        run.after_finish(signal)
    return run.state, run.effects


class Run:
    """One transition in progress: the state being changed and the effects gathered (what step kinds work on)."""

    def __init__(self, state: InstanceState, definition: Definition, now: datetime) -> None:
        self.state, self.definition, self.now = state, definition, now
        self.effects: list[Effect] = []

    # ---- helpers -------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        """The step the run is at."""
        return self.definition.steps[self.state.step]

    def key(self, name: str) -> str:
        """An effect key unique to this visit of the step (``v3.prompt.1``)."""
        return f"v{self.state.visit}.{name}"

    def calendar(self, role: str | None = None) -> WorkCalendar:
        """The working calendar of the person in ``role`` (default: the subject)."""
        person = self.state.participant(role or self.definition.subject)
        start, end = self.definition.working_hours
        if person is None:
            return WorkCalendar(start=start, end=end)
        return WorkCalendar(person.timezone, person.country, start, end)

    def wake(self, name: str, purpose: str, due_at: datetime) -> None:
        """A timer of this step at ``due_at``; its ``purpose`` reaches the step kind's ``on_timer``."""
        key = self.key(name)
        self.state.waiting.setdefault("timers", {})[key] = purpose
        self.effects.append(ScheduleTimer(key, due_at))

    def notify(
        self,
        roles: list[str],
        template: str,
        name: str,
        base: str | None = None,
        after: Duration | None = None,
        **context: Any,
    ) -> None:
        """``template`` to each role, at its person's next working moment (keyed by ``base`` or the visit).

        With ``after``, the message waits in the outbox that long (on the person's calendar) while the run goes on.
        """
        names = {role: data["name"] for role, data in self.state.roles.items()}
        for role in roles:
            person = self.state.participant(role)
            at = self.calendar(role).add(self.now, after) if after is not None else self.now
            not_before = self.calendar(role).next_working_moment(at) if person else at
            self.effects.append(
                SendNotification(
                    key=f"{base}.{role}" if base else self.key(f"{name}.{role}"),
                    role=role,
                    person_id=person.id if person else None,
                    template=template,
                    not_before=not_before,
                    context={"workflow": self.definition.name, "names": names, **context},
                )
            )

    def finish(self, status: str, reason: str) -> None:
        """End the run with ``status`` and ``reason``."""
        self.state.status, self.state.reason, self.state.waiting = status, reason, {}

    # ---- entering steps ------------------------------------------------------------------------

    def start(self, signal: Start) -> None:
        self.state.roles = {role: vars(person) for role, person in signal.participants.items()}
        self.state.context = dict(signal.context)
        self.enter(0)

    def enter(self, index: int) -> None:
        """Run instant steps from ``index`` until one waits, or the workflow ends."""
        for _ in range(MAX_INSTANT_STEPS):
            if index >= len(self.definition.steps):
                self.finish(COMPLETED, "all steps done")
                return
            self.state.step, self.state.visit, self.state.waiting = index, self.state.visit + 1, {}
            following = step_kind(self.step.kind).enter(self, self.step.options)
            if following is None or self.state.finished:
                return
            index = following
        self.finish(CANCELLED, f"more than {MAX_INSTANT_STEPS} steps without a wait: the definition loops")

    def next_index(self) -> int:
        """The index of the step after this one."""
        return self.state.step + 1

    def note(self, text: str) -> None:
        """Record why nothing was done (kept in the run's history)."""
        self.effects.append(Note(self.key("note"), text))

    def late_timer(self, base: str, facts: CheckInFacts | None) -> bool:
        """A timer some step kind left behind (an escalation), firing after its step: whether one took it."""
        return any(kind.on_late_timer(self, base, facts) for kind in step_kinds() if kind.on_late_timer is not None)

    # ---- signals -------------------------------------------------------------------------------

    def timer(self, signal: TimerDue) -> None:
        base = signal.key.split("~")[0]
        purpose = self.state.waiting.get("timers", {}).get(base)
        if purpose is None:
            if not self.late_timer(base, signal.facts):
                self.note(f"nothing to do: {base} is no longer awaited (already handled, or the run moved on)")
            return
        if self.state.status == PAUSED:
            if base not in self.state.paused_timers:
                self.state.paused_timers.append(base)
            return
        del self.state.waiting["timers"][base]
        step_kind(self.step.kind).on_timer(self, purpose, base, signal.facts)

    def after_finish(self, signal: TimerDue) -> None:
        """A timer of a finished run: only a completed run's pending escalation still goes out."""
        base = signal.key.split("~")[0]
        if self.state.status == CANCELLED or not self.late_timer(base, signal.facts):
            self.note(f"nothing to do: {base} came after the run was {self.state.status}")

    def event(self, signal: Happened) -> None:
        payload = signal.payload
        concerns_us = payload.get("person_id") in self.state.participant_ids()
        if signal.type == "programme.closed":
            self.effects.append(ClosePairings(self.key("closed"), "programme closed"))
            self.finish(COMPLETED, "programme closed")
        elif signal.type == "employee.left" and concerns_us:
            self.effects.append(ClosePairings(self.key("left"), "a participant left"))
            self.finish(CANCELLED, f"participant {payload['person_id']} left")
        elif signal.type == "employee.leave_started" and concerns_us and self.state.status == RUNNING:
            self.state.status = PAUSED
        elif signal.type == "employee.leave_ended" and concerns_us and self.state.status == PAUSED:
            self.resume()
        else:  # the rest concerns the step the run is at
            kind = step_kind(self.step.kind)
            if kind.on_event is not None:
                kind.on_event(self, signal)

    def resume(self) -> None:
        self.state.status = RUNNING
        for base in self.state.paused_timers:
            self.state.resumes += 1
            self.effects.append(
                ScheduleTimer(f"{base}~r{self.state.resumes}", self.calendar().next_working_moment(self.now))
            )
        self.state.paused_timers = []
