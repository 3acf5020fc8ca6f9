"""Links in messages: every one built from ``TANDEM_BASE_URL``; signed, expiring links act without a login form.

:data:`PAGES` names the intranet pages a message may link to, so templates
say ``{{ links.checkins }}`` and never spell a path (a renamed page cannot
leave a 404 in people's mailboxes). A signed link carries a small payload signed with the app's secret key by
``itsdangerous`` (salted per purpose, so a token made for one purpose is
refused by every other). :func:`read_token` tells a tampered token from an
expired one, so the page can say which.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import Flask, current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .settings import settings

PURPOSES = ("checkin-answer", "preferences", "signup-invite")

# The pages a notification may link to, by the name templates use (``links.<name>``).
PAGES = {
    "home": "/",
    "checkins": "/tandem/check-ins/",
    "mentoring": "/tandem/mentoring/",
    "campaign": "/tandem/campaign/",
    "inbox": "/tandem/inbox/",
    "timeline": "/tandem/timeline/",
    "feedback": "/tandem/feedback/",
    "reports": "/mentoring/reports/",
    "matching": "/mentoring/matching/",
    "pairings": "/mentoring/pairings/list/",
    "operations": "/mentoring/operations/list/",
}


class LinkError(Exception):
    """A link that cannot be used; ``reason`` is ``tampered`` or ``expired``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Link:
    """What a valid link says: its purpose and payload."""

    purpose: str
    payload: dict[str, Any]


def _serializer(purpose: str, app: Flask | None) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return _serializer_for((app or current_app).config["SECRET_KEY"], purpose)


@lru_cache(maxsize=32)
def _serializer_for(secret: str | bytes, purpose: str) -> URLSafeTimedSerializer:
    """One serializer per secret and purpose (made once: delivery signs a link in every e-mail)."""
    return URLSafeTimedSerializer(secret, salt=f"tandem-{purpose}")


def make_token(purpose: str, payload: dict[str, Any], app: Flask | None = None) -> str:
    """A URL-safe token for ``payload`` (JSON-ready), valid for ``purpose`` only."""
    return _serializer(purpose, app).dumps(payload)


def read_token(purpose: str, token: str, app: Flask | None = None) -> Link:
    """The payload of ``token`` if it is genuine and younger than ``TANDEM_LINK_MAX_AGE_DAYS``.

    Raises :class:`LinkError` with reason ``expired`` or ``tampered``.
    """
    max_age = settings(app).link_max_age_days * 86400
    try:
        payload = _serializer(purpose, app).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise LinkError("expired") from error
    except BadSignature as error:
        raise LinkError("tampered") from error
    if not isinstance(payload, dict):
        raise LinkError("tampered")
    return Link(purpose, payload)


def absolute_url(path: str, app: Flask | None = None) -> str:
    """``path`` on the intranet's public address (``TANDEM_BASE_URL``), for links in e-mails."""
    return settings(app).base_url.rstrip("/") + "/" + path.lstrip("/")


def page_links(app: Flask | None = None) -> dict[str, str]:
    """Every page of :data:`PAGES` as an absolute URL on ``TANDEM_BASE_URL`` (``links`` in templates)."""
    base = settings(app).base_url.rstrip("/")
    return {name: base + path for name, path in PAGES.items()}
