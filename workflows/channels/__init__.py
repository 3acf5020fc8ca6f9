"""Delivery channels, one module each, known to the engine only through this registry.

A channel module declares one :class:`Channel` — its name, its label on the
preferences form, the preference fields it needs and its sender — and
:func:`register`\\ s it. A sender is either ``send`` (one message at a time)
or ``batch``: a factory of a :class:`Batch` that serves one delivery pass,
turns each message into what it sends while the database is at hand
(``prepare``) and then sends a chunk of prepared messages at once, in the
background if it likes (``send`` returns a :class:`Pending`), as e-mail does over
several SMTP connections. Delivery treats both alike (:meth:`Channel.open_batch`).

Delivery, the preferences (form and stored choices)
and the outbox model's validation all read :func:`registered`, so adding a
channel is one module plus its registration. The built-in ones are e-mail
(SMTP, with an iCalendar invite for check-ins), the in-app inbox (the
notification row itself) and webhooks (Slack/Teams).

Each sender reports failures as :class:`DeliveryError`; ``permanent`` tells a
refused address or a webhook's 4xx (an incident for HR) from a passing
problem (retried).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol

#: The outbox's ``channel`` column holds at most this many characters.
NAME_MAX = 10


class DeliveryError(Exception):
    """A message that could not be delivered; ``permanent`` means retrying will not help."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Outgoing:
    """What a sender gets: one rendered notification for one person, and the delivery pass carrying it.

    ``rendered`` has ``subject``, ``text`` and ``html``; ``checkin`` and ``meeting`` are set for a
    check-in's messages; ``delivery`` is the delivery pass: it offers ``sender`` (the From
    address), ``clock`` and ``config`` (the settings).
    """

    notification: Any
    person: Any
    preferences: Any
    rendered: Any
    context: dict[str, Any]
    checkin: Any
    meeting: Any
    delivery: Any


#: What sending one prepared message came to: ``None`` when it went out, else why not.
Result = DeliveryError | None


class Pending(Protocol):
    """A chunk on its way out (a :class:`~concurrent.futures.Future` will do)."""

    def result(self) -> list[Result]:
        """Wait until the chunk went out; one :data:`Result` per message, in order."""


class Batch(Protocol):
    """A channel's sender for one delivery pass: made when the pass first needs it, closed at its end.

    ``prepare`` runs in the delivery's thread with the database at hand and returns what ``send``
    needs (it may raise :class:`DeliveryError`); ``send`` takes a chunk of prepared messages and
    returns a :class:`Pending` of one :data:`Result` per message, in order. What it does in the
    background must not touch the database: delivery prepares the next chunk meanwhile.
    """

    def prepare(self, out: Outgoing) -> Any:
        """What :meth:`send` needs to carry ``out`` (built now, while the rows are at hand)."""

    def send(self, prepared: Sequence[Any]) -> Pending:
        """Send ``prepared`` (or start to); its results, one per message, in order."""

    def close(self) -> None:
        """Release what the pass held (connections, threads)."""


class OneByOne:
    """The :class:`Batch` of a channel that sends one message at a time: ``send`` calls it for each, here and now."""

    def __init__(self, send: Callable[[Outgoing], None]) -> None:
        self._send = send

    def prepare(self, out: Outgoing) -> Outgoing:
        """The message itself: a one-by-one sender needs nothing prepared."""
        return out

    def send(self, prepared: Sequence[Outgoing]) -> Future[list[Result]]:
        """Send each message in turn; a refusal is that message's result, not the others'."""
        results: list[Result] = []
        for out in prepared:
            try:
                self._send(out)
            except DeliveryError as error:  # its words only: a traceback would keep the sender's sockets alive
                results.append(DeliveryError(str(error), error.permanent))
            else:
                results.append(None)
        done: Future[list[Result]] = Future()
        done.set_result(results)
        return done

    def close(self) -> None:
        """Nothing to release."""


@dataclass(frozen=True)
class PreferenceField:
    """A setting a channel needs from the person (stored on their preference row under ``name``).

    ``check`` returns what is wrong with a given value in words (``None`` when it is fine).
    """

    name: str
    label: str
    check: Callable[[str], str | None] | None = None


@dataclass(frozen=True)
class Channel:
    """One way of reaching a person.

    ``send`` carries a message out (``None`` with no ``batch`` either: the notification row in
    the inbox *is* the message, as for ``in_app``, which also names a message no push channel
    carried); ``batch``, instead, makes a :class:`Batch` for a delivery pass (given the pass);
    ``reaches`` says whether this person can be reached this way at all (an e-mail address,
    a webhook URL); ``fields`` are the preference settings it needs, each required while
    the channel is chosen; ``default`` channels are on for people who never chose;
    ``sent_by`` says how a message went out, in words (``by e-mail``; default ``by <name>``).
    """

    name: str
    label: str
    send: Callable[[Outgoing], None] | None = None
    reaches: Callable[[Outgoing], bool] | None = None
    fields: tuple[PreferenceField, ...] = ()
    default: bool = False
    sent_by: str = ""
    batch: Callable[[Any], Batch] | None = None

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > NAME_MAX or not self.name.replace("_", "").isalnum():
            raise ValueError(f"channel name {self.name!r}: letters, digits and _ only, at most {NAME_MAX}")

    def can_reach(self, outgoing: Outgoing) -> bool:
        """Whether this channel can carry ``outgoing`` (a sender, and whatever the person must have set)."""
        pushes = self.send is not None or self.batch is not None
        return pushes and (self.reaches is None or self.reaches(outgoing))

    def open_batch(self, delivery: Any) -> Batch:
        """This channel's sender for the delivery pass ``delivery`` (one by one when it offers no ``batch``)."""
        if self.batch is not None:
            return self.batch(delivery)
        if self.send is None:
            raise ValueError(f"channel {self.name!r} sends nothing: the inbox row is its message")
        return OneByOne(self.send)


_REGISTRY: dict[str, Channel] = {}

#: The channel a notification counts as sent on when no push channel carried it (the inbox).
INBOX = "in_app"


def register(channel: Channel) -> Channel:
    """Make ``channel`` known to delivery, preferences and the outbox (replacing one of the same name)."""
    _REGISTRY[channel.name] = channel
    return channel


def unregister(name: str) -> None:
    """Forget the channel ``name`` (a test's throwaway channel); the built-in ones stay."""
    _REGISTRY.pop(name, None)


def registered() -> tuple[Channel, ...]:
    """Every channel, in registration order (the form's order and the order delivery tries them)."""
    return tuple(_REGISTRY.values())


def channel_names() -> tuple[str, ...]:
    """The names of every registered channel."""
    return tuple(_REGISTRY)


def sent_by(name: str) -> str:
    """How a message on channel ``name`` went out, in words (``by e-mail``, ``in their inbox``)."""
    channel = _REGISTRY.get(name)
    if channel is None:
        return name
    return channel.sent_by or f"by {channel.name}"


def default_channels() -> list[str]:
    """The channels of a person who never chose."""
    return [channel.name for channel in _REGISTRY.values() if channel.default]


# The built-in channels register themselves (after DeliveryError and the registry exist: they import both).
from . import email, inapp, webhook  # noqa: E402, F401
