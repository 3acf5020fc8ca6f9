"""Sign-in throttling on FAB's web login (``/login/``) and API login (``/api/v1/security/login``).

Failed attempts are counted twice, in moving windows: per account (the name
typed, whether or not such an account exists) and per client address (an IPv6
address by its /64 network). Once either count is used up, every attempt on
that account or from that address, the right password included, answers 429
with "Too many sign-in attempts; try again in N minutes" — before any account
is looked up, so an unknown name and a wrong password get the same answers in
the same order. A successful sign-in clears its account's count, not its
address's.

FAB's own ``AUTH_RATE_LIMITED`` limits every POST to the web form (successful
ones too) per address only, and not the API login; this counts failures, on
both, per account as well. The counters live in a ``limits`` storage
(``TANDEM_RATELIMIT_STORAGE_URL``): ``memory://`` counts per process, so
gunicorn with several workers needs a shared one (``redis://``, ``memcached://``).
A check and its count are two steps: attempts sent at the same moment may
overshoot a limit by the number of requests in flight. If the storage cannot
be reached, sign-in works unthrottled and the error is logged.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import time
import unicodedata
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, jsonify, request
from flask_login import current_user
from limits import RateLimitItem, parse
from limits.errors import ConfigurationError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from .layout import render_page
from .settings import DEFAULTS, settings

log = logging.getLogger(__name__)

API_LOGIN = "SecurityApi.login"


@dataclass(frozen=True)
class LoginThrottle:
    """Two failure counters over one ``limits`` storage."""

    limiter: MovingWindowRateLimiter
    per_account: RateLimitItem
    per_address: RateLimitItem

    def _keys(self, account: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [
            (self.per_account, "tandem-login-account", account),
            (self.per_address, "tandem-login-address", address),
        ]

    def wait_seconds(self, account: str, address: str) -> float:
        """Seconds until this account may try again from this address; 0 when it may now."""
        now = time.time()
        wait = 0.0
        for item, scope, key in self._keys(account, address):
            if not self.limiter.test(item, scope, key):
                wait = max(wait, self.limiter.get_window_stats(item, scope, key).reset_time - now, 1.0)
        return wait

    def failed(self, account: str, address: str) -> None:
        """Count one failed attempt against the account and the address."""
        for item, scope, key in self._keys(account, address):
            self.limiter.hit(item, scope, key)

    def succeeded(self, account: str) -> None:
        """Forget the account's failures (the address keeps its count)."""
        self.limiter.clear(self.per_account, "tandem-login-account", account)


def account_key(username: object) -> str:
    """The account a sign-in names, as counted: case-folded, trimmed and Unicode-normalised text."""
    text = username if isinstance(username, str) else ""
    return unicodedata.normalize("NFKC", text).strip().casefold()[:256]


def address_key(address: str | None) -> str:
    """The client address as counted: IPv4 as is, IPv6 by its /64 network (one host holds many)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def too_many_attempts_message(wait_seconds: float) -> str:
    """The sentence a throttled person reads."""
    minutes = max(1, math.ceil(wait_seconds / 60))
    return f"Too many sign-in attempts; try again in {minutes} minute{'s' if minutes != 1 else ''}."


def _login_kind() -> str | None:
    """``"web"`` or ``"api"`` for a POST to a login endpoint, else None."""
    if request.method != "POST" or not request.endpoint:
        return None
    if request.endpoint == API_LOGIN:
        return "api"
    auth_view = getattr(current_app.appbuilder.sm, "auth_view", None)
    if auth_view is not None and request.endpoint == f"{auth_view.endpoint}.login":
        return "web"
    return None


def _attempt() -> tuple[str, str]:
    """The (account, address) keys of the current login request."""
    if _login_kind() == "api":
        payload = request.get_json(silent=True)
        username = payload.get("username") if isinstance(payload, dict) else None
    else:
        username = request.form.get("username")
    return account_key(username), address_key(request.remote_addr)


def _throttle() -> LoginThrottle:
    return current_app.extensions["tandem_login_throttle"]


def _refuse(kind: str, wait: float) -> Response:
    message = too_many_attempts_message(wait)
    if kind == "api":
        response = jsonify(message=message)
    else:
        response = render_page("tandem/too_many_attempts.html", 429, message=message)
    response.status_code = 429
    response.headers["Retry-After"] = str(math.ceil(wait))
    return response


def refuse_throttled_login() -> Response | None:
    """Before a login POST: answer 429 while its account or address is throttled."""
    kind = _login_kind()
    if kind is None:
        return None
    try:
        wait = _throttle().wait_seconds(*_attempt())
    except Exception:  # the storage is unreachable: sign-in stays possible, and we say so in the log
        log.exception("login throttle storage failed; this attempt is not throttled")
        return None
    if wait <= 0:
        return None
    g.tandem_login_refused = True
    return _refuse(kind, wait)


def count_login_result(response: Response) -> Response:
    """After a login POST: count a failure, or clear the account's count on success."""
    kind = _login_kind()
    if kind is None or g.get("tandem_login_refused"):
        return response
    succeeded = response.status_code == 200 if kind == "api" else current_user.is_authenticated
    account, address = _attempt()
    try:
        if succeeded:
            _throttle().succeeded(account)
        else:
            _throttle().failed(account, address)
    except Exception:
        log.exception("login throttle storage failed; this attempt is not counted")
    return response


# FAB only logs an exception raised while an add-on loads, and drops the whole add-on; so a mistyped
# setting falls back to the shipped default with an error in the log instead.


def _limit(value: str, setting: str) -> RateLimitItem:
    try:
        return parse(value)
    except ValueError:
        log.error("%s=%r is not a limit such as '10 per 15 minutes'; using %r", setting, value, DEFAULTS[setting])
        return parse(DEFAULTS[setting])


def _storage(url: str) -> Storage:
    try:
        return storage_from_string(url)
    except ConfigurationError:
        log.error("TANDEM_RATELIMIT_STORAGE_URL=%r cannot be used; counting sign-in failures in memory", url)
        return MemoryStorage()


def install_login_throttle(app: Flask) -> None:
    """Throttle the web and API logins of ``app`` with the limits in its settings."""
    if "tandem_login_throttle" in app.extensions:
        return
    config = settings(app)
    app.extensions["tandem_login_throttle"] = LoginThrottle(
        limiter=MovingWindowRateLimiter(_storage(config.ratelimit_storage_url)),
        per_account=_limit(config.login_limit_per_account, "TANDEM_LOGIN_LIMIT_PER_ACCOUNT"),
        per_address=_limit(config.login_limit_per_address, "TANDEM_LOGIN_LIMIT_PER_ADDRESS"),
    )
    app.before_request(refuse_throttled_login)
    app.after_request(count_login_result)
