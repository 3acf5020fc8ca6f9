"""Plain, kind error pages: 400, 403, 404 and 405 in the intranet's layout, saying what to do next.

Werkzeug's default pages ("Bad Request — The CSRF token is missing") name
internals and offer no way back. These say in words what happened and link
home. Under ``/api/`` an error stays JSON (``{"message": …}``) for programs.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .layout import render_page

log = logging.getLogger(__name__)

HEADINGS = {
    400: "That request could not be used",
    403: "This page is not yours to see",
    404: "There is no such page",
    405: "That is not how this page works",
}
EXPLANATIONS = {
    400: "Something in what was sent was missing or not understood. Go back, check the form and try again.",
    403: "Your login does not give access to this page. If you think it should, ask your HR team.",
    404: "The address may be mistyped, or what it showed has been removed.",
    405: "This address cannot be used this way. Use the page's own buttons and links instead.",
}
CSRF_EXPLANATION = (
    "The form had expired (or was opened in another session). Go back, reload the page and send it again;"
    " nothing was saved."
)


def error_page(error: HTTPException) -> Any:
    """Render ``error`` as a page in the intranet layout, or as JSON under ``/api/``."""
    code = error.code or 500
    if request.path.startswith("/api/"):
        return jsonify({"message": error.description}), code
    explanation = CSRF_EXPLANATION if isinstance(error, CSRFError) else EXPLANATIONS.get(code, "")
    try:
        return render_page(
            "tandem/error.html",
            code,
            heading=HEADINGS.get(code, "Something went wrong"),
            explanation=explanation,
            code=code,
        )
    except Exception:  # the layout itself failed (no app builder yet): a plain page still says it kindly
        log.exception("the error page could not be rendered in the layout")
        heading = HEADINGS.get(code, "Something went wrong")
        body = f"<!DOCTYPE html><title>{heading}</title><h1>{heading}</h1><p>{explanation}</p>"
    return current_app.response_class(body, status=code)


def install(app: Flask) -> None:
    """Register the pages for 400, 403, 404 and 405 (a CSRF failure is a 400 with its own sentence)."""
    for code in HEADINGS:
        app.register_error_handler(code, error_page)
