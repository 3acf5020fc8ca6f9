"""A message's title as its recipient reads it: the template's rendered subject, never the template's name."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from tandem.workflows.notification_context import build_context
from tandem.workflows.preferences import preferences_for
from tandem.workflows.templating import render

from ..formatting import template_label
from ..models import Notification

log = logging.getLogger(__name__)


def notification_title(session: Session, notification: Notification) -> str:
    """The subject ``notification`` has (or had) for its recipient; a worded template name if it cannot render."""
    stored = (notification.context or {}).get("subject")
    if stored:
        return str(stored)
    person = notification.recipient
    if person is not None:
        try:
            context = build_context(notification, person, preferences_for(session, person))
            subject = render(session, notification.template, context).subject
        except LookupError:  # a template that no longer exists
            subject = ""
        except Exception as error:  # a template HR broke later must not break the inbox
            log.warning("the subject of notification %s does not render: %s", notification.id, error)
            subject = ""
        if subject:
            return subject
    return template_label(notification.template)
