"""What the engine knows of the features: only what they register with it, per app.

The engine sits below the features (see README, Layout): it never imports
them. A feature tells the engine what it needs at start-up, through the
add-on manager (:func:`tandem.plugin.engine_extensions.register`), which FAB
runs for every app the factory builds — the web app, ``tandem worker``,
``tandem scheduler`` and the embedded workers of ``tandem serve`` alike:

- **recipient resolvers**: who a role such as ``hr`` or ``manager`` in a
  ``notify`` step is, for one run;
- **notification context providers**: extra template context for one
  notification template, computed at sending time from the notification row
  (the manager digest's numbers; why a pair was matched, in its introduction);
- **sweeps**: periodic work the scheduler runs about once an hour (quiet pairs);
- **tasks**: background work on the workers for one row, sent by id
  (:func:`tandem.workflows.tasks.send_task`; the directory import).

Like Dramatiq's middleware, a registration is a plain callable under a name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app
from sqlalchemy.orm import Session

from .clock import Clock

if TYPE_CHECKING:
    from tandem.plugin.models import Notification, WorkflowInstance

#: Who receives a notification sent to a role: person ids, in order.
RecipientResolver = Callable[[Session, "WorkflowInstance"], list[int]]
#: Extra context for a template: ``(session, notification, now) -> {name: value}``; stored on the row as sent.
#: The row says whom it is for (``recipient_id``) and which run wrote it (its idempotency key).
ContextProvider = Callable[[Session, "Notification", datetime], dict[str, Any]]
#: Periodic work in its own transaction (the scheduler commits): returns a line for the log, or ``None``.
Sweep = Callable[[Session, Clock], str | None]
#: Background work for one row, on a worker: ``(session, row id, clock)``; it commits what it does itself.
Task = Callable[[Session, int, Clock], None]

KEY = "tandem.workflows.extensions"


@dataclass
class Extensions:
    """The registrations of one app."""

    recipients: dict[str, RecipientResolver] = field(default_factory=dict)
    notification_context: dict[str, ContextProvider] = field(default_factory=dict)
    sweeps: dict[str, Sweep] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)

    def add_recipients(self, role: str, resolver: RecipientResolver) -> None:
        """Resolve ``role`` (as a ``notify`` step names it) with ``resolver``."""
        self.recipients[role] = resolver

    def add_notification_context(self, template: str, provider: ContextProvider) -> None:
        """Add what ``provider`` returns to the context of every notification of ``template``."""
        self.notification_context[template] = provider

    def add_sweep(self, name: str, sweep: Sweep) -> None:
        """Run ``sweep`` from the scheduler about once an hour."""
        self.sweeps[name] = sweep

    def add_task(self, name: str, task: Task) -> None:
        """Run ``task`` on the workers for the row id sent with :func:`~tandem.workflows.tasks.send_task`."""
        self.tasks[name] = task


def extensions(app: Flask | None = None) -> Extensions:
    """The registrations of ``app`` (by default the current app), created empty on first use."""
    app = app if app is not None else current_app
    found = app.extensions.get(KEY)
    if found is None:
        found = app.extensions[KEY] = Extensions()
    return found
