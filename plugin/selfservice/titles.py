"""A message as its recipient reads it: the rendered subject (never the template's name), its text and links."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from tandem.workflows.notification_context import build_context, checkin_of, meeting_for
from tandem.workflows.preferences import preferences_for
from tandem.workflows.templating import Rendered, render

from ..formatting import template_label
from ..models import Notification

log = logging.getLogger(__name__)

URL = re.compile(r"https?://[^\s<>\"')\]]+")


@dataclass(frozen=True)
class Message:
    """One message, rendered for its recipient: subject, full text and every link in it (in order, once each)."""

    subject: str
    text: str
    links: list[str]


def _rendered(session: Session, notification: Notification) -> Rendered | None:
    """The message's three parts rendered for its recipient; ``None`` if its template no longer renders."""
    person = notification.recipient
    if person is None:
        return None
    try:
        checkin = checkin_of(session, notification)
        meeting = meeting_for(session, checkin, person) if checkin is not None else None
        context = build_context(notification, person, preferences_for(session, person), checkin, meeting)
        return render(session, notification.template, context)
    except LookupError:  # a template that no longer exists
        return None
    except Exception as error:  # a template HR broke later must not break the inbox
        log.warning("notification %s does not render: %s", notification.id, error)
        return None


def notification_title(session: Session, notification: Notification) -> str:
    """The subject ``notification`` has (or had) for its recipient; a worded template name if it cannot render."""
    stored = (notification.context or {}).get("subject")
    if stored:
        return str(stored)
    rendered = _rendered(session, notification)
    if rendered is not None and rendered.subject:
        return rendered.subject
    return template_label(notification.template)


def notification_message(session: Session, notification: Notification) -> Message:
    """The whole message: its subject, its text part and the links it carries (text part first, then HTML)."""
    rendered = _rendered(session, notification)
    subject = notification_title(session, notification)
    if rendered is None:
        return Message(subject, "This message can no longer be shown in full.", [])
    links: list[str] = []
    for url in [*URL.findall(rendered.text or ""), *URL.findall(rendered.html or "")]:
        url = url.replace("&amp;", "&").rstrip(".,;")
        if url not in links:
            links.append(url)
    return Message(subject, (rendered.text or "").strip(), links)
