"""What the reports count about one person, defined once as SQL over the data itself.

Every statistic is a row ``(person_id, stat, value)``; a missing row means 0.
The manager report sums them over a reporting subtree, so a statistic must be
additive: "took part" is 1 per person, never a count of distinct people.

=========================  ===================================================
``people``                 1 for everyone who has not left
``enrolled``               1 if enrolled (active or completed) in a programme
                           that is not a campaign
``participating``          1 if they completed at least one check-in
``due:YYYY-MM``            check-ins due that month (not cancelled), and
``completed:``/``missed:`` those completed / missed
``month_people:YYYY-MM``   1 if they had a check-in due that month
``ratings``/``rating_sum`` ratings given in completed check-ins, their sum
``rated_people``           1 if they gave a rating
``campaign:ID``            1 if enrolled in campaign programme ID
``campaign_ack:ID``        1 if also acknowledged one of its items
``live_pairs``             their live pairings as a mentee
``paired_people``          1 if they have a live pairing as a mentee
``live_since:STAMP``       of those, how many have been quiet since STAMP
                           (the later of the proposal and the last completed
                           check-in, UTC to the second)
=========================  ===================================================

Someone who has left has no statistics (their reports still count under them).
Bump :data:`VERSION` when a definition changes: ``tandem init`` then rebuilds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import CompoundSelect, String, and_, case, cast, exists, func, literal, or_, select, true, union_all
from sqlalchemy.orm import Session

from ..models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Pairing, Person, Programme
from ..portable import month_of, stamp_of

VERSION = "2"

ENROLLED = ("active", "completed")
LIVE_PAIRINGS = ("accepted", "active")
LIVE_SINCE = "live_since:"

Members = Callable[[Any], Any] | None

# Statistics come in families, each computed by one part of :func:`stat_rows`. A change to a table can only move
# the families that read it, so a refresh recomputes those alone (an answered check-in: four of seven).
FAMILIES = ("people", "enrolled", "participating", "monthly", "ratings", "campaigns", "live")
CHECKIN_FAMILIES = ("participating", "monthly", "ratings", "live")
ENROLMENT_FAMILIES = ("enrolled", "campaigns")
PAIRING_FAMILIES = ("live",)
ACKNOWLEDGEMENT_FAMILIES = ("campaigns",)
_FAMILY_OF_PREFIX = {
    "due": "monthly",
    "completed": "monthly",
    "missed": "monthly",
    "month_people": "monthly",
    "ratings": "ratings",
    "rating_sum": "ratings",
    "rated_people": "ratings",
    "campaign": "campaigns",
    "campaign_ack": "campaigns",
    "live_pairs": "live",
    "paired_people": "live",
    "live_since": "live",
}


def family_of(stat: str) -> str:
    """The family a statistic's name belongs to (``completed:2026-05`` → ``monthly``)."""
    head = stat.split(":", 1)[0]
    return _FAMILY_OF_PREFIX.get(head, head)


def heads_of(families: Iterable[str]) -> list[str]:
    """The names before the colon of every statistic of ``families`` (``monthly`` → ``due``, ``completed``, …)."""
    wanted = set(families)
    heads = {head for head, family in _FAMILY_OF_PREFIX.items() if family in wanted}
    return sorted(heads | {family for family in wanted if family not in _FAMILY_OF_PREFIX})


def _key(prefix: str, suffix: Any) -> Any:
    return literal(prefix, String) + cast(suffix, String)


def _flag(name: str, *where: Any) -> Any:
    return select(Person.id, literal(name, String), literal(1)).where(*where)


def _admitted(members: Members, column: Any) -> Any:
    return members(column) if members is not None else true()


def _not_left(column: Any, members: Members = None) -> Any:
    """``column`` names someone who has not left; with ``members``, looked up among them only (a refresh's few
    people: the planner then never walks the whole person index to match them)."""
    return column.in_(select(Person.id).where(_admitted(members, Person.id), Person.status != "left"))


def stat_rows(session: Session, members: Members = None, families: Iterable[str] | None = None) -> CompoundSelect:
    """Every statistic of the people ``members(column)`` admits (everyone when None), as one SELECT;
    with ``families``, only the statistics of those families (:data:`FAMILIES`)."""

    not_left = Person.status != "left"
    here = _admitted(members, Person.id)

    def current(column: Any) -> Any:
        """``column`` names someone admitted who has not left."""
        return and_(_admitted(members, column), _not_left(column, members))

    completed = CheckIn.status == "completed"
    wanted = set(FAMILIES if families is None else families)
    parts = {
        "people": lambda: [_flag("people", here, not_left)],
        "enrolled": lambda: [
            _flag(
                "enrolled",
                here,
                not_left,
                exists()
                .where(Enrolment.person_id == Person.id, Enrolment.status.in_(ENROLLED))
                .where(Programme.id == Enrolment.programme_id, Programme.kind != "campaign"),
            )
        ],
        "participating": lambda: [
            _flag("participating", here, not_left, exists().where(CheckIn.respondent_id == Person.id, completed))
        ],
        "monthly": lambda: _monthly(session, current),
        "ratings": lambda: _ratings(current),
        "campaigns": lambda: _campaigns(current),
        "live": lambda: _live_pairs(session, current),
    }
    return union_all(*(select_ for family in FAMILIES if family in wanted for select_ in parts[family]()))


def _monthly(session: Session, current: Callable[[Any], Any]) -> list[Any]:
    month = month_of(session, CheckIn.due_at)
    months = (
        select(
            CheckIn.respondent_id.label("person_id"),
            month.label("month"),
            func.count().label("due"),
            func.count(case((CheckIn.status == "completed", 1))).label("completed"),
            func.count(case((CheckIn.status == "missed", 1))).label("missed"),
        )
        .where(current(CheckIn.respondent_id), CheckIn.status != "cancelled")
        .group_by(CheckIn.respondent_id, month)
        .cte("months")
    )
    return [
        select(months.c.person_id, _key("due:", months.c.month), months.c.due),
        select(months.c.person_id, _key("completed:", months.c.month), months.c.completed).where(
            months.c.completed > 0
        ),
        select(months.c.person_id, _key("missed:", months.c.month), months.c.missed).where(months.c.missed > 0),
        select(months.c.person_id, _key("month_people:", months.c.month), literal(1)),
    ]


def _ratings(current: Callable[[Any], Any]) -> list[Any]:
    rated = (
        select(
            CheckIn.respondent_id.label("person_id"),
            func.count(CheckIn.rating).label("ratings"),
            func.sum(CheckIn.rating).label("rating_sum"),
        )
        .where(current(CheckIn.respondent_id), CheckIn.status == "completed", CheckIn.rating.is_not(None))
        .group_by(CheckIn.respondent_id)
        .cte("rated")
    )
    return [
        select(rated.c.person_id, literal("ratings", String), rated.c.ratings),
        select(rated.c.person_id, literal("rating_sum", String), rated.c.rating_sum),
        select(rated.c.person_id, literal("rated_people", String), literal(1)),
    ]


def _campaigns(current: Callable[[Any], Any]) -> list[Any]:
    enrolled = (
        select(Enrolment.person_id, Enrolment.programme_id)
        .join(Programme, Programme.id == Enrolment.programme_id)
        .where(current(Enrolment.person_id), Programme.kind == "campaign")
        .distinct()
        .cte("campaign_people")
    )
    acknowledged = (
        exists()
        .where(Acknowledgement.person_id == enrolled.c.person_id, Acknowledgement.item_id == CampaignItem.id)
        .where(CampaignItem.programme_id == enrolled.c.programme_id)
    )
    return [
        select(enrolled.c.person_id, _key("campaign:", enrolled.c.programme_id), literal(1)),
        select(enrolled.c.person_id, _key("campaign_ack:", enrolled.c.programme_id), literal(1)).where(acknowledged),
    ]


def _live_pairs(session: Session, current: Callable[[Any], Any]) -> list[Any]:
    last = (
        select(func.max(CheckIn.completed_at))
        .where(CheckIn.pairing_id == Pairing.id, CheckIn.status == "completed")
        .scalar_subquery()
    )
    since = case((or_(last.is_(None), last < Pairing.proposed_at), Pairing.proposed_at), else_=last)
    live = (
        select(Pairing.mentee_id.label("person_id"), stamp_of(session, since).label("since"))
        .where(current(Pairing.mentee_id), Pairing.status.in_(LIVE_PAIRINGS))
        .cte("live")
    )
    return [
        select(live.c.person_id, literal("live_pairs", String), func.count()).group_by(live.c.person_id),
        select(live.c.person_id, literal("paired_people", String), literal(1)).group_by(live.c.person_id),
        select(live.c.person_id, _key(LIVE_SINCE, live.c.since), func.count()).group_by(live.c.person_id, live.c.since),
    ]
