"""Delivering the outbox: claim due notifications, then send each through the person's channels.

Each notification ends in one named state: ``sent``, ``failed`` (for good:
an incident in HR's Operations inbox), ``suppressed`` (nobody to send to, or
a prompt, reminder or escalation whose check-in closed before it went out:
:func:`~tandem.workflows.firetime.stale_reason`) or
``digested`` (over the person's daily budget, merged into one digest). A
passing failure leaves it ``queued`` with its error and a later
``deliver_after`` (exponential backoff in the database, so retries survive
restarts); after :data:`MAX_ATTEMPTS` it fails for good. Quiet hours move
``deliver_after`` to their end.

Delivery is at-least-once towards the outside world: the row is marked sent
in its own commit right after the SMTP server or webhook accepted it, so a
crash between those two moments (or a lost connection after the server's
250) sends that one message again on the retry.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from tandem.plugin.models import Incident, Notification, Person
from tandem.plugin.settings import settings

from .channels import INBOX, DeliveryError, Outgoing, registered, webhook
from .channels.email import Mailer, parse_smtp_url
from .clock import Clock, as_utc
from .extensions import extensions
from .firetime import stale_reason
from .notification_context import build_context, checkin_of, instance_of, meeting_for
from .preferences import Preferences, preferences_for
from .templating import render
from .transient import is_transient

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6
DIGEST = "digest"


def claim_due_notifications(session: Session, clock: Clock, limit: int = 500, lease: timedelta = LEASE) -> list[int]:
    """Claim up to ``limit`` queued notifications that are due and not in flight; commits, returns their ids.

    On PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so schedulers never claim the
    same row twice; a lost delivery message is claimed again when its lease expires.
    """
    now = clock.now()
    query = (
        select(Notification.id)
        .where(
            Notification.status == "queued",
            or_(Notification.deliver_after.is_(None), Notification.deliver_after <= now),
            or_(Notification.lease_until.is_(None), Notification.lease_until < now),
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if ids:
        session.execute(update(Notification).where(Notification.id.in_(ids)).values(lease_until=now + lease))
    session.commit()
    return ids


def release_notifications(session: Session, notification_ids: list[int]) -> int:
    """Clear the leases of notifications whose delivery message was never published; commits, returns how many."""
    if not notification_ids:
        return 0
    released = session.execute(
        update(Notification)
        .where(Notification.id.in_(notification_ids), Notification.status == "queued")
        .values(lease_until=None)
    ).rowcount
    session.commit()
    return released


@dataclass
class Outcome:
    """What one delivery pass did, by final state."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, state: str) -> None:
        """Count one notification in ``state``."""
        self.counts[state] = self.counts.get(state, 0) + 1


class Delivery:
    """One pass over a batch of notification ids, sharing one SMTP connection."""

    def __init__(self, session: Session, clock: Clock, mailer: Mailer | None = None, post: Callable = webhook.post):
        self.session, self.clock, self.post = session, clock, post
        config = settings()
        self.sender = config.mail_from
        self._mailer = mailer
        self._smtp_url = config.smtp_url

    @property
    def mailer(self) -> Mailer:
        """The batch's mailer (connects lazily on the first message)."""
        if self._mailer is None:
            if not self._smtp_url:
                raise DeliveryError("TANDEM_SMTP_URL is not set", permanent=False)
            self._mailer = Mailer(parse_smtp_url(self._smtp_url))
        return self._mailer

    def close(self) -> None:
        """Close the SMTP connection."""
        if self._mailer is not None:
            self._mailer.close()

    def run(self, ids: list[int]) -> Outcome:
        """Deliver each notification in ``ids`` that is still queued; commits after each."""
        outcome = Outcome()
        try:
            for notification_id in ids:
                outcome.add(self.one(notification_id))
                self.session.commit()
        finally:
            self.close()
        return outcome

    def one(self, notification_id: int) -> str:
        """Deliver one notification; returns the state it is left in."""
        notification = self.session.get(Notification, notification_id, with_for_update=self._lock())
        if notification is None or notification.status != "queued":
            return "skipped"
        now = self.clock.now()
        notification.lease_until = None
        if notification.deliver_after is not None and as_utc(notification.deliver_after) > now:
            return "not-due"
        person = notification.recipient
        preferences = preferences_for(self.session, person)
        if person.status == "left":
            return self._finish(notification, "suppressed", "the person has left")
        if not preferences.channels:
            return self._finish(notification, "suppressed", "the person turned every channel off")
        stale = stale_reason(self.session, notification)
        if stale is not None:  # the database decides at delivery too: a closed check-in asks nothing more
            return self._finish(notification, "suppressed", stale)
        quiet_until = preferences.quiet_until(now)
        if quiet_until is not None:
            notification.deliver_after = quiet_until
            return "postponed"
        if notification.template != DIGEST and self._over_budget(notification, preferences, now):
            self._merge_into_digest(notification, preferences, now)
            return "digested"
        notification.attempts += 1
        try:
            channel = self._send(notification, person, preferences)
        except DeliveryError as error:
            return self._failed(notification, str(error), error.permanent)
        except Exception as error:
            if is_transient(error):
                raise  # the database, not the notification: the batch is retried soon
            return self._failed(
                notification, f"template {notification.template}: {type(error).__name__}: {error}", True
            )
        notification.channel = channel
        notification.sent_at = now
        if notification.error:  # it had failed before: an incident HR retried closes now that it went out
            self._close_incident(notification, now)
        return self._finish(notification, "sent", "")

    def _lock(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    # ---- channels --------------------------------------------------------------------------------

    def _send(self, notification: Notification, person: Person, preferences: Preferences) -> str:
        """Render and send; returns the channel that carried it (the inbox when no push channel did)."""
        checkin = checkin_of(self.session, notification)
        meeting = meeting_for(self.session, checkin, person) if checkin is not None else None
        context = build_context(notification, person, preferences, checkin, meeting)
        if notification.template == DIGEST:
            context["items"] = self._digest_items(notification, person, preferences)
        provider = extensions().notification_context.get(notification.template)
        if provider is not None:  # a feature's numbers, computed at sending time; the row keeps what was sent
            extra = provider(self.session, notification, self.clock.now())
            notification.context = {**(notification.context or {}), **extra}
            context.update(extra)
        rendered = render(self.session, notification.template, context)
        outgoing = Outgoing(notification, person, preferences, rendered, context, checkin, meeting, self)
        used: list[str] = []
        for channel in registered():  # the registry's order: e-mail first, then the other push channels
            if channel.name not in preferences.channels or not channel.can_reach(outgoing):
                continue
            try:
                channel.send(outgoing)
            except DeliveryError:
                if not used:
                    raise
                log.warning("%s of person %s failed after the %s went out", channel.name, person.id, used[0])
            else:
                used.append(channel.name)
        return used[0] if used else INBOX

    # ---- budget and digest -----------------------------------------------------------------------

    def _over_budget(self, notification: Notification, preferences: Preferences, now: datetime) -> bool:
        sent_today = self.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.recipient_id == notification.recipient_id,
                Notification.status == "sent",
                Notification.template != DIGEST,
                Notification.sent_at >= preferences.day_start(now),
            )
        )
        return sent_today >= preferences.daily_budget

    def _merge_into_digest(self, notification: Notification, preferences: Preferences, now: datetime) -> None:
        """Mark ``notification`` digested and add it to the person's digest for the next morning."""
        day = now.astimezone(preferences.zone).date().isoformat()
        key = f"digest:{notification.recipient_id}:{day}"
        insert = postgresql_insert if self._lock() else sqlite_insert
        self.session.execute(
            insert(Notification).on_conflict_do_nothing(index_elements=["idempotency_key"]),
            [
                {
                    "recipient_id": notification.recipient_id,
                    "channel": "email",
                    "template": DIGEST,
                    "context": {"merged": []},
                    "idempotency_key": key,
                    "status": "queued",
                    "attempts": 0,
                    "error": "",
                    "created_at": now,
                    "deliver_after": preferences.next_morning(now),
                }
            ],
        )
        digest = self.session.scalars(
            select(Notification).where(Notification.idempotency_key == key).with_for_update(nowait=False)
            if self._lock()
            else select(Notification).where(Notification.idempotency_key == key)
        ).one()
        digest.context = {**digest.context, "merged": [*digest.context.get("merged", []), notification.id]}
        self._finish(notification, "digested", f"over the daily budget of {preferences.daily_budget}: in {key}")

    def _digest_items(self, digest: Notification, person: Person, preferences: Preferences) -> list[dict[str, str]]:
        items = []
        for merged in self.session.scalars(
            select(Notification).where(Notification.id.in_(digest.context.get("merged", []))).order_by(Notification.id)
        ):
            try:
                subject = render(self.session, merged.template, build_context(merged, person, preferences)).subject
            except Exception:
                subject = merged.template
            items.append({"subject": subject, "template": merged.template})
        return items

    # ---- outcomes --------------------------------------------------------------------------------

    def _finish(self, notification: Notification, status: str, error: str) -> str:
        notification.status, notification.error = status, error[:2000]
        return status

    def _failed(self, notification: Notification, error: str, permanent: bool) -> str:
        if not permanent and notification.attempts < MAX_ATTEMPTS:
            backoff = timedelta(seconds=30 * 2 ** (notification.attempts - 1))
            notification.error = f"attempt {notification.attempts}: {error}"[:2000]
            notification.deliver_after = self.clock.now() + min(backoff, timedelta(hours=1))
            return "retrying"
        self._finish(notification, "failed", error)
        self._open_incident(notification, error)
        return "failed"

    def _close_incident(self, notification: Notification, now: datetime) -> None:
        self.session.execute(
            update(Incident)
            .where(Incident.notification_id == notification.id, Incident.status == "open")
            .values(status="retried", resolved_at=now, resolved_by="delivery")
        )

    def _open_incident(self, notification: Notification, error: str) -> None:
        """An incident in HR's Operations inbox (reopened if this notification had one)."""
        incident = self.session.scalars(select(Incident).where(Incident.notification_id == notification.id)).first()
        if incident is None:
            incident = Incident(notification_id=notification.id, instance_id=instance_of(notification))
            self.session.add(incident)
        incident.summary = f"Notification {notification.template!r} to {notification.recipient} could not be delivered"[
            :300
        ]
        incident.error, incident.status, incident.resolved_at, incident.resolved_by = error, "open", None, ""


def requeue(session: Session, notification_id: int, clock: Clock) -> None:
    """Queue a failed notification again, due now, with a fresh count of attempts (HR's "Retry")."""
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "failed")
        .values(status="queued", attempts=0, deliver_after=clock.now(), lease_until=None)
    )


def deliver(session: Session, ids: list[int], clock: Clock, mailer: Mailer | None = None) -> Outcome:
    """Deliver the notifications ``ids`` (one SMTP connection for all of them)."""
    return Delivery(session, clock, mailer).run(ids)
