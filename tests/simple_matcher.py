"""A simple one-person matcher for tests, behind the engine's matching interface.

The product's matcher is the optimal, explainable solver; this one picks,
for one person, the best available mentor by a few plain criteria and never
breaks a hard constraint (tests subclass it to make a matcher fail).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.plugin.models import OPEN_PAIRING_STATUSES, Enrolment, Pairing, Person, Programme
from tandem.workflows.matching.interface import Proposal


def reporting_line(session: Session, person: Person) -> set[int]:
    """Everyone above and below ``person`` in the manager tree, and the person."""
    above, boss = set(), person.manager
    while boss is not None and boss.id not in above:
        above.add(boss.id)
        boss = boss.manager
    # Everyone below, at any depth, in one recursive query (UNION keeps a cycle in bad data finite).
    tree = select(Person.id).where(Person.id == person.id).cte("below", recursive=True)
    tree = tree.union(select(Person.id).where(Person.manager_id == tree.c.id))
    below = set(session.scalars(select(tree.c.id)))
    return above | below | {person.id}


class SimpleMatcher:
    """Highest plain score among mentors with free capacity, outside the person's reporting line."""

    def find(self, session: Session, person: Person, programme: Programme | None, role: str) -> Proposal | None:
        """See :class:`~tandem.workflows.matching.interface.Matcher`."""
        if programme is None:
            return None
        load = (
            select(Pairing.mentor_id, func.count(Pairing.id).label("load"))
            .where(Pairing.programme_id == programme.id, Pairing.status.in_(OPEN_PAIRING_STATUSES))
            .group_by(Pairing.mentor_id)
            .subquery()
        )
        rows = session.execute(
            select(Person, Enrolment.capacity, func.coalesce(load.c.load, 0))
            .join(Enrolment, Enrolment.person_id == Person.id)
            .outerjoin(load, load.c.mentor_id == Person.id)
            .where(
                Enrolment.programme_id == programme.id,
                Enrolment.role == "mentor",
                Enrolment.status == "active",
                Person.status == "active",
            )
        ).all()
        excluded = reporting_line(session, person)
        proposals = [
            self.score(person, mentor)
            for mentor, capacity, current in rows
            if mentor.id not in excluded and current < capacity
        ]
        return max(proposals, key=lambda p: (p.score, -p.person.id), default=None)

    @staticmethod
    def score(person: Person, mentor: Person) -> Proposal:
        """Score a candidate, criterion by criterion."""
        breakdown = {
            "same location": 2.0 if mentor.location == person.location else 0.0,
            "other department": 1.0 if mentor.department != person.department else 0.0,
            "same time zone": 1.0 if mentor.timezone == person.timezone else 0.0,
            "shared language": 1.0 if set(mentor.languages or []) & set(person.languages or []) else 0.0,
            "experience": min(2.0, max(0.0, (mentor.seniority - person.seniority) / 2)),
        }
        return Proposal(mentor, sum(breakdown.values()), breakdown)
