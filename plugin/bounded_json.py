"""Request bodies nested too deeply for Python's JSON parser are bad input (400), not a RecursionError (500)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider whose ``loads`` turns a too-deep document into a ``ValueError``."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse ``s``; a document nested past the recursion limit raises ValueError (Flask answers 400)."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON document is nested too deeply") from None


def install(app: Flask) -> None:
    """Use the bounded provider unless the app brought a JSON provider of its own."""
    if type(app.json) is DefaultJSONProvider:
        app.json = BoundedJSONProvider(app)
