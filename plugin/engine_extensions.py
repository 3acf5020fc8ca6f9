"""Everything the features register with the engine (see :mod:`tandem.workflows.extensions`).

Called by the add-on manager for every app FAB builds, so the web app,
``tandem worker``, ``tandem scheduler`` and the embedded workers of
``tandem serve`` all know the same recipients, notification context, sweeps and tasks.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from tandem.workflows.clock import Clock
from tandem.workflows.extensions import extensions

from .directory.jobs import TASK as DIRECTORY_IMPORT
from .directory.jobs import run_import, sweep_stalled_imports
from .matchmaking.introductions import INTRODUCTIONS, introduction_reasons
from .matchmaking.rematch import sweep_quiet_pairs
from .models import Notification
from .recipients import hr_people, line_manager
from .reports.digest import TEMPLATE as MANAGER_DIGEST
from .reports.digest import digest_numbers
from .settings import settings


def register(app: Flask) -> None:
    """Register Tandem's recipient resolvers, notification context, sweeps and tasks with ``app``'s engine."""
    registry = extensions(app)
    registry.add_recipients("manager", line_manager)
    registry.add_recipients("hr", hr_people)
    registry.add_notification_context(MANAGER_DIGEST, manager_digest)
    for template in INTRODUCTIONS:
        registry.add_notification_context(template, introduction_reasons)
    registry.add_sweep("quiet pairs", quiet_pairs)
    registry.add_sweep("stalled imports", sweep_stalled_imports)
    registry.add_task(DIRECTORY_IMPORT, run_import)


def manager_digest(session: Session, notification: Notification, now: datetime) -> dict[str, Any]:
    """The report layer computes a manager digest's numbers at sending time; the row keeps what was sent."""
    return {"report": digest_numbers(session, notification.recipient_id, now, settings().min_group_size)}


def quiet_pairs(session: Session, clock: Clock) -> str | None:
    """Warn quiet mentoring pairs and close those still quiet after the notice (see ``matchmaking.rematch``)."""
    result = sweep_quiet_pairs(session, clock)
    if result.warned or result.closed:
        return f"warned {len(result.warned)}, closed {len(result.closed)}"
    return None
