"""A matching run as HR reads it: proposals grouped by mentor with their load, labels for every criterion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.matching.settings import CRITERIA, CRITERION_LABELS, DEFAULT_WEIGHTS

from ..models import OPEN_PAIRING_STATUSES, Enrolment, MatchProposal, MatchRun, Pairing, Person, Programme
from ..portable import id_set
from .review import MATCHABLE_KINDS

CONSTRAINT_LABELS = {
    "not_same_team": "never in the mentee's own team",
    "shared_language": "must share a language",
    "cross_department": "only across departments",
    "in_person": "in person (same location counts)",
    "min_timezone_overlap": "at least this many shared working hours",
    "max_seniority_distance": "at most this seniority distance",
}


@dataclass
class MentorGroup:
    """One mentor's proposals in a run, with how full they would be."""

    mentor: Person
    capacity: int
    existing: int
    proposals: list[MatchProposal] = field(default_factory=list)

    @property
    def load(self) -> int:
        """Open pairings plus this run's proposals not rejected and not yet published (those are pairings now)."""
        return self.existing + sum(1 for p in self.proposals if p.status != "rejected" and p.pairing_id is None)


def groups(session: Session, run: MatchRun) -> list[MentorGroup]:
    """The run's proposals by mentor (mentor name order), each with capacity and existing pairings."""
    mentors = id_set(session, sorted({p.mentor_id for p in run.proposals}))
    capacity = dict(
        session.execute(
            select(Enrolment.person_id, Enrolment.capacity).where(
                Enrolment.programme_id == run.programme_id,
                Enrolment.role == "mentor",
                mentors(Enrolment.person_id),
            )
        ).all()
    )
    existing = dict(
        session.execute(
            select(Pairing.mentor_id, func.count(Pairing.id))
            .where(
                Pairing.programme_id == run.programme_id,
                Pairing.status.in_(OPEN_PAIRING_STATUSES),
                mentors(Pairing.mentor_id),
            )
            .group_by(Pairing.mentor_id)
        ).all()
    )
    by_mentor: dict[int, MentorGroup] = {}
    for proposal in run.proposals:
        group = by_mentor.setdefault(
            proposal.mentor_id,
            MentorGroup(proposal.mentor, capacity.get(proposal.mentor_id, 0), existing.get(proposal.mentor_id, 0)),
        )
        group.proposals.append(proposal)
    return sorted(by_mentor.values(), key=lambda g: (g.mentor.full_name, g.mentor.id))


def unmatched(session: Session, run: MatchRun) -> list[dict[str, Any]]:
    """The run's unmatched people with their names and the reason."""
    ids = [entry["person_id"] for entry in run.unmatched]
    names = dict(session.execute(select(Person.id, Person.full_name).where(id_set(session, ids)(Person.id))).all())
    return [{**entry, "name": names.get(entry["person_id"], f"person {entry['person_id']}")} for entry in run.unmatched]


def programmes_with_runs(session: Session, latest: int) -> list[tuple[Programme, list[MatchRun]]]:
    """Every programme that pairs people or forms circles, by name, with its ``latest`` runs (newest first)."""
    programmes = session.scalars(
        select(Programme).where(Programme.kind.in_(MATCHABLE_KINDS)).order_by(Programme.name)
    ).all()
    return [
        (
            programme,
            list(
                session.scalars(
                    select(MatchRun)
                    .where(MatchRun.programme_id == programme.id)
                    .order_by(MatchRun.id.desc())
                    .limit(latest)
                )
            ),
        )
        for programme in programmes
    ]


def pool_sizes(session: Session, programme: Programme) -> dict[str, int]:
    """Mentees waiting for a pair and mentors with a free place, right now."""
    paired = select(Pairing.mentee_id).where(
        Pairing.programme_id == programme.id, Pairing.status.in_(OPEN_PAIRING_STATUSES)
    )
    waiting = session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.programme_id == programme.id,
            Enrolment.role == "mentee",
            Enrolment.status == "active",
            Enrolment.person_id.not_in(paired),
        )
    )
    mentors = session.scalar(
        select(func.count(Enrolment.id)).where(
            Enrolment.programme_id == programme.id, Enrolment.role == "mentor", Enrolment.status == "active"
        )
    )
    return {"waiting": waiting or 0, "mentors": mentors or 0}


def settings_form_values(settings: dict[str, Any]) -> dict[str, Any]:
    """Weights and constraints to prefill the re-run form (defaults where unset)."""
    weights = {**DEFAULT_WEIGHTS, **(settings.get("weights") or {})}
    return {
        "weights": [(name, CRITERION_LABELS[name], weights[name]) for name in CRITERIA],
        "constraints": {"not_same_team": True, **(settings.get("constraints") or {})},
    }


def run_as_json(session: Session, run: MatchRun) -> dict[str, Any]:
    """The run for the API: totals, unmatched with reasons, proposals grouped by mentor with load."""
    return {
        "id": run.id,
        "programme": run.programme.slug,
        "status": run.status,
        "total_score": run.total_score,
        "settings": run.settings,
        "stats": run.stats,
        "created_at": run.created_at.isoformat(),
        "unmatched": unmatched(session, run),
        "circles": [
            {
                "name": circle.name,
                "score": circle.score,
                "breakdown": circle.breakdown,
                "members": [{"person_id": m.person_id, "name": m.person.full_name} for m in circle.members],
            }
            for circle in run.circles
        ],
        "mentors": [
            {
                "mentor_id": group.mentor.id,
                "mentor": group.mentor.full_name,
                "capacity": group.capacity,
                "existing": group.existing,
                "load": group.load,
                "proposals": [
                    {
                        "id": p.id,
                        "mentee_id": p.mentee_id,
                        "mentee": p.mentee.full_name,
                        "score": p.score,
                        "breakdown": p.breakdown,
                        "status": p.status,
                        "pairing_id": p.pairing_id,
                    }
                    for p in group.proposals
                ],
            }
            for group in groups(session, run)
        ],
    }
