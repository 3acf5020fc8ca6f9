"""A message's due steps, run set-based on Core rows: no ORM objects, one statement per table.

:func:`run_due_steps` is the fast path of :func:`tandem.workflows.jobs.run_timers`.
In one transaction it

1. reads the due instance timers of the message with their instances' state
   and definition versions in one ``SELECT`` (on PostgreSQL ``FOR UPDATE OF``
   timer and instance ``SKIP LOCKED``: a row another transaction holds is left
   to the one-by-one path, which reports it busy or waits for its instance);
2. reads what the check-ins of any reminder or escalation are now, in one query
   (the database decides at fire time), and the enrolments of check-ins that
   belong to no pairing, in one more;
3. advances every instance with the one pure transition function, ``advance``,
   each definition parsed once per version and process
   (:func:`~tandem.workflows.store.parsed_versions`);
4. writes the history, timers, outbox rows and check-ins with one
   ``INSERT … ON CONFLICT DO NOTHING`` each (keyed exactly as the runtime keys
   them, by the same row builders in :mod:`~tandem.workflows.appliers`), the
   instances' new state with one executemany ``UPDATE`` and the timers' end
   with one ``UPDATE``; then commits.

A step it cannot run this way is handed back, untouched, to the one-by-one
path: an event to dispatch, a second timer of the same instance, a step whose
effects need more than rows (a match, a missed check-in and its event, closing
pairings, a recipient resolved by role, a new participant), and a step whose
transition raises — that one is retried on its own and becomes an incident,
while the rest of its batch completes here.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import JSON, Table, Text, bindparam, cast, func, select, update
from sqlalchemy import column as sql_column
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from tandem.plugin.models import (
    CheckIn,
    Enrolment,
    InstanceHistory,
    Notification,
    Timer,
    WorkflowDefinition,
    WorkflowInstance,
)

from .appliers import checkin_rows, notification_rows, open_check_in, schedule_timer, send_notification, timer_row
from .clock import Clock
from .effects import Effect, OpenCheckIn, ScheduleTimer, SendNotification, handler_for
from .firetime import facts_for
from .machine import TimerDue, advance
from .runtime import describe
from .state import InstanceState
from .store import parsed_versions

RUNNABLE = ("pending", "claimed")

_TIMER: Table = Timer.__table__
_INSTANCE: Table = WorkflowInstance.__table__
_VERSION: Table = WorkflowDefinition.__table__
_ENROLMENT: Table = Enrolment.__table__

# Built once per process: SQLAlchemy then finds each statement's compiled form in its cache by identity.
_DUE = (
    select(
        _TIMER.c.id,
        _TIMER.c.instance_id,
        _TIMER.c.key,
        _INSTANCE.c.state,
        _INSTANCE.c.programme_id,
        _VERSION.c.id.label("definition_id"),
        _VERSION.c.created_at,
    )
    .join(_INSTANCE, _INSTANCE.c.id == _TIMER.c.instance_id)
    .join(_VERSION, _VERSION.c.id == _INSTANCE.c.definition_id)
    .where(
        _TIMER.c.id.in_(bindparam("ids", expanding=True)),
        _TIMER.c.status.in_(RUNNABLE),
        _TIMER.c.event_id.is_(None),
    )
    .order_by(_TIMER.c.id)
)
_DUE_LOCKED = _DUE.with_for_update(skip_locked=True, of=[_TIMER, _INSTANCE])
_ENROLMENTS = (
    select(_ENROLMENT.c.id, _ENROLMENT.c.programme_id, _ENROLMENT.c.person_id)
    .where(
        _ENROLMENT.c.programme_id.in_(bindparam("programmes", expanding=True)),
        _ENROLMENT.c.person_id.in_(bindparam("people", expanding=True)),
    )
    .order_by(_ENROLMENT.c.id)
)
_NEW_STATE = (
    update(_INSTANCE)
    .where(_INSTANCE.c.id == bindparam("b_id"))
    .values(
        state=bindparam("b_state", type_=_INSTANCE.c.state.type),
        status=bindparam("b_status"),
        step=bindparam("b_step"),
    )
)
_DONE = (
    update(_TIMER)
    .where(_TIMER.c.id.in_(bindparam("ids", expanding=True)))
    .values(status="done", done_at=bindparam("now", type_=_TIMER.c.done_at.type), lease_until=None)
)
_STATE_KEYS = ("b_id", "b_state", "b_status", "b_step")
_KEYS = {Timer: "dedupe_key", Notification: "idempotency_key", CheckIn: "idempotency_key"}
# Tables whose inserts others read row by row from the statement's parameters: the rollups learn whose
# numbers a check-in moves that way (plugin/rollups/tracking.py), so check-ins stay an executemany.
_ROWS_SEEN = {CheckIn}
_INSERTS: dict[tuple[str, type], Any] = {}

# The effects this path writes as rows, each with the runtime handler whose rows it writes: an effect
# whose handler was registered otherwise (or any other effect with a handler) goes the one-by-one way.
_ROWS = {ScheduleTimer: schedule_timer, SendNotification: send_notification, OpenCheckIn: open_check_in}


def _insert(dialect: str, model: type) -> Any:
    """The keyed insert of ``model``'s table for ``dialect``, built once.

    On SQLite an executemany (in process: no round trips), and so for check-ins
    everywhere (see ``_ROWS_SEEN``). Else, on PostgreSQL, one
    ``INSERT … SELECT … FROM json_to_recordset(:rows)``: every row in one
    parameter, JSON-encoded in one call, one round trip, and one query text that
    the driver parses once (a multi-row ``VALUES`` would be a new text per batch
    size, and psycopg's executemany sends one statement per row).
    """
    statement = _INSERTS.get((dialect, model))
    if statement is None:
        table: Table = model.__table__
        if dialect == "postgresql" and model not in _ROWS_SEEN:
            columns = [column for column in table.columns if not column.primary_key]
            rows = _recordset(columns)
            statement = postgresql_insert(table).from_select(
                [column.name for column in columns], select(*(rows.c[column.name] for column in columns))
            )
        else:
            statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
        if model in _KEYS:
            statement = statement.on_conflict_do_nothing(index_elements=[_KEYS[model]])
        _INSERTS[(dialect, model)] = statement
    return statement


def _recordset(columns: list[Any]) -> Any:
    """``json_to_recordset(CAST(:rows AS JSON)) AS r(<columns with their types>)``: rows from one JSON parameter."""
    return (
        func.json_to_recordset(cast(bindparam("rows", type_=Text), JSON))
        .table_valued(*(sql_column(column.name, column.type) for column in columns))
        .render_derived(name="r", with_types=True)
    )


_STATE_ROWS = _recordset([_INSTANCE.c.id, _INSTANCE.c.state, _INSTANCE.c.status, _INSTANCE.c.step])
_NEW_STATE_PG = (
    update(_INSTANCE)
    .where(_INSTANCE.c.id == _STATE_ROWS.c.id)
    .values(state=_STATE_ROWS.c.state, status=_STATE_ROWS.c.status, step=_STATE_ROWS.c.step)
)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _as_json(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The parameter of a recordset statement: all rows, JSON-encoded at once."""
    return {"rows": json.dumps(rows, default=_encode, separators=(",", ":"))}


def _with_defaults(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with the Python-side defaults of the columns they leave out (what an executemany would add),
    each default computed once for the whole batch."""
    given = rows[0].keys()
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None or column.primary_key:
            continue
        defaults[column.name] = default.arg(None) if default.is_callable else default.arg
    return [{**defaults, **row} for row in rows] if defaults else rows


def runs_as_rows(effect: Effect) -> bool:
    """Whether this path can carry out ``effect`` with rows alone (else its step goes the one-by-one way)."""
    apply = handler_for(effect).apply
    if apply is None:
        return True  # a note: nothing to do
    if _ROWS.get(type(effect)) is not apply:
        return False
    return not (isinstance(effect, SendNotification) and effect.person_id is None)  # a role resolved by query


def run_due_steps(session: Session, timer_ids: list[int], clock: Clock) -> tuple[list[int], list[int]]:
    """Run what it can of ``timer_ids`` in one transaction and commit; returns ``(done, rest)``.

    ``done`` are the timers run and committed here; ``rest`` are the others, untouched, for the
    one-by-one path (which also reports those already done, cancelled or locked elsewhere).
    """
    dialect = session.get_bind().dialect.name
    due = session.execute(_DUE_LOCKED if dialect == "postgresql" else _DUE, {"ids": timer_ids}).all()
    first: dict[int, Row[Any]] = {}
    for row in due:
        first.setdefault(row.instance_id, row)
    definitions = parsed_versions(session, {(row.definition_id, row.created_at) for row in first.values()})
    facts = facts_for(session, first.values())
    now = clock.now()
    steps = []
    for row in first.values():
        signal = TimerDue(row.key, facts.get(row.id))
        try:
            state = InstanceState.from_json(row.state)
            new_state, effects = advance(state, definitions[row.definition_id], signal, now)
        except Exception:
            continue  # the one-by-one path runs it again and records the failure, on its own
        if new_state.roles.keys() == state.roles.keys() and all(runs_as_rows(effect) for effect in effects):
            steps.append((row, signal, new_state, effects))
    if not steps:
        session.rollback()
        return [], list(timer_ids)
    _write(session, dialect, steps, now)
    done = [row.id for row, _, _, _ in steps]
    session.execute(_DONE, {"ids": done, "now": now})
    session.commit()
    ran = set(done)
    return done, [timer_id for timer_id in timer_ids if timer_id not in ran]


def _write(session: Session, dialect: str, steps: list[tuple[Any, ...]], now: Any) -> None:
    """The steps' history, new states and keyed rows: one statement per table."""
    enrolments = _enrolments(session, steps)
    states = []
    rows: dict[type, list[dict[str, Any]]] = {InstanceHistory: [], Timer: [], Notification: [], CheckIn: []}
    for row, signal, state, effects in steps:
        instance_id = row.instance_id
        rows[InstanceHistory].append(
            {
                "instance_id": instance_id,
                "at": now,
                "signal": describe(signal),
                "status": state.status,
                "step": state.step,
                "effects": [effect.as_dict() for effect in effects],
            }
        )
        states.append((instance_id, state.to_json(), state.status, state.step))
        for effect in effects:
            if isinstance(effect, ScheduleTimer):
                rows[Timer].append(timer_row(instance_id, effect))
            elif isinstance(effect, SendNotification):
                rows[Notification] += notification_rows(instance_id, effect, [effect.person_id])
            elif isinstance(effect, OpenCheckIn):
                enrolment_of = partial(_enrolment_of, enrolments, row.programme_id)
                rows[CheckIn] += checkin_rows(instance_id, state, effect, enrolment_of)
    postgres = dialect == "postgresql"
    for model, values in rows.items():
        if values:
            recordset = postgres and model not in _ROWS_SEEN
            session.execute(
                _insert(dialect, model), _as_json(_with_defaults(model.__table__, values)) if recordset else values
            )
        if model is InstanceHistory:
            if postgres:
                keys = ("id", "state", "status", "step")
                session.execute(_NEW_STATE_PG, _as_json([dict(zip(keys, values, strict=True)) for values in states]))
            else:
                session.execute(_NEW_STATE, [dict(zip(_STATE_KEYS, values, strict=True)) for values in states])


def _enrolment_of(enrolments: dict[tuple[int, int], int], programme_id: int, person_id: int) -> int | None:
    return enrolments.get((programme_id, person_id))


def _enrolments(session: Session, steps: list[tuple[Any, ...]]) -> dict[tuple[int, int], int]:
    """The enrolment of every respondent whose check-in belongs to no pairing, by (programme, person): one query."""
    wanted = {
        (row.programme_id, person_id)
        for row, _, state, effects in steps
        if row.programme_id is not None and not state.context.get("pairing_id")
        for effect in effects
        if isinstance(effect, OpenCheckIn)
        for person_id in effect.respondent_ids
    }
    if not wanted:
        return {}
    found = session.execute(
        _ENROLMENTS,
        {"programmes": sorted({p for p, _ in wanted}), "people": sorted({person for _, person in wanted})},
    )
    enrolments: dict[tuple[int, int], int] = {}
    for enrolment_id, programme_id, person_id in found:
        enrolments.setdefault((programme_id, person_id), enrolment_id)
    return enrolments
