"""The engine at work on the database: starts instances, feeds them signals, applies their effects.

Everything one signal causes — the new state, timers, outbox rows, check-ins,
history — is written in the caller's transaction, and every effect is keyed,
so running the same signal twice never doubles anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tandem.plugin.models import (
    Event,
    InstanceHistory,
    InstanceParticipant,
    Pairing,
    Person,
    Programme,
    Timer,
    WorkflowDefinition,
    WorkflowInstance,
)

from . import appliers  # noqa: F401 - registers how the database carries out each effect
from .clock import Clock
from .effects import Effect, RequestMatch, SendNotification, handler_for
from .extensions import extensions
from .firetime import facts_for
from .machine import CheckInFacts, Happened, Signal, Start, TimerDue, advance
from .matching.adopt import announced_pairing, circle_as_partner, published_circle
from .matching.interface import DefaultMatcher, Matcher
from .state import InstanceState, Participant
from .store import default_programme, definition_for, latest_versions, parsed

ACTIVE = ("running", "paused")
RECENT_HIRE = timedelta(days=90)


def participant(person: Person) -> Participant:
    """What the engine keeps of a person in an instance's state."""
    return Participant(person.id, person.full_name, person.timezone or "UTC", person.country or "")


def describe(signal: Signal) -> str:
    """A short text for the history: ``start``, ``timer v3.prompt.1``, ``event checkin.completed``."""
    if isinstance(signal, Start):
        return "start"
    if isinstance(signal, TimerDue):
        return f"timer {signal.key}"
    return f"event {signal.type}"


@dataclass
class WorkflowRunner:
    """Runs workflows in one database session, at the clock's time."""

    session: Session
    clock: Clock
    matcher: Matcher = field(default_factory=DefaultMatcher)
    #: Batch mode: keyed inserts wait for :meth:`flush_inserts` (one statement per table for many steps).
    deferred: bool = False
    #: Instances this transaction already holds locked and current: :meth:`signal` does not reload them.
    locked: set[int] = field(default_factory=set)
    _pending: dict[type, list[dict[str, Any]]] = field(default_factory=dict, init=False, repr=False)

    # ---- starting --------------------------------------------------------------------------------

    def start(
        self, row: WorkflowDefinition, subject: Person, event: Event | None = None, programme: Programme | None = None
    ) -> WorkflowInstance:
        """Start ``row`` for ``subject`` now (pinned to that version), in ``programme``: by default the
        programme the definition's ``programme:`` key names."""
        definition = parsed(row)
        if programme is None and definition.programme:
            programme = self.session.scalars(select(Programme).where(Programme.slug == definition.programme)).first()
        instance = WorkflowInstance(
            definition=row, subject=subject, programme=programme, trigger_event=event, state=InstanceState().to_json()
        )
        self.session.add(instance)
        self.session.flush()
        context = {"remote": subject.remote, "department": subject.department, "location": subject.location}
        self.signal(instance, Start({definition.subject: participant(subject)}, context))
        return instance

    def should_start(self, event: Event, person: Person, programme: Programme | None) -> bool:
        """Whether ``event`` starts a run for ``person`` in ``programme``: programme running, person current."""
        if person.status == "left":
            return False
        backfill = person.hire_date is not None and person.hire_date < (self.clock.now() - RECENT_HIRE).date()
        if event.type == "employee.hired" and backfill:
            return False  # a directory backfill of long-standing staff, not a new hire
        return programme is None or programme.status == "active"

    def starters(self, event: Event) -> list[tuple[WorkflowDefinition, Programme | None]]:
        """The definitions ``event`` starts, each with the programme its run belongs to.

        An event of a programme (``pairing.proposed`` of a published pairing) starts the workflow
        that programme runs, whatever programme the definition's YAML names; an event of no
        programme (``employee.hired``) starts every definition it triggers, in the programme its
        ``programme:`` key names by default (see :func:`~tandem.workflows.store.default_programme`).
        """
        if event.programme_id is not None:
            programme = self.session.get(Programme, event.programme_id)
            row = definition_for(self.session, programme) if programme is not None else None
            if row is None or not row.active or row.trigger != event.type:
                return []
            return [(row, programme)]
        found: list[tuple[WorkflowDefinition, Programme | None]] = []
        for row in latest_versions(self.session):
            if row.active and row.trigger == event.type:
                programme = default_programme(self.session, row)
                if programme is None and parsed(row).programme:
                    continue  # its programme is missing, or now runs another workflow
                found.append((row, programme))
        return found

    # ---- events ----------------------------------------------------------------------------------

    def dispatch(self, event: Event) -> int:
        """Start the instances ``event`` triggers and deliver it to those it concerns; returns how many."""
        touched = 0
        started: set[int] = set()
        person = self.session.get(Person, event.person_id) if event.person_id else None
        if person is not None:
            for row, programme in self.starters(event):
                if self.should_start(event, person, programme):
                    exists = self.session.scalar(
                        select(WorkflowInstance.id).where(
                            WorkflowInstance.definition_id == row.id, WorkflowInstance.trigger_event_id == event.id
                        )
                    )
                    if exists is None:
                        started.add(self.start(row, person, event, programme).id)
                        touched += 1
        payload = {**(event.payload or {}), "person_id": event.person_id, "programme_id": event.programme_id}
        for instance in self.concerned(event):
            if instance.id not in started:
                self.signal(instance, Happened(event.type, payload))
                touched += 1
        return touched

    def concerned(self, event: Event) -> list[WorkflowInstance]:
        """The running instances an event is about."""
        query = select(WorkflowInstance).where(WorkflowInstance.status.in_(ACTIVE)).order_by(WorkflowInstance.id)
        if event.type == "programme.closed":
            return list(self.session.scalars(query.where(WorkflowInstance.programme_id == event.programme_id)))
        if event.type == "checkin.completed":  # finished runs too: every answer reaches its run's history
            return list(
                self.session.scalars(
                    select(WorkflowInstance).where(WorkflowInstance.id == (event.payload or {}).get("instance_id"))
                )
            )
        if event.person_id is None:
            return []
        involved = select(InstanceParticipant.instance_id).where(InstanceParticipant.person_id == event.person_id)
        return list(self.session.scalars(query.where(WorkflowInstance.id.in_(involved))))

    # ---- signals and effects ---------------------------------------------------------------------

    def signal(self, instance: WorkflowInstance, signal: Signal) -> None:
        """Advance ``instance`` by ``signal`` and apply what follows, in this transaction."""
        if instance.id not in self.locked:
            self.session.refresh(instance, with_for_update=self.session.get_bind().dialect.name == "postgresql")
        now = self.clock.now()
        state = InstanceState.from_json(instance.state)
        new_state, effects = advance(state, parsed(instance.definition), signal, now)
        instance.state, instance.status, instance.step = new_state.to_json(), new_state.status, new_state.step
        if new_state.roles.keys() != state.roles.keys():
            self._remember_participants(instance, new_state)
        self._pending.setdefault(InstanceHistory, []).append(
            {
                "instance_id": instance.id,
                "at": now,
                "signal": describe(signal),
                "status": new_state.status,
                "step": new_state.step,
                "effects": [effect.as_dict() for effect in effects],
            }
        )
        follow_ups = [signal for effect in effects if (signal := self.apply(instance, new_state, effect)) is not None]
        if not self.deferred:
            self.flush_inserts()
            self.session.flush()
        for follow_up in follow_ups:
            self.signal(instance, follow_up)

    def _remember_participants(self, instance: WorkflowInstance, state: InstanceState) -> None:
        known = set(
            self.session.scalars(select(InstanceParticipant.role).where(InstanceParticipant.instance_id == instance.id))
        )
        for role, data in state.roles.items():
            if role not in known and data["id"] > 0:
                self.session.add(InstanceParticipant(instance_id=instance.id, person_id=data["id"], role=role))

    def apply(self, instance: WorkflowInstance, state: InstanceState, effect: Effect) -> Signal | None:
        """Carry out one effect through its registered handler; returns a signal to feed back (a match result)."""
        apply = handler_for(effect).apply
        return apply(self, instance, state, effect) if apply is not None else None

    def insert_once(self, model: type, **values: Any) -> None:
        """Queue a keyed row; :meth:`flush_inserts` writes it unless its idempotency key exists."""
        self._pending.setdefault(model, []).append(values)

    def flush_inserts(self) -> None:
        """Write the queued rows, one statement per table: keyed rows ``ON CONFLICT DO NOTHING``, history as is."""
        insert = postgresql_insert if self.session.get_bind().dialect.name == "postgresql" else sqlite_insert
        for model, rows in self._pending.items():
            statement = insert(model.__table__)  # Core: no ORM bulk bookkeeping for rows nobody reads back
            if model is not InstanceHistory:
                column = "dedupe_key" if model is Timer else "idempotency_key"
                statement = statement.on_conflict_do_nothing(index_elements=[column])
            self.session.execute(statement, rows)
        self._pending.clear()

    def recipients(self, instance: WorkflowInstance, effect: SendNotification) -> list[int]:
        """Who receives a notification: the person in the role, or whom the role's registered resolver names
        (``manager``, ``hr``: see :mod:`tandem.workflows.extensions`)."""
        if effect.person_id is not None:
            return [effect.person_id]
        resolver = extensions().recipients.get(effect.role)
        return resolver(self.session, instance) if resolver is not None else []

    def match(self, instance: WorkflowInstance, state: InstanceState, effect: RequestMatch) -> Signal:
        """Take up the pairing the trigger announced, or ask the matcher; answer ``match.found``/``match.failed``."""
        subject = instance.subject
        programme = instance.programme
        if effect.programme:
            programme = self.session.scalars(select(Programme).where(Programme.slug == effect.programme)).first()
        if effect.role == "circle":
            circle = published_circle(self.session, subject, programme)
            if circle is None:
                return Happened("match.failed", {"role": effect.role, "reason": "not in a published circle yet"})
            context = {**instance.state.get("context", {}), "circle_id": circle.id}
            instance.state = {**instance.state, "context": context}
            return Happened("match.found", {"role": effect.role, "person": vars(circle_as_partner(circle, subject))})
        announced = announced_pairing(self.session, instance)
        if announced is not None:
            if not announced.is_open:
                return Happened("match.failed", {"role": effect.role, "reason": f"the pairing is {announced.status}"})
            announced.transition("start", self.clock.now())
            pairing, partner = announced, announced.mentor
        else:
            proposal = self.matcher.find(self.session, subject, programme, effect.role)
            if proposal is None:
                return Happened(
                    "match.failed", {"role": effect.role, "reason": "no eligible partner with free capacity"}
                )
            partner = proposal.person
            pairing = Pairing(
                programme=programme,
                mentor=partner,
                mentee=subject,
                status="active",
                score=proposal.score,
                score_breakdown=proposal.breakdown,
                proposed_at=self.clock.now(),
                started_at=self.clock.now(),
            )
            self.session.add(pairing)
        self.session.flush()
        context = dict(instance.state.get("context", {}))
        context["pairing_id"] = pairing.id
        context["pairing_ids"] = [*context.get("pairing_ids", []), pairing.id]
        instance.state = {**instance.state, "context": context}
        self.session.flush()
        return Happened("match.found", {"role": effect.role, "person": vars(participant(partner))})

    # ---- timers ----------------------------------------------------------------------------------

    def run(self, timer: Timer, facts: CheckInFacts | None = None) -> None:
        """Do what a due timer stands for: dispatch its event, or wake its instance.

        A reminder or escalation carries its check-in's rows as they are now
        (``facts``, read here unless the caller read a batch's at once): the
        database decides at fire time. A finished instance still hears its
        timers, so its history says why they did nothing (or its escalation goes out).
        """
        if timer.event_id is not None:
            self.dispatch(timer.event)
        elif timer.instance is not None:
            if facts is None:
                facts = facts_for(self.session, [timer]).get(timer.id)
            self.signal(timer.instance, TimerDue(timer.key, facts))
