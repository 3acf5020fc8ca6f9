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

A pass goes in chunks of ``TANDEM_DELIVERY_COMMIT_EVERY`` (default 10). A
chunk's rows, recipients, preferences and daily counts are read with one
query each; each message is rendered (template sources looked up once a
pass, compiled once per source) and handed to each chosen channel's
``prepare``; then the chunk goes to the channels' batch senders
(:class:`~tandem.workflows.channels.Batch`), which may send in the
background — e-mail does, over its SMTP connections — while the next chunk
is prepared. When the chunk's results are in, its statuses are recorded and
committed together, before the next chunk is handed over.

Delivery is at-least-once towards the outside world. Only one chunk is ever
out without its statuses committed, so a crash (or a lost database) re-sends
at most ``TANDEM_DELIVERY_COMMIT_EVERY`` messages per delivery pass in
flight: the chunk whose messages the server had accepted before the commit.
A lost connection after the server's 250 re-sends that one message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, joinedload, scoped_session

from tandem.plugin.models import Incident, Notification, Person
from tandem.plugin.settings import settings

from .channels import INBOX, Batch, Channel, DeliveryError, Outgoing, Pending, Result, default_channels, registered
from .clock import Clock, as_utc
from .extensions import extensions
from .firetime import stale_reason
from .notification_context import build_context, checkin_of, instance_of, meeting_for
from .preferences import Preferences, preferences_for, preferences_of
from .templating import render_sources, sources_for
from .transient import is_transient

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 6
DIGEST = "digest"
#: What delivery reads of a recipient (a channel or context provider reading more loads it then).
RECIPIENT_COLUMNS = (Person.id, Person.full_name, Person.email, Person.timezone, Person.country, Person.status)


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


@dataclass
class Prepared:
    """A notification rendered, with what each of its channels will send, in the registry's order."""

    notification: Notification
    notification_id: int
    recipient_id: int
    had_failed: bool
    channels: list[Channel]
    payloads: list[Any]
    used: list[str] = field(default_factory=list)
    error: DeliveryError | None = None

    def result(self, channel: Channel, result: Result) -> None:
        """Note how ``channel`` did: the first channel's refusal fails the message; a later one's is logged."""
        if result is None:
            self.used.append(channel.name)
        elif not self.used:
            self.error = result
        else:
            log.warning("%s of person %s failed after the %s went out", channel.name, self.recipient_id, self.used[0])


@dataclass
class Chunk:
    """One chunk of a pass: what goes out, and the first round of its channels once sent."""

    prepared: list[Prepared]
    first: list[tuple[list[Prepared], Channel, Pending]] = field(default_factory=list)


class Delivery:
    """One pass over a batch of notification ids, in chunks committed together (see the module's docstring).

    Offered to the channels' senders as ``Outgoing.delivery``: ``sender`` (the From address),
    ``clock`` and ``config`` (the settings).
    """

    def __init__(self, session: Session, clock: Clock):
        self.session, self.clock = session, clock
        self.config = settings()
        self.sender = self.config.mail_from
        self.commit_every = self.config.delivery_commit_every
        self._batches: dict[str, Batch] = {}
        self._sources: dict[str, dict[str, str]] = {}
        self._preferences: dict[int, Preferences] = {}
        self._sent_today: dict[int, tuple[datetime, int]] = {}

    def close(self) -> None:
        """Close every channel's sender (SMTP connections, threads)."""
        batches, self._batches = self._batches, {}
        for batch in batches.values():
            batch.close()

    def run(self, ids: list[int]) -> Outcome:
        """Deliver each notification in ``ids`` that is still queued; commits after each chunk.

        While one chunk is on its way the next is prepared; once its results are in, the next is
        handed over and the chunk's statuses are committed while it travels. So at most two chunks
        are ever out without their statuses committed.
        """
        outcome = Outcome()
        out: Chunk | None = None
        session = self.session() if isinstance(self.session, scoped_session) else self.session
        expiring, session.expire_on_commit = session.expire_on_commit, False  # the pass's rows stay loaded
        try:
            found = self._load(ids)
            for chunk_ids in _chunks(ids, self.commit_every):
                prepared = self._prepare(chunk_ids, found, outcome)  # while the previous chunk is on its way
                if out is not None:
                    self._results(out)
                following = self._send(prepared)
                if out is not None:
                    self._record(out, outcome)
                self.session.commit()
                out = following
            if out is not None:
                self._results(out)
                self._record(out, outcome)
                self.session.commit()
        finally:
            session.expire_on_commit = expiring
            self.session.expire_all()  # as after any commit: whoever reads next reads the database
            self.close()
        return outcome

    def _lock(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    # ---- preparing -------------------------------------------------------------------------------

    def _load(self, ids: list[int]) -> dict[int, Notification]:
        """The pass's notifications and recipients (locked on PostgreSQL until the first commit), their
        preferences and daily counts, one query each; the claim's lease keeps the rows ours after that."""
        recipient = joinedload(Notification.recipient).load_only(*RECIPIENT_COLUMNS)  # the others load if read
        query = select(Notification).where(Notification.id.in_(ids)).options(recipient)
        if self._lock():
            query = query.with_for_update(of=Notification)
        found = {row.id: row for row in self.session.scalars(query.execution_options(populate_existing=True))}
        people = {row.recipient.id: row.recipient for row in found.values()}
        fresh = [person for person in people.values() if person.id not in self._preferences]
        if fresh:
            self._preferences.update(preferences_of(self.session, fresh))
            self._count_sent_today(fresh)
        return found

    def _reload(self, ids: list[int]) -> None:
        query = select(Notification).where(Notification.id.in_(ids))
        if self._lock():
            query = query.with_for_update()
        self.session.scalars(query).all()

    def _prepare(self, ids: list[int], found: dict[int, Notification], outcome: Outcome) -> list[Prepared]:
        """Decide each notification of the chunk; returns those that go out. Final states are counted here.

        A notification that goes out is not changed yet (its row keeps its lease): it is recorded
        with its chunk's results, so nothing about it is committed before it was sent.
        """
        prepared = []
        for notification_id in ids:
            notification = found.get(notification_id)
            result = "skipped" if notification is None else self._decide(notification)
            if isinstance(result, Prepared):
                prepared.append(result)
            else:
                outcome.add(result)
        return prepared

    def _decide(self, notification: Notification) -> str | Prepared:
        """A final state for ``notification``, or the message ready to go out."""
        if notification.status != "queued":
            return "skipped"
        now = self.clock.now()
        if notification.deliver_after is not None and as_utc(notification.deliver_after) > now:
            notification.lease_until = None
            return "not-due"
        person = notification.recipient
        preferences = self._preferences.get(person.id) or preferences_for(self.session, person)
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
            notification.lease_until = None
            return "postponed"
        if notification.template != DIGEST and self._over_budget(notification, preferences, now):
            self._merge_into_digest(notification, preferences, now)
            return "digested"
        try:
            prepared = self._render(notification, person, preferences)
        except Exception as error:
            if is_transient(error):
                raise  # the database, not the notification: the batch is retried soon
            notification.attempts += 1
            message = f"template {notification.template}: {type(error).__name__}: {error}"
            return self._failed(notification, message, True)
        self._count(prepared, +1)  # it counts towards today's budget from now on (given back if it fails)
        return prepared

    def _render(self, notification: Notification, person: Person, preferences: Preferences) -> Prepared:
        """Render ``notification`` and let each chosen channel that can reach the person prepare its message."""
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
        rendered = render_sources(self._sources_for(notification.template), context)
        outgoing = Outgoing(notification, person, preferences, rendered, context, checkin, meeting, self)
        prepared = Prepared(notification, notification.id, person.id, bool(notification.error), [], [])
        for channel in registered():  # the registry's order: e-mail first, then the other push channels
            if channel.name not in preferences.channels or not channel.can_reach(outgoing):
                continue
            try:
                payload: Any = self._batch(channel).prepare(outgoing)
            except DeliveryError as error:
                payload = error  # this channel refuses it: its result when the chunk goes out
            prepared.channels.append(channel)
            prepared.payloads.append(payload)
        return prepared

    def _batch(self, channel: Channel) -> Batch:
        """``channel``'s sender for this pass (opened when first needed)."""
        if channel.name not in self._batches:
            self._batches[channel.name] = channel.open_batch(self)
        return self._batches[channel.name]

    def _sources_for(self, name: str) -> dict[str, str]:
        """``name``'s sources, looked up once a pass (their compiled templates are cached by source)."""
        if name not in self._sources:
            self._sources[name] = sources_for(self.session, name)
        return self._sources[name]

    # ---- sending ---------------------------------------------------------------------------------

    def _send(self, prepared: list[Prepared]) -> Chunk:
        """Hand the chunk's first channel of each message to its sender (which may go on in the background)."""
        chunk = Chunk(prepared)
        chunk.first = self._round(prepared, 0)
        return chunk

    def _round(self, prepared: list[Prepared], turn: int) -> list[tuple[list[Prepared], Channel, Pending]]:
        """Send each message's ``turn``-th channel, a batch per channel; returns what is under way."""
        by_channel: dict[str, tuple[Channel, list[Prepared], list[Any]]] = {}
        for item in prepared:
            if item.error is None and turn < len(item.channels):
                channel = item.channels[turn]
                entry = by_channel.setdefault(channel.name, (channel, [], []))
                entry[1].append(item)
                entry[2].append(item.payloads[turn])
        under_way = []
        for channel, items, payloads in by_channel.values():
            refused = [index for index, payload in enumerate(payloads) if isinstance(payload, DeliveryError)]
            for index in reversed(refused):  # refused while preparing: that is its result, nothing is sent
                items[index].result(channel, payloads[index])
                del items[index], payloads[index]
            if items:
                under_way.append((items, channel, self._batch(channel).send(payloads)))
        return under_way

    def _results(self, chunk: Chunk) -> None:
        """Wait for the chunk's channels (each message's later channels in turn, once the earlier answered)."""
        under_way, turn = chunk.first, 0
        while under_way:
            for items, channel, pending in under_way:
                for item, result in zip(items, pending.result(), strict=True):
                    item.result(channel, result)
            turn += 1
            under_way = self._round(chunk.prepared, turn)

    def _record(self, chunk: Chunk, outcome: Outcome) -> None:
        """Record each message of the chunk as sent (one statement per channel) or failed; not committed.

        Only a row still ``queued`` is marked: the lease kept it ours, and this makes sure of it.
        """
        now = self.clock.now()
        sent: dict[str, list[int]] = {}
        for item in chunk.prepared:
            if item.error is None:
                sent.setdefault(item.used[0] if item.used else INBOX, []).append(item.notification_id)
        for channel, notification_ids in sent.items():
            done = self.session.execute(
                update(Notification)
                .where(Notification.id.in_(notification_ids), Notification.status == "queued")
                .values(
                    status="sent",
                    channel=channel,
                    sent_at=now,
                    error="",
                    lease_until=None,
                    attempts=Notification.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            ).rowcount
            if done:
                outcome.counts["sent"] = outcome.counts.get("sent", 0) + done
        again = [item.notification_id for item in chunk.prepared if item.had_failed and item.error is None]
        if again:  # they had failed before: an incident HR retried closes now that they went out
            self._close_incidents(again, now)
        failed = [item for item in chunk.prepared if item.error is not None]
        if failed:  # rare: relocked on PostgreSQL
            self._reload([item.notification_id for item in failed])
        for item in failed:
            notification = item.notification
            notification.lease_until = None
            notification.attempts += 1
            self._count(item, -1)
            outcome.add(self._failed(notification, str(item.error), item.error.permanent))

    # ---- budget and digest -----------------------------------------------------------------------

    def _count_sent_today(self, people: list[Person]) -> None:
        """Each person's messages sent since their local midnight (towards the daily budget), in one query."""
        now = self.clock.now()
        days = {person.id: self._preferences[person.id].day_start(now) for person in people}
        counts = dict.fromkeys(days, 0)
        for recipient_id, sent_at in self.session.execute(
            select(Notification.recipient_id, Notification.sent_at).where(
                Notification.recipient_id.in_(list(days)),
                Notification.status == "sent",
                Notification.template != DIGEST,
                Notification.sent_at >= min(days.values()),
            )
        ):
            if as_utc(sent_at) >= days[recipient_id]:
                counts[recipient_id] += 1
        self._sent_today.update({person_id: (days[person_id], counts[person_id]) for person_id in days})

    def _count(self, item: Prepared, change: int) -> None:
        if item.notification.template != DIGEST and item.recipient_id in self._sent_today:
            day, count = self._sent_today[item.recipient_id]
            self._sent_today[item.recipient_id] = (day, count + change)

    def _over_budget(self, notification: Notification, preferences: Preferences, now: datetime) -> bool:
        """Whether the recipient has had their daily budget today (counted once a pass, then kept up to date)."""
        day = preferences.day_start(now)
        known = self._sent_today.get(notification.recipient_id)
        if known is None or known[0] != day:
            count = self.session.scalar(
                select(func.count(Notification.id)).where(
                    Notification.recipient_id == notification.recipient_id,
                    Notification.status == "sent",
                    Notification.template != DIGEST,
                    Notification.sent_at >= day,
                )
            )
            known = self._sent_today[notification.recipient_id] = (day, count or 0)
        return known[1] >= preferences.daily_budget

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
                    "channel": next(iter(default_channels()), INBOX),  # as any queued row: set when it is sent
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
        query = select(Notification).where(Notification.idempotency_key == key)
        if self._lock():
            query = query.with_for_update()
        self.session.flush()  # the merges so far, before the row is read afresh (another pass may merge too)
        digest = self.session.scalars(query.execution_options(populate_existing=True)).one()
        digest.context = {**digest.context, "merged": [*digest.context.get("merged", []), notification.id]}
        self._finish(notification, "digested", f"over the daily budget of {preferences.daily_budget}: in {key}")

    def _digest_items(self, digest: Notification, person: Person, preferences: Preferences) -> list[dict[str, str]]:
        items = []
        for merged in self.session.scalars(
            select(Notification).where(Notification.id.in_(digest.context.get("merged", []))).order_by(Notification.id)
        ):
            try:
                context = build_context(merged, person, preferences)
                subject = render_sources(self._sources_for(merged.template), context).subject
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

    def _close_incidents(self, notification_ids: list[int], now: datetime) -> None:
        self.session.execute(
            update(Incident)
            .where(Incident.notification_id.in_(notification_ids), Incident.status == "open")
            .values(status="retried", resolved_at=now, resolved_by="delivery")
        )

    def _open_incident(self, notification: Notification, error: str) -> None:
        """An incident in HR's Operations inbox (reopened if this notification had one)."""
        summary = f"Notification {notification.template!r} to {notification.recipient} could not be delivered"
        incident = self.session.scalars(select(Incident).where(Incident.notification_id == notification.id)).first()
        if incident is None:
            incident = Incident(notification_id=notification.id, instance_id=instance_of(notification))
            self.session.add(incident)
        incident.summary = summary[:300]
        incident.error, incident.status, incident.resolved_at, incident.resolved_by = error, "open", None, ""


def requeue(session: Session, notification_id: int, clock: Clock) -> None:
    """Queue a failed notification again, due now, with a fresh count of attempts (HR's "Retry")."""
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "failed")
        .values(status="queued", attempts=0, deliver_after=clock.now(), lease_until=None)
    )


def deliver(session: Session, ids: list[int], clock: Clock) -> Outcome:
    """Deliver the notifications ``ids`` in one pass (its channels' connections serve all of them)."""
    return Delivery(session, clock).run(ids)


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), max(1, size)):
        yield ids[start : start + size]
