"""Delivery channels, one module each, known to the engine only through this registry.

A channel module declares one :class:`Channel` — its name, its label on the
preferences form, the preference fields it needs and its sender — and
:func:`register`\\ s it. Delivery, the preferences (form and stored choices)
and the outbox model's validation all read :func:`registered`, so adding a
channel is one module plus its registration. The built-in ones are e-mail
(SMTP, with an iCalendar invite for check-ins), the in-app inbox (the
notification row itself) and webhooks (Slack/Teams).

Each sender reports failures as :class:`DeliveryError`; ``permanent`` tells a
refused address or a webhook's 4xx (an incident for HR) from a passing
problem (retried).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
    check-in's messages; ``delivery`` offers ``mailer`` (the batch's SMTP connection), ``sender``
    (the From address), ``clock`` and ``post`` (the webhook poster).
    """

    notification: Any
    person: Any
    preferences: Any
    rendered: Any
    context: dict[str, Any]
    checkin: Any
    meeting: Any
    delivery: Any


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

    ``send`` carries a message out (``None``: the notification row in the inbox *is* the
    message, as for ``in_app``, which also names a message no push channel carried);
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

    def __post_init__(self) -> None:
        if not self.name or len(self.name) > NAME_MAX or not self.name.replace("_", "").isalnum():
            raise ValueError(f"channel name {self.name!r}: letters, digits and _ only, at most {NAME_MAX}")

    def can_reach(self, outgoing: Outgoing) -> bool:
        """Whether this channel can carry ``outgoing`` (a sender, and whatever the person must have set)."""
        return self.send is not None and (self.reaches is None or self.reaches(outgoing))


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
