"""The manager report: participation across a manager's own reporting subtree.

Reads the statistics kept per person and summed per subtree by
:mod:`tandem.plugin.rollups` (a handful of index lookups however large the
subtree), so it answers in milliseconds for a team of ten or a company of
100,000. Teams are the organisations of the manager's direct reports who lead
people (each with everyone under them, to drill down into), plus one group
of the direct reports who lead nobody; together they are exactly everyone
below the manager. A drill-down into a team counts the team's manager in that
last group, so its total equals the team's row one level up. Which numbers
are shown is decided by :func:`.privacy.partition_hidden` for the whole
reporting tree at once, so no drill-down, export or digest undoes another's
suppression; the other sections are shown for the viewer's whole subtree only,
each row counting enough people besides the viewer. Only aggregates leave this module: never a mentee's name,
never a note.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from ..models import Person, PersonStat, Programme, SubtreeStat
from ..portable import id_set
from ..rollups.stats import LIVE_SINCE
from .privacy import hide_row, partition_hidden, suppress_groups, with_rates

TEAM_STATS = ("people", "enrolled", "participating")
TEAM_RATES = {"enrolment_rate": ("enrolled", "people"), "participation_rate": ("participating", "enrolled")}
OTHER_DIRECT_REPORTS = "Direct reports who lead no team"
TEAM_LEAD_AND_OTHERS = "{name} and direct reports who lead no team"
# Every statistic but the per-stamp quiet-pair counts (read as a range instead): two index ranges.
NOT_STAMPED = (LIVE_SINCE, LIVE_SINCE[:-1] + chr(ord(LIVE_SINCE[-1]) + 1))


# A person's own statistics, and those summed over everyone below them: read together, they are their subtree's.
SOURCES = ((PersonStat, PersonStat.person_id), (SubtreeStat, SubtreeStat.root_id))


def stats_of(
    session: Session, root_ids: Iterable[int], stats: Iterable[str] | None = None, own_only: bool = False
) -> dict[int, Counter]:
    """Per root: their statistics summed with everyone's below them (``stats`` narrows which).

    ``own_only`` reads each root's own statistics, without the people below them.
    """
    root_ids = list(root_ids)
    found: dict[int, Counter] = {root: Counter() for root in root_ids}
    roots = id_set(session, root_ids)  # one parameter, however many direct reports
    for table, key in SOURCES[:1] if own_only else SOURCES:
        query = select(key, table.stat, table.value).where(roots(key))
        if stats is not None:
            query = query.where(table.stat.in_(list(stats)))
        else:
            query = query.where(or_(table.stat < NOT_STAMPED[0], table.stat >= NOT_STAMPED[1]))
        for root, stat, value in session.execute(query):
            found[root][stat] += value
    return found


def teams(session: Session, root_id: int, with_root: bool = False) -> list[dict[str, Any]]:
    """Per direct report who leads a team: their organisation's size, enrolled, participating, rates.

    Direct reports who lead nobody are one more group (the last row, ``team_id`` None), so the rows
    add up to everyone below the root; ``with_root`` counts the root in that group too (a drill-down).
    """
    report = aliased(Person)
    leads = (
        select(Person.id, Person.full_name, select(report.id).where(report.manager_id == Person.id).exists())
        .where(Person.manager_id == root_id)
        .order_by(Person.full_name, Person.id)
    )
    directs = session.execute(leads).all()
    sums = stats_of(session, [person_id for person_id, _, _ in directs], TEAM_STATS)
    rows, others = [], Counter()
    for person_id, name, leads_people in directs:
        if leads_people:
            rows.append({"team_id": person_id, "label": name, **{key: sums[person_id][key] for key in TEAM_STATS}})
        else:
            others.update(sums[person_id])
    label = OTHER_DIRECT_REPORTS
    if with_root:
        own = select(PersonStat.stat, PersonStat.value).where(
            PersonStat.person_id == root_id, PersonStat.stat.in_(TEAM_STATS)
        )
        others.update(dict(session.execute(own).all()))
        name = session.scalar(select(Person.full_name).where(Person.id == root_id))
        label = TEAM_LEAD_AND_OTHERS.format(name=name)
    if with_root or len(rows) < len(directs):
        rows.append({"team_id": None, "label": label, **{key: others[key] for key in TEAM_STATS}})
    return with_rates(rows, **TEAM_RATES)


def hidden_in_own_table(session: Session, viewer_id: int, team_id: int, threshold: int) -> bool:
    """True when ``team_id``'s row is hidden in its manager's table (or it leads no team at all)."""
    manager_id = session.scalar(select(Person.manager_id).where(Person.id == team_id))
    rows = teams(session, manager_id, with_root=manager_id != viewer_id)
    hidden = partition_hidden([row["people"] for row in rows], _pooled(rows), threshold)
    return not any(row["team_id"] == team_id and index not in hidden for index, row in enumerate(rows))


def _pooled(rows: list[dict[str, Any]]) -> int | None:
    return len(rows) - 1 if rows and rows[-1]["team_id"] is None else None


def checkins_by_month(stats: Counter) -> list[dict[str, Any]]:
    """Check-ins due, completed and missed per month of their due date (UTC), and how many people had one due."""
    months = sorted(stat.split(":", 1)[1] for stat, value in stats.items() if stat.startswith("due:") and value)
    return [
        {
            "label": month,
            "people_stat": f"month_people:{month}",
            "people": stats[f"month_people:{month}"],
            "due": stats[f"due:{month}"],
            "completed": stats[f"completed:{month}"],
            "missed": stats[f"missed:{month}"],
        }
        for month in months
    ]


def rating(stats: Counter) -> dict[str, Any]:
    """The average rating of completed check-ins, and how many people gave one."""
    ratings = stats["ratings"]
    average = stats["rating_sum"] / ratings if ratings else None
    return {
        "label": "average rating",
        "people_stat": "rated_people",
        "people": stats["rated_people"],
        "ratings": ratings,
        "average": average,
    }


def quiet_pairs(session: Session, root_id: int, stats: Counter, now: datetime, weeks: int) -> dict[str, Any]:
    """Live pairings with a mentee in the subtree, and those with no completed check-in for ``weeks`` weeks.

    A pairing is quiet when both its proposal and its last completed check-in are older than the cutoff
    (compared to the second).
    """
    cutoff = (now - timedelta(weeks=weeks)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    quiet = 0
    for table, key in SOURCES:
        quiet += int(
            session.scalar(
                select(func.coalesce(func.sum(table.value), 0)).where(
                    key == root_id, table.stat >= LIVE_SINCE, table.stat < LIVE_SINCE + cutoff
                )
            )
        )
    people, pairs = stats["paired_people"], stats["live_pairs"]
    label = f"quiet for more than {weeks} weeks"
    return {"label": label, "people_stat": "paired_people", "people": people, "pairs": pairs, "quiet": quiet}


def campaigns(session: Session, stats: Counter) -> list[dict[str, Any]]:
    """Per live campaign reaching the subtree: people enrolled, who acknowledged an item, and the rate."""
    programmes = session.execute(
        select(Programme.id, Programme.name)
        .where(Programme.kind == "campaign", Programme.status != "draft")
        .order_by(Programme.name)
    )
    rows = [
        {
            "label": name,
            "people_stat": f"campaign:{pid}",
            "people": stats[f"campaign:{pid}"],
            "acknowledged": stats[f"campaign_ack:{pid}"],
        }
        for pid, name in programmes
        if stats[f"campaign:{pid}"]
    ]
    return with_rates(rows, acknowledgement_rate=("acknowledged", "people"))


def manager_report(
    session: Session,
    root_id: int,
    now: datetime,
    threshold: int,
    quiet_weeks: int = 4,
    team_id: int | None = None,
) -> dict[str, Any]:
    """Every section of the manager report, small groups suppressed.

    ``team_id`` drills down from the whole subtree to the subtree under one
    manager inside it (the caller checks it lies inside the viewer's subtree).
    The teams and their total count everyone below the viewer, or the whole team
    (its manager included) in a drill-down; the other sections count the viewer
    too (not towards a row's size: they know their own values) and are hidden in
    a drill-down.
    """
    drilled = team_id is not None and team_id != root_id
    root = team_id if drilled else root_id
    stats = stats_of(session, [root])[root]
    team_rows = teams(session, root, with_root=drilled)
    # The teams partition the team (or everyone below the viewer), so their sum is the total.
    total = {"label": "whole subtree", **{key: sum(row[key] for row in team_rows) for key in TEAM_STATS}}
    (total,) = with_rates([total], **TEAM_RATES)
    total_hidden = total["people"] < threshold or (drilled and hidden_in_own_table(session, root_id, root, threshold))
    hidden = partition_hidden([row["people"] for row in team_rows], _pooled(team_rows), threshold, total_hidden)
    keep = ("label", "team_id")

    # The viewer is counted in their own sections and knows their own values: they don't count towards a size.
    own = Counter() if drilled else stats_of(session, [root_id], own_only=True)[root_id]

    def sections(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # The other sections count the same people as the total: hidden with it. A drill-down's sections
        # would differ from the whole subtree's by a few people, so only the whole subtree shows them.
        viewer_counts = [min(own[row["people_stat"]], 1) for row in rows]
        rows = [{key: value for key, value in row.items() if key != "people_stat"} for row in rows]
        if total_hidden or drilled:
            return [hide_row(row, "people", keep, threshold) for row in rows]
        return suppress_groups(rows, "people", threshold, viewer_counts=viewer_counts)

    return {
        "root_id": root,
        "threshold": threshold,
        "teams": [
            hide_row(row, "people", keep, threshold) if index in hidden else row for index, row in enumerate(team_rows)
        ],
        "total": hide_row(total, "people", keep, threshold) if total_hidden else total,
        "checkins_by_month": sections(checkins_by_month(stats)),
        "rating": sections([rating(stats)])[0],
        "quiet_pairs": sections([quiet_pairs(session, root, stats, now, quiet_weeks)])[0],
        "campaigns": sections(campaigns(session, stats)),
    }


__all__ = ["campaigns", "checkins_by_month", "manager_report", "quiet_pairs", "rating", "stats_of", "teams"]
