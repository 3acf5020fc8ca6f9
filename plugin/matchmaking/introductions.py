"""Why a pair was matched, in the e-mail that introduces them.

Registered with the engine as the notification context of the introduction
templates (:mod:`tandem.plugin.engine_extensions`): at sending time the
provider finds the pairing the run's ``match`` step made (the run's
``pairing_id``) and adds ``reasons``, the pairing's score breakdown in
sentences for the recipient ("You both speak French."), from
:func:`.sentences.match_sentences`. A notification of no run, or of a run
without a pairing, gets an empty list: the template then says nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tandem.workflows.notification_context import instance_of

from ..models import Notification, Pairing, WorkflowInstance
from .sentences import match_sentences

#: The templates that introduce a pair to each other (the built-in workflows' first message after ``match``).
INTRODUCTIONS = ("onboarding/introduction", "mentoring/introduction")


def pairing_of(session: Session, notification: Notification) -> Pairing | None:
    """The pairing the run that wrote ``notification`` made, if the recipient is one of the pair."""
    instance_id = instance_of(notification)
    instance = session.get(WorkflowInstance, instance_id) if instance_id is not None else None
    pairing_id = ((instance.state or {}).get("context") or {}).get("pairing_id") if instance else None
    pairing = session.get(Pairing, pairing_id) if pairing_id else None
    if pairing is None or notification.recipient_id not in (pairing.mentee_id, pairing.mentor_id):
        return None
    return pairing


def introduction_reasons(session: Session, notification: Notification, now: datetime) -> dict[str, Any]:
    """``{"reasons": [...]}``: why the recipient and their partner were matched, worded for the recipient."""
    pairing = pairing_of(session, notification)
    if pairing is None:
        return {"reasons": []}
    return {"reasons": match_sentences(session, pairing, notification.recipient_id, today=now.date())}
