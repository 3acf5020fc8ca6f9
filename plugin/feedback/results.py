"""Feedback and goals in aggregate: what HR and managers may read, under the small-group rule.

Nothing here returns one person's answer or one pair's goal. Every number
sums at least ``min_group_size`` people besides the viewer
(:mod:`tandem.plugin.reports.privacy`):

- a survey's results for a programme (HR) are shown when at least N people
  answered; the split by role (mentees, mentors …) is a partition of that
  total, so :func:`~tandem.plugin.reports.privacy.suppress_groups` hides a small
  role *and* a second one — no role can be had by subtracting from the total;
- a manager reads a survey's results for their whole reporting subtree only
  (no drill-down), with N answers besides their own;
- goals: HR reads per programme how many goals were set and done, when the
  pairs and circles that set them count at least N people; managers read none.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.workflows.notification_context import INSTANCE_KEY

from ..models import (
    CircleMember,
    FeedbackAnswer,
    Goal,
    InstanceParticipant,
    Notification,
    Pairing,
    Programme,
    WorkflowInstance,
)
from ..reports.privacy import Suppressed, hide_row, suppress_groups
from ..scoping import reporting_subtree
from .surveys import QUESTIONS, SURVEY_TEMPLATES, SURVEY_TITLES, due

ROLE_LABELS = {"mentee": "Mentees", "mentor": "Mentors", "newcomer": "Newcomers", "buddy": "Buddies"}
OTHER_ROLES = "Circle members and others"
NUMBERS = ("respondents", *(name for name, _ in QUESTIONS), "recommend", "promoters", "detractors")


@dataclass(frozen=True)
class SurveyResult:
    """One survey of one programme: the total row and, for HR, the rows by role (either may be suppressed)."""

    survey: str
    total: dict[str, Any]
    by_role: list[dict[str, Any]]

    @property
    def title(self) -> str:
        """The survey's name for people."""
        return SURVEY_TITLES[self.survey]


def _summary(label: str, answers: list[FeedbackAnswer]) -> dict[str, Any]:
    """Averages of one group's answers, and the share of promoters (9–10) and detractors (0–6)."""
    row: dict[str, Any] = {"label": label, "respondents": len(answers)}
    for name, _ in QUESTIONS:
        row[name] = sum(getattr(a, name) for a in answers) / len(answers) if answers else None
    scores = [a.recommend for a in answers if a.recommend is not None]
    row["recommend"] = sum(scores) / len(scores) if scores else None
    row["promoters"] = sum(score >= 9 for score in scores) / len(scores) if scores else None
    row["detractors"] = sum(score <= 6 for score in scores) / len(scores) if scores else None
    return row


def _hidden_unless(row: dict[str, Any], others: int, threshold: int) -> dict[str, Any]:
    return row if others >= threshold else hide_row(row, "respondents", ("label",), threshold)


def _roles(session: Session, answers: Iterable[FeedbackAnswer]) -> dict[int, str]:
    """Each answer's role in its run (mentee, mentor …), by answer id (one query)."""
    answers = list(answers)
    instance_ids = sorted({a.instance_id for a in answers if a.instance_id is not None})
    roles: dict[tuple[int, int], str] = {}
    for start in range(0, len(instance_ids), 500):
        rows = select(InstanceParticipant.instance_id, InstanceParticipant.person_id, InstanceParticipant.role)
        rows = rows.where(InstanceParticipant.instance_id.in_(instance_ids[start : start + 500]))
        for instance_id, person_id, role in session.execute(rows):
            roles[(instance_id, person_id)] = role
    return {a.id: roles.get((a.instance_id or 0, a.respondent_id), "") for a in answers}


def programme_results(session: Session, programme_id: int, threshold: int) -> list[SurveyResult]:
    """HR's view of a programme's surveys: the total per survey and the split by role, suppressed as needed."""
    answers = list(session.scalars(select(FeedbackAnswer).where(FeedbackAnswer.programme_id == programme_id)))
    results = []
    for survey in SURVEY_TITLES:
        mine = [a for a in answers if a.survey == survey]
        total = _hidden_unless(_summary("All who answered", mine), len(mine), threshold)
        roles = _roles(session, mine)
        groups: dict[str, list[FeedbackAnswer]] = defaultdict(list)
        for answer in mine:
            groups[ROLE_LABELS.get(roles[answer.id], OTHER_ROLES)].append(answer)
        rows = [_summary(label, groups[label]) for label in sorted(groups)]
        by_role = suppress_groups(rows, "respondents", threshold) if len(rows) > 1 else []
        results.append(SurveyResult(survey, total, by_role))
    return results


def subtree_results(session: Session, manager_id: int, threshold: int) -> list[tuple[str, SurveyResult]]:
    """A manager's view: per programme and survey, their whole subtree's answers only (never split further).

    The manager's own answer, if any, does not count towards the N people a result needs.
    """
    subtree = reporting_subtree(manager_id)
    rows = session.execute(
        select(FeedbackAnswer, Programme.name)
        .join(Programme, Programme.id == FeedbackAnswer.programme_id)
        .where(FeedbackAnswer.respondent_id.in_(subtree))
        .order_by(Programme.name)
    ).all()
    grouped: dict[tuple[str, str], list[FeedbackAnswer]] = defaultdict(list)
    for answer, name in rows:
        grouped[(name, answer.survey)].append(answer)
    found = []
    for (name, survey), answers in sorted(grouped.items()):
        others = sum(answer.respondent_id != manager_id for answer in answers)
        total = _hidden_unless(_summary("Your reporting line", answers), others, threshold)
        found.append((name, SurveyResult(survey, total, [])))
    return found


def completion(
    session: Session, threshold: int, now: datetime, programme_id: int | None = None
) -> list[dict[str, Any]]:
    """Per programme and survey: how many people it was sent to (due by ``now``), how many answered, the share.

    A programme that sent a survey to fewer than N people shows only that it did.
    """
    sent = select(Notification.recipient_id, Notification.template, Notification.idempotency_key).where(
        Notification.template.in_(list(SURVEY_TEMPLATES)), due(now)
    )
    invited: dict[tuple[int, str], set[tuple[int, int]]] = defaultdict(set)
    instance_programme = dict(session.execute(select(WorkflowInstance.id, WorkflowInstance.programme_id)).all())
    for person_id, template, key in session.execute(sent):
        match = INSTANCE_KEY.match(key or "")
        programme = instance_programme.get(int(match["instance"])) if match else None
        if programme is not None and (programme_id is None or programme == programme_id):
            invited[(programme, SURVEY_TEMPLATES[template])].add((int(match["instance"]), person_id))
    answered: Counter = Counter()
    query = select(FeedbackAnswer.programme_id, FeedbackAnswer.survey, func.count()).group_by(
        FeedbackAnswer.programme_id, FeedbackAnswer.survey
    )
    for programme, survey, count in session.execute(query):
        answered[(programme, survey)] = count
    names = dict(session.execute(select(Programme.id, Programme.name)).all())
    rows = []
    for (programme, survey), people in sorted(
        invited.items(), key=lambda item: (names.get(item[0][0], ""), item[0][1])
    ):
        row = {
            "label": names.get(programme, ""),
            "survey": SURVEY_TITLES[survey],
            "sent": len(people),
            "answered": answered[(programme, survey)],
        }
        row["rate"] = row["answered"] / row["sent"] if row["sent"] else None
        rows.append(row if row["sent"] >= threshold else hide_row(row, "sent", ("label", "survey"), threshold))
    return rows


def goal_counts(session: Session, threshold: int, programme_id: int | None = None) -> list[dict[str, Any]]:
    """Per programme: the pairs and circles that set goals, goals set, moving and done — counts only.

    Hidden when the people of those pairs and circles are fewer than N.
    """
    query = select(Goal.programme_id, Goal.group_key, Goal.status).where(Goal.programme_id.is_not(None))
    if programme_id is not None:
        query = query.where(Goal.programme_id == programme_id)
    per: dict[int, dict[str, Any]] = defaultdict(lambda: {"groups": set(), "statuses": Counter()})
    for programme, group, status in session.execute(query):
        per[programme]["groups"].add(group)
        per[programme]["statuses"][status] += 1
    names = dict(session.execute(select(Programme.id, Programme.name)).all())
    rows = []
    for programme in sorted(per, key=lambda pk: names.get(pk, "")):
        groups = per[programme]["groups"]
        statuses = per[programme]["statuses"]
        people = _people_in(session, groups)
        row = {
            "label": names.get(programme, ""),
            "groups": len(groups),
            "set": sum(statuses.values()),
            "moving": statuses["moving"],
            "done": statuses["done"],
        }
        rows.append(row if people >= threshold else hide_row(row, "groups", ("label",), threshold))
    return rows


def _people_in(session: Session, groups: Iterable[str]) -> int:
    """How many distinct people belong to these goal groups (pairs and circles)."""
    pairings = [int(group.split(":")[1]) for group in groups if group.startswith("pairing:")]
    instances = [int(group.split(":")[1]) for group in groups if group.startswith("instance:")]
    circles = [int(group.split(":")[1]) for group in groups if group.startswith("circle:")]
    people: set[int] = set()
    for start in range(0, len(circles), 500):
        rows = select(CircleMember.person_id).where(CircleMember.circle_id.in_(circles[start : start + 500]))
        people |= set(session.scalars(rows))
    for start in range(0, len(pairings), 500):
        for mentor, mentee in session.execute(
            select(Pairing.mentor_id, Pairing.mentee_id).where(Pairing.id.in_(pairings[start : start + 500]))
        ):
            people |= {mentor, mentee}
    for start in range(0, len(instances), 500):
        rows = select(InstanceParticipant.person_id).where(
            InstanceParticipant.instance_id.in_(instances[start : start + 500])
        )
        people |= set(session.scalars(rows))
    return len(people)


def is_suppressed(value: Any) -> bool:
    """True for a number hidden by the small-group rule."""
    return isinstance(value, Suppressed)
