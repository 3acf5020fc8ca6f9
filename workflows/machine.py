"""The transition function: ``advance(state, definition, signal, now) -> (state, effects)``.

Pure: no I/O and no clock reads. The runtime, the simulator and the tests all
call this same function, so a 90-day preview runs exactly the code production
runs. A signal the instance is not waiting for (a timer already superseded, an
event delivered twice) changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .calendar import WorkCalendar
from .definition import Definition, Step
from .durations import Duration
from .effects import (
    ClosePairings,
    Effect,
    MarkCheckInMissed,
    Note,
    OpenCheckIn,
    RequestMatch,
    ScheduleTimer,
    SendNotification,
)
from .state import CANCELLED, COMPLETED, PAUSED, RUNNING, InstanceState, Participant

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
    run = _Run(state.copy(), definition, now)
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


class _Run:
    """One transition in progress: the state being changed and the effects gathered."""

    def __init__(self, state: InstanceState, definition: Definition, now: datetime) -> None:
        self.state, self.definition, self.now = state, definition, now
        self.effects: list[Effect] = []

    # ---- helpers -------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.definition.steps[self.state.step]

    def key(self, name: str) -> str:
        return f"v{self.state.visit}.{name}"

    def calendar(self, role: str | None = None) -> WorkCalendar:
        person = self.state.participant(role or self.definition.subject)
        start, end = self.definition.working_hours
        if person is None:
            return WorkCalendar(start=start, end=end)
        return WorkCalendar(person.timezone, person.country, start, end)

    def wake(self, name: str, purpose: str, due_at: datetime) -> None:
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
            following = getattr(self, f"enter_{self.step.kind}")(self.step.options)
            if following is None or self.state.finished:
                return
            index = following
        self.finish(CANCELLED, f"more than {MAX_INSTANT_STEPS} steps without a wait: the definition loops")

    def next_index(self) -> int:
        return self.state.step + 1

    def enter_notify(self, options: dict[str, Any]) -> int:
        # With ``after``, the message waits in the outbox that long while the run goes on (a 30-day pulse).
        self.notify(options["to"], options["template"], "notify", after=self.step.duration("after"))
        return self.next_index()

    def enter_wait(self, options: dict[str, Any]) -> None:
        if "for" in options:
            due = self.calendar().add(self.now, self.step.duration("for"))
        elif "until_next" in options:
            # The subject's own calendar: the same wall-clock time on either side of a DST change.
            earliest = self.calendar().add(self.now, self.step.duration("after")) if "after" in options else self.now
            due = self.calendar().next_weekday_at(earliest, *self.step.weekday_clock("until_next"))
        else:
            due = self.calendar().next_working_moment(
                datetime.fromisoformat(options["until"]).replace(tzinfo=self.now.tzinfo)
            )
        self.wake("wait", "done", max(due, self.now))

    def enter_match(self, options: dict[str, Any]) -> None:
        self.state.waiting["match"] = options["role"]
        self.effects.append(RequestMatch(self.key("match"), options["role"], options.get("programme")))
        if "within" in options:
            self.wake("match-deadline", "deadline", self.calendar().add(self.now, self.step.duration("within")))

    def enter_wait_for(self, options: dict[str, Any]) -> None:
        self.state.waiting["event"] = options["event"]
        self.wake("timeout", "timeout", self.calendar().add(self.now, self.step.duration("timeout")))

    def enter_branch(self, options: dict[str, Any]) -> int:
        source, _, name = options["by"].partition(".")
        value = (self.state.answers if source == "answer" else self.state.context).get(name)
        for case in options["cases"]:
            if _matches(case, value):
                return self.definition.index_of(case["goto"])
        return self.definition.index_of(options["otherwise"]) if "otherwise" in options else self.next_index()

    def enter_goto(self, options: dict[str, Any]) -> int:
        return self.definition.index_of(options["step"])

    def enter_campaign_item(self, options: dict[str, Any]) -> int:
        self.notify(
            options["to"], "campaign/item", "item", item=options["item"], acknowledge=options.get("acknowledge", True)
        )
        if options.get("discuss"):
            self.state.discuss.append(options["item"])
        return self.next_index()

    def enter_close(self, options: dict[str, Any]) -> None:
        self.finish(COMPLETED, options.get("reason", "closed"))

    def enter_check_in(self, options: dict[str, Any]) -> None:
        self.schedule_prompt(1, self.now)

    # ---- check-ins -----------------------------------------------------------------------------

    def schedule_prompt(self, sequence: int, previous: datetime) -> None:
        every = self.step.duration("every")
        due = self.calendar().add(previous, every)
        if every.delta >= timedelta(days=1):
            due = self.calendar().morning_of(due)  # daily or slower cadences: at the start of the working day
        if sequence > self.step.options["times"]:
            self.wake("end", "end", due)
        else:
            self.wake(f"prompt.{sequence}", f"prompt:{sequence}", due)

    def respondents(self) -> list[Participant]:
        people = (self.state.participant(role) for role in self.step.options["between"])
        return [person for person in people if person is not None]

    def unanswered(self, sequence: int, facts: CheckInFacts | None = None) -> list[Participant]:
        done = set(self.state.answered.get(str(sequence), [])) | (facts.answered if facts else set())
        return [person for person in self.respondents() if person.id not in done]

    def note(self, text: str) -> None:
        self.effects.append(Note(self.key("note"), text))

    def close_occurrence(self, sequence: int) -> None:
        missing = self.unanswered(sequence)
        if missing:
            self.effects.append(
                MarkCheckInMissed(self.key(f"missed.{sequence}"), sequence, tuple(p.id for p in missing))
            )

    def on_check_in_timer(self, purpose: str, base: str, facts: CheckInFacts | None) -> None:
        kind, _, number = purpose.partition(":")
        options = self.step.options
        if kind == "end":
            self.close_occurrence(options["times"])
            self.enter(self.next_index())
            return
        sequence = int(number)
        if kind == "prompt":
            if sequence > 1:
                self.close_occurrence(sequence - 1)
            prompts, self.state.discuss = tuple(self.state.discuss), []
            ids = tuple(person.id for person in self.respondents())
            self.effects.append(OpenCheckIn(self.key(f"checkin.{sequence}"), sequence, ids, self.now, prompts))
            self.notify(
                options["between"],
                options.get("template", "checkin/prompt"),
                f"prompt.{sequence}",
                sequence=sequence,
                prompts=list(prompts),
            )
            if "remind_after" in options:
                self.wake(
                    f"remind.{sequence}",
                    f"remind:{sequence}",
                    self.calendar().add(self.now, self.step.duration("remind_after")),
                )
            if "escalate_after" in options:
                self.wake(
                    f"escalate.{sequence}",
                    f"escalate:{sequence}",
                    self.calendar().add(self.now, self.step.duration("escalate_after")),
                )
                self.state.escalations[self.key(f"escalate.{sequence}")] = {
                    "step": self.state.step,
                    "sequence": sequence,
                }
            self.schedule_prompt(sequence + 1, self.now)
        elif kind == "remind":
            waiting = [
                person
                for person in self.unanswered(sequence, facts)
                if facts is None or person.id in facts.open  # a missed (closed) check-in is not reminded of
            ]
            roles = [role for role in options["between"] if self.state.participant(role) in waiting]
            if roles:
                self.notify(roles, "checkin/reminder", f"remind.{sequence}", sequence=sequence)
            else:
                self.note(f"no reminder: check-in {sequence} is answered or closed for everyone")
        elif kind == "escalate":
            self.state.escalations.pop(base, None)
            self.escalate(options, base, sequence, facts)

    def escalate(self, options: dict[str, Any], base: str, sequence: int, facts: CheckInFacts | None) -> None:
        """Tell ``escalate_to`` that nobody answered check-in ``sequence`` (keyed by the timer, wherever the run is)."""
        if len(self.unanswered(sequence, facts)) == len(self.respondents()):
            self.notify([options.get("escalate_to", "hr")], "checkin/escalation", "", base=base, sequence=sequence)
        else:
            self.note(f"no escalation: check-in {sequence} was answered")

    def late_escalation(self, base: str, facts: CheckInFacts | None) -> bool:
        """An escalation whose step the run has left (or finished): it still goes out for a missed check-in."""
        pending = self.state.escalations.pop(base, None)
        if pending is None:
            return False
        step = self.definition.steps[pending["step"]] if pending["step"] < len(self.definition.steps) else None
        if step is None or step.kind != "check_in":
            self.note(f"no escalation: step {pending['step']} is no longer a check-in")
            return True
        respondents = [p for p in (self.state.participant(r) for r in step.options["between"]) if p is not None]
        done = set(self.state.answered.get(str(pending["sequence"]), [])) | (facts.answered if facts else set())
        if any(person.id in done for person in respondents):
            self.note(f"no escalation: check-in {pending['sequence']} was answered")
        else:
            self.notify(
                [step.options.get("escalate_to", "hr")],
                "checkin/escalation",
                "",
                base=base,
                sequence=pending["sequence"],
            )
        return True

    # ---- signals -------------------------------------------------------------------------------

    def timer(self, signal: TimerDue) -> None:
        base = signal.key.split("~")[0]
        purpose = self.state.waiting.get("timers", {}).get(base)
        if purpose is None:
            if not self.late_escalation(base, signal.facts):
                self.note(f"nothing to do: {base} is no longer awaited (already handled, or the run moved on)")
            return
        if self.state.status == PAUSED:
            if base not in self.state.paused_timers:
                self.state.paused_timers.append(base)
            return
        del self.state.waiting["timers"][base]
        kind = self.step.kind
        if kind == "check_in":
            self.on_check_in_timer(purpose, base, signal.facts)
        elif kind == "match":
            self.notify(["hr"], "operations/match-overdue", "match-overdue", role=self.step.options["role"])
        elif kind == "wait_for" and "on_timeout" in self.step.options:
            self.enter(self.definition.index_of(self.step.options["on_timeout"]))
        else:
            self.enter(self.next_index())

    def after_finish(self, signal: TimerDue) -> None:
        """A timer of a finished run: only a completed run's pending escalation still goes out."""
        base = signal.key.split("~")[0]
        if self.state.status == CANCELLED or not self.late_escalation(base, signal.facts):
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
        elif signal.type == "match.found" and self.state.waiting.get("match") == payload.get("role"):
            self.state.roles[payload["role"]] = dict(payload["person"])
            self.enter(self.next_index())
        elif signal.type == "match.failed" and self.state.waiting.get("match") == payload.get("role"):
            self.notify(
                ["hr"],
                "operations/match-failed",
                "match-failed",
                role=payload["role"],
                reason=payload.get("reason", ""),
            )
        elif signal.type == "checkin.completed" and self.step.kind == "check_in":
            self.record_answer(payload)
        elif self.state.waiting.get("event") == signal.type and self.state.status == RUNNING:
            self.enter(self.next_index())

    def record_answer(self, payload: dict[str, Any]) -> None:
        done = self.state.answered.setdefault(str(payload["sequence"]), [])
        if payload["person_id"] not in done:
            done.append(payload["person_id"])
        if payload.get("rating") is not None:
            self.state.answers["rating"] = payload["rating"]

    def resume(self) -> None:
        self.state.status = RUNNING
        for base in self.state.paused_timers:
            self.state.resumes += 1
            self.effects.append(
                ScheduleTimer(f"{base}~r{self.state.resumes}", self.calendar().next_working_moment(self.now))
            )
        self.state.paused_timers = []


def _matches(case: dict[str, Any], value: Any) -> bool:
    if "equals" in case:
        return value == case["equals"]
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if "below" in case:
        return value < case["below"]
    return value >= case["at_least"]
