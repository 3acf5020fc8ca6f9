"""Campaign items as a person sees them: read, acknowledge, answer the short quiz."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tandem.workflows.intake import record_event

from ..errors import NotAllowed, NotFound, Refused
from ..events import NewEvent
from ..models import Acknowledgement, CampaignItem, CheckIn, Enrolment, Notification, Programme


@dataclass(frozen=True)
class ItemView:
    """An item with the person's acknowledgement, if any."""

    item: CampaignItem
    acknowledgement: Acknowledgement | None

    @property
    def quiz(self) -> dict[str, Any]:
        """The item's quiz: ``question``, ``options`` and the index of the right ``answer`` (may be empty)."""
        return self.item.quiz or {}


def _my_programmes(person_id: int) -> Any:
    return select(Enrolment.programme_id).where(Enrolment.person_id == person_id, Enrolment.status == "active")


def items_for(session: Session, person_id: int) -> list[ItemView]:
    """The items of the published campaigns the person takes part in, in order, with their acknowledgements."""
    items = session.scalars(
        select(CampaignItem)
        .join(Programme, Programme.id == CampaignItem.programme_id)
        .where(CampaignItem.programme_id.in_(_my_programmes(person_id)), Programme.status == "active")
        .order_by(Programme.name, CampaignItem.position)
    ).all()
    acknowledged = {
        ack.item_id: ack
        for ack in session.scalars(
            select(Acknowledgement).where(
                Acknowledgement.person_id == person_id, Acknowledgement.item_id.in_([i.id for i in items])
            )
        )
    }
    return [ItemView(item, acknowledged.get(item.id)) for item in items]


def own_item(session: Session, item_id: int, person_id: int) -> CampaignItem:
    """An item of a campaign the person takes part in; :class:`NotFound` otherwise."""
    item = session.get(CampaignItem, item_id)
    if item is None or item.programme_id not in set(session.scalars(_my_programmes(person_id))):
        raise NotFound("There is no such item in your campaigns.")
    return item


def acknowledge(
    session: Session, item: CampaignItem, person_id: int, quiz_answer: str | None, now: datetime
) -> Acknowledgement:
    """Record that the person read ``item`` (and their quiz answer), and the ``campaign.acknowledged`` event."""
    quiz = item.quiz or {}
    correct: bool | None = None
    chosen = ""
    if quiz.get("options"):
        if quiz_answer in (None, ""):
            raise Refused("Quick question: choose an answer to the question first.", "quiz_answer")
        try:
            index = int(quiz_answer)
            chosen = quiz["options"][index]
        except (ValueError, IndexError, TypeError):
            raise Refused("Quick question: that answer is not one of the options.", "quiz_answer") from None
        if index < 0:
            raise Refused("Quick question: that answer is not one of the options.", "quiz_answer")
        correct = index == quiz.get("answer")
    ack = Acknowledgement(item_id=item.id, person_id=person_id, acknowledged_at=now, quiz_answer=chosen)
    ack.quiz_correct = correct
    try:
        with session.begin_nested():
            session.add(ack)
            session.flush()
    except IntegrityError:
        raise NotAllowed("You have already acknowledged this item.") from None
    record_event(
        session,
        NewEvent(
            "campaign.acknowledged",
            person_id,
            item.programme_id,
            {"item": item.slug, "item_id": item.id, "quiz_correct": correct},
            source="self-service",
            event_id=f"campaign.acknowledged:{item.id}:{person_id}",
            occurred_at=now,
        ),
    )
    return ack


FIRST_WINDOW = timedelta(days=14)


def discussion_prompts(session: Session, checkin: CheckIn) -> list[tuple[str, str]]:
    """What the pair is asked to discuss at ``checkin``: (item title, prompt).

    Two sources: the items the check-in's own workflow queued (``discuss: true``
    in the same run), and the campaign items either person of the pair received
    or acknowledged since their previous check-in (the campaign runs as its own
    workflow, so its prompts land on whichever check-in the pair has next).
    """
    slugs = list(checkin.prompts or [])
    people = {checkin.respondent_id}
    if checkin.pairing is not None:
        people |= {checkin.pairing.mentor_id, checkin.pairing.mentee_id}
    until = checkin.due_at
    previous = session.scalar(
        select(func.max(CheckIn.due_at)).where(
            CheckIn.respondent_id == checkin.respondent_id,
            CheckIn.due_at < until,
            CheckIn.id != checkin.id,
        )
    )
    since = previous if previous is not None else until - FIRST_WINDOW
    received = session.scalars(
        select(Notification.context).where(
            Notification.recipient_id.in_(people),
            Notification.template == "campaign/item",
            Notification.created_at > since,
            Notification.created_at <= until,
        )
    )
    slugs += [context.get("item") for context in received if context and context.get("item")]
    acknowledged = session.scalars(
        select(CampaignItem.slug)
        .join(Acknowledgement, Acknowledgement.item_id == CampaignItem.id)
        .where(
            Acknowledgement.person_id.in_(people),
            Acknowledgement.acknowledged_at > since,
            Acknowledgement.acknowledged_at <= until,
        )
    )
    slugs += list(acknowledged)
    prompts: list[tuple[str, str]] = []
    for slug in dict.fromkeys(slugs):
        item = session.scalars(select(CampaignItem).where(CampaignItem.slug == slug).order_by(CampaignItem.id)).first()
        if item is not None and item.checkin_prompt:
            prompts.append((item.title, item.checkin_prompt))
    return prompts
