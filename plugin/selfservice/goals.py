"""Goals: up to three agreed at a pair's (or circle's) first check-in, and how each moved at every later one.

Goals belong to a *group*: a pairing (``pairing:<id>``), a peer circle
(``circle:<id>``, every member's run names it) or, failing both, the workflow
run the check-ins come from (``instance:<id>``). Goal text follows the
shared-note rule: the people of the group read it, nobody else — every
function here takes the reader and answers :class:`NotFound` to anyone outside
the group. HR reads only counts (:mod:`tandem.plugin.feedback.results`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotAllowed, NotFound, Refused
from ..models import (
    GOAL_STATUSES,
    MAX_GOALS,
    CheckIn,
    CircleMember,
    Goal,
    GoalProgress,
    InstanceParticipant,
    Pairing,
)
from ..models import WorkflowInstance as Instance

MAX_GOAL_LENGTH = 200
STATUS_LABELS = {"not_started": "not started", "moving": "moving", "done": "done"}


def group_of(session: Session, checkin: CheckIn) -> str | None:
    """The group a check-in's goals belong to, or None for a check-in of no pair and no run."""
    if checkin.pairing_id is not None:
        return f"pairing:{checkin.pairing_id}"
    if checkin.instance_id is not None:
        state = session.scalar(select(Instance.state).where(Instance.id == checkin.instance_id)) or {}
        circle = (state.get("context") or {}).get("circle_id")
        return f"circle:{circle}" if circle else f"instance:{checkin.instance_id}"
    return None


def members(session: Session, group: str) -> set[int]:
    """The ids of the people who may read a group's goals: the pair, or the circle's participants."""
    kind, _, number = group.partition(":")
    if kind == "pairing":
        pairing = session.get(Pairing, int(number))
        return {pairing.mentor_id, pairing.mentee_id} if pairing is not None else set()
    if kind == "circle":
        return set(session.scalars(select(CircleMember.person_id).where(CircleMember.circle_id == int(number))))
    rows = select(InstanceParticipant.person_id).where(InstanceParticipant.instance_id == int(number))
    return set(session.scalars(rows))


def programme_of(session: Session, checkin: CheckIn) -> int | None:
    """The programme a check-in belongs to (through its pairing or its run)."""
    if checkin.pairing is not None:
        return checkin.pairing.programme_id
    if checkin.instance_id is not None:
        return session.scalar(select(Instance.programme_id).where(Instance.id == checkin.instance_id))
    return None


def goals_for(session: Session, group: str | None, reader_id: int) -> list[Goal]:
    """A group's goals in order, for ``reader_id`` if they belong to the group; :class:`NotFound` otherwise."""
    if group is None:
        return []
    if reader_id not in members(session, group):
        raise NotFound("There are no such goals among yours.")
    return list(session.scalars(select(Goal).where(Goal.group_key == group).order_by(Goal.position)))


def my_goal_groups(session: Session, person_id: int) -> list[tuple[str, list[Goal]]]:
    """Every group the person belongs to that has goals, with the goals (for the timeline)."""
    pairings = select(Pairing.id).where((Pairing.mentor_id == person_id) | (Pairing.mentee_id == person_id))
    runs = select(InstanceParticipant.instance_id).where(InstanceParticipant.person_id == person_id)
    circles = select(CircleMember.circle_id).where(CircleMember.person_id == person_id)
    groups = [f"pairing:{pk}" for pk in session.scalars(pairings)] + [f"circle:{pk}" for pk in session.scalars(circles)]
    groups += [f"instance:{pk}" for pk in session.scalars(runs)]
    if not groups:
        return []
    found: dict[str, list[Goal]] = {}
    for goal in session.scalars(select(Goal).where(Goal.group_key.in_(groups)).order_by(Goal.position)):
        found.setdefault(goal.group_key, []).append(goal)
    return [(group, found[group]) for group in groups if group in found]


def clean_goals(raw: Sequence[str]) -> list[str]:
    """Goal texts trimmed, blanks dropped, each at most 200 characters, at most three."""
    texts = [" ".join(str(text).split()) for text in raw]
    for position, text in enumerate(texts, start=1):
        if len(text) > MAX_GOAL_LENGTH:
            raise Refused(f"Goal {position} may be at most {MAX_GOAL_LENGTH} characters.", f"goal_{position}")
    texts = [text for text in texts if text]
    if len(texts) > MAX_GOALS:
        raise Refused(f"Agree at most {MAX_GOALS} goals.", "goals")
    return texts


def agree_goals(session: Session, checkin: CheckIn, raw: Sequence[str], now: datetime) -> list[Goal]:
    """Set (or edit) the group's goals from the first check-in; either member may, the other sees them.

    A pair that agreed none at the first check-in may agree them at a later
    one; once set, they are edited at the first check-in only. Raises
    :class:`NotAllowed` otherwise, and :class:`Refused` for a goal too long or more than three.
    """
    group = group_of(session, checkin)
    existing = {goal.position: goal for goal in goals_for(session, group, checkin.respondent_id)}
    if group is None or (checkin.sequence != 1 and existing):
        raise NotAllowed("Goals are agreed at the first check-in.")
    texts = clean_goals(raw)
    programme_id = programme_of(session, checkin)
    for position, text in enumerate(texts, start=1):
        goal = existing.pop(position, None)
        if goal is None:
            session.add(
                Goal(
                    group_key=group,
                    programme_id=programme_id,
                    position=position,
                    text=text,
                    set_by_id=checkin.respondent_id,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif goal.text != text:
            goal.text, goal.updated_at = text, now
    for goal in existing.values():  # a goal left blank is dropped
        session.delete(goal)
    session.flush()
    return goals_for(session, group, checkin.respondent_id)


def record_progress(session: Session, checkin: CheckIn, given: Mapping[int, str], now: datetime) -> list[Goal]:
    """Record how each goal moved (``given``: goal position → status) as said in a later check-in.

    Each goal's status becomes the newest said; a goal not mentioned keeps its
    status. Raises :class:`Refused` for an unknown status, naming the goal's field.
    """
    group = group_of(session, checkin)
    goals = {goal.position: goal for goal in goals_for(session, group, checkin.respondent_id)}
    for position, status in given.items():
        goal = goals.get(position)
        if goal is None:
            raise Refused(f"There is no goal {position} to say how it moved.", f"goal_{position}")
        if status not in GOAL_STATUSES:
            raise Refused(f"Say how goal {position} moved: not started, moving or done.", f"goal_{position}")
        said = session.scalars(
            select(GoalProgress).where(GoalProgress.goal_id == goal.id, GoalProgress.checkin_id == checkin.id)
        ).first()
        if said is None:
            session.add(GoalProgress(goal_id=goal.id, checkin_id=checkin.id, status=status, recorded_at=now))
        else:
            said.status, said.recorded_at = status, now
        if goal.status != status:
            goal.status, goal.updated_at = status, now
    session.flush()
    return [goals[position] for position in sorted(goals)]


def progress_said(session: Session, checkin: CheckIn) -> dict[int, str]:
    """What the respondent said in this check-in about each goal (goal id → status)."""
    rows = select(GoalProgress.goal_id, GoalProgress.status).where(GoalProgress.checkin_id == checkin.id)
    return dict(session.execute(rows).all())
