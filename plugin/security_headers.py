"""Security headers on every response, and Secure cookies when the intranet is served over HTTPS.

The Content-Security-Policy allows scripts only from the intranet itself
(``script-src 'self'``): no inline script and no inline event handler runs.
Tandem's own pages keep their scripts in ``plugin/static``. FAB's templates
carry a few small inline scripts (list actions, search filters), each already
marked ``nonce="{{ baselib.get_nonce() }}"``; FAB asks for the nonce through a
``csp_nonce()`` template function, which this module provides: a fresh random
nonce per response, added to the policy only when a page used it.

Styles may be inline (``style-src 'self' 'unsafe-inline'``): FAB's and
Tandem's templates use ``style`` attributes, and a style cannot run code.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

from .settings import settings

NONCE_BYTES = 18
HSTS_MAX_AGE = 365 * 24 * 3600


def csp_nonce() -> str:
    """The current response's script nonce, made on first use (FAB's templates call this)."""
    nonce = g.get("tandem_csp_nonce")
    if nonce is None:
        nonce = g.tandem_csp_nonce = secrets.token_urlsafe(NONCE_BYTES)
    return nonce


def content_security_policy(nonce: str | None) -> str:
    """The policy for one response: everything from the intranet itself, scripts only as files or with ``nonce``."""
    scripts = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def add_security_headers(response: Response) -> Response:
    """Set the security headers a response has not set itself."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(g.get("tandem_csp_nonce")))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if settings().https:
        headers.setdefault("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")
    return response


def install_security_headers(app: Flask) -> None:
    """Send the headers on every response of ``app`` (unless ``TANDEM_SECURITY_HEADERS`` is false).

    With ``TANDEM_HTTPS`` the session and remember-me cookies are marked ``Secure``.
    """
    if app.extensions.get("tandem_security_headers"):
        return
    app.extensions["tandem_security_headers"] = True
    config = settings(app)
    if config.https:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    if not config.security_headers:
        return
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.after_request(add_security_headers)
