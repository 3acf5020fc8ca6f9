"""The one-click rating links in check-in e-mails: made here, read by the answer page."""

from __future__ import annotations

from flask import Flask

from ..links import absolute_url, make_token, read_token

PURPOSE = "checkin-answer"


def answer_token(checkin_id: int, rating: int, app: Flask | None = None) -> str:
    """The signed token saying "check-in ``checkin_id`` went ``rating``"."""
    return make_token(PURPOSE, {"checkin": int(checkin_id), "rating": int(rating)}, app)


def answer_url(checkin_id: int, rating: int, app: Flask | None = None) -> str:
    """The absolute ``/tandem/answer/<token>`` URL that records ``rating`` for ``checkin_id`` in one click."""
    return absolute_url(f"/tandem/answer/{answer_token(checkin_id, rating, app)}", app)


def read_answer_token(token: str, app: Flask | None = None) -> tuple[int, int]:
    """(check-in id, rating) of a genuine, unexpired token; :class:`tandem.plugin.links.LinkError` otherwise."""
    from ..links import LinkError

    payload = read_token(PURPOSE, token, app).payload
    try:
        return int(payload["checkin"]), int(payload["rating"])
    except (KeyError, TypeError, ValueError):
        raise LinkError("tampered") from None


__all__ = ["PURPOSE", "answer_token", "answer_url", "read_answer_token"]
