"""A programme's status, changed only through named transitions: launch (draft → active) and close (→ closed).

Launching publishes the matching draft HR accepted, in the same transaction, so the
programme is active when its pairs' workflow runs start (a run starts only in an
active programme). Closing records ``programme.closed`` (the engine ends the
programme's runs and pairings), marks the enrolments that were still active as
completed, and calls every hook registered with :func:`on_close` (the
end-of-programme survey plugs in there).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.intake import record_event

from ..errors import NotAllowed
from ..events import NewEvent
from ..matchmaking import review
from ..models import Enrolment, MatchRun, Programme

# name -> (allowed source statuses, target status)
PROGRAMME = {"launch": (("draft",), "active"), "close": (("draft", "active"), "closed")}
WHY_NOT = {
    "active": "{name} is already running.",
    "closed": "{name} is closed; a closed programme stays archived.",
    "draft": "{name} has not been launched yet.",
}

# A hook run when a programme closes, in its transaction; returns a sentence for HR, or None.
CloseHook = Callable[[Session, Programme, Clock], str | None]
_CLOSE_HOOKS: list[CloseHook] = []


def on_close(hook: CloseHook) -> CloseHook:
    """Register ``hook`` to run when any programme closes (e.g. sending the end-of-programme survey)."""
    if hook not in _CLOSE_HOOKS:
        _CLOSE_HOOKS.append(hook)
    return hook


def close_hooks() -> tuple[CloseHook, ...]:
    """The hooks registered with :func:`on_close`, in order."""
    return tuple(_CLOSE_HOOKS)


def transition(programme: Programme, name: str) -> None:
    """Move ``programme`` along transition ``name``; :class:`NotAllowed` from any other status."""
    sources, target = PROGRAMME[name]
    if programme.status not in sources:
        raise NotAllowed(WHY_NOT[programme.status].format(name=programme.name), "status")
    programme.status = target


def draft_run(session: Session, programme: Programme) -> MatchRun | None:
    """The programme's matching draft waiting for HR, if any."""
    return session.scalars(
        select(MatchRun)
        .where(MatchRun.programme_id == programme.id, MatchRun.status == "draft")
        .order_by(MatchRun.id.desc())
    ).first()


@dataclass(frozen=True)
class Launched:
    """What launching did, in words."""

    sentence: str


def launch(session: Session, programme: Programme, clock: Clock) -> Launched:
    """Start the programme; publish its accepted matching draft in the same transaction (if there is one)."""
    transition(programme, "launch")
    session.flush()
    run = draft_run(session, programme)
    published = ""
    if run is not None and (run.circles or any(p.status == "accepted" for p in run.proposals)):
        published = " " + review.publish_run(session, run, clock)
    return Launched(f"Launched {programme.name}: it is running now.{published}")


@dataclass(frozen=True)
class Closed:
    """What closing did, in words."""

    sentence: str


def close(session: Session, programme: Programme, clock: Clock) -> Closed:
    """Close and archive the programme: its runs and pairings end, active enrolments complete, hooks run."""
    transition(programme, "close")
    completed = session.execute(
        update(Enrolment)
        .where(Enrolment.programme_id == programme.id, Enrolment.status == "active")
        .values(status="completed")
        .execution_options(synchronize_session="fetch")
    ).rowcount
    record_event(session, NewEvent("programme.closed", programme_id=programme.id, source="hr"))
    extra = [text for hook in _CLOSE_HOOKS if (text := hook(session, programme, clock))]
    people = "1 person" if completed == 1 else f"{completed} people"
    return Closed(" ".join([f"Closed {programme.name}: {people} completed it; its check-ins have ended.", *extra]))
