"""Sign-in throttling on the web login and the API login: per account, per address, without telling who exists.

The tests share one organisation (a SQLite file, whatever the test database: the
counts live outside it) and start each with clean counts. Tests of the
mechanism rather than of the shipped numbers lower the allowances, as every
failed attempt costs a real password hash.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from limits import parse
from limits.storage import MemoryStorage
from organisation import PASSWORD, build

from tandem.plugin.login_throttle import address_key, install_login_throttle, too_many_attempts_message
from tandem.plugin.settings import apply_defaults

REFUSED = "Too many sign-in attempts; try again in 15 minutes."


@pytest.fixture
def app(shared_organisation) -> Iterator:
    """The module's organisation with no failed attempts counted, and the shipped allowances."""
    throttle = shared_organisation.extensions["tandem_login_throttle"]
    throttle.limiter.storage.reset()
    yield shared_organisation
    shared_organisation.extensions["tandem_login_throttle"] = throttle


def allow(app, per_account: int = 10, per_address: int = 30) -> None:
    """Lower the allowances of failed attempts per 15 minutes, for this test only."""
    throttle = app.extensions["tandem_login_throttle"]
    app.extensions["tandem_login_throttle"] = dataclasses.replace(
        throttle,
        per_account=parse(f"{per_account} per 15 minutes"),
        per_address=parse(f"{per_address} per 15 minutes"),
    )


def client_at(app, address: str):
    """A test client whose requests come from ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def web_login(client, username: str, password: str, headers: dict[str, str] | None = None):
    """One attempt through the real login form, CSRF token included."""
    page = client.get("/login/", headers=headers).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(
        "/login/", data={"username": username, "password": password, "csrf_token": token}, headers=headers
    )


def api_login(client, username: str, password: str, headers: dict[str, str] | None = None):
    """One attempt at the REST login."""
    payload = {"username": username, "password": password, "provider": "db"}
    return client.post("/api/v1/security/login", json=payload, headers=headers)


def without_nonce(response) -> str:
    """The body with its per-response script nonce blanked out."""
    return re.sub(r'nonce="[^"]*"', 'nonce=""', response.get_data(as_text=True))


def signed_in(client) -> bool:
    """Whether the client's session is a signed-in person's (the self-service page needs a login)."""
    return client.get("/tandem/mentoring/").status_code == 200


def test_forty_wrong_passwords_on_the_web_login_then_the_right_one_is_refused_with_429(app):
    attacker = client_at(app, "10.0.0.1")
    answers = [web_login(attacker, "staff", f"guess {n}").status_code for n in range(40)]
    assert answers == [302] * 10 + [429] * 30, "ten failures are allowed, then every attempt is refused"
    right = web_login(attacker, "staff", PASSWORD)
    assert right.status_code == 429
    assert REFUSED in right.get_data(as_text=True)
    assert 0 < int(right.headers["Retry-After"]) <= 900
    assert not signed_in(attacker), "the right password does not sign in while the account is throttled"

    colleague = client_at(app, "10.0.0.2")
    assert web_login(colleague, "hr", PASSWORD).status_code == 302
    assert colleague.get("/mentoring/people/list/").status_code == 200, "another account elsewhere is unaffected"


def test_forty_wrong_passwords_on_the_api_login_then_the_right_one_is_refused_with_429(app):
    attacker = client_at(app, "10.0.0.1")
    answers = [api_login(attacker, "staff", f"guess {n}").status_code for n in range(40)]
    assert answers == [401] * 10 + [429] * 30
    right = api_login(attacker, "staff", PASSWORD)
    assert right.status_code == 429
    assert right.json == {"message": REFUSED}
    assert "access_token" not in right.get_data(as_text=True)
    assert api_login(client_at(app, "10.0.0.2"), "hr", PASSWORD).status_code == 200


def test_an_unknown_name_gets_the_same_answers_in_the_same_order_as_a_wrong_password(app):
    allow(app, per_account=3)

    def story(address: str, username: str) -> list[tuple[int, str, str]]:
        client = client_at(app, address)
        web = [web_login(client, username, "wrong") for _ in range(5)]
        api = [api_login(client, username, "wrong") for _ in range(2)]
        return [(r.status_code, r.headers.get("Location", ""), without_nonce(r)) for r in web + api]

    known, unknown = story("10.0.1.1", "staff"), story("10.0.1.2", "nobody-by-this-name")
    assert [status for status, _, _ in known] == [302, 302, 302, 429, 429, 429, 429]
    assert known == unknown


def test_the_web_and_api_logins_share_one_count_and_capitals_or_spaces_do_not_make_a_new_account(app):
    allow(app, per_account=4)
    attacker = client_at(app, "10.0.0.1")
    assert [web_login(attacker, name, "wrong").status_code for name in ["staff", "STAFF "]] == [302, 302]
    assert [api_login(attacker, name, "wrong").status_code for name in [" Staff", "sTaFf"]] == [401, 401]
    assert api_login(client_at(app, "10.0.0.9"), "staff", PASSWORD).status_code == 429


def test_a_successful_sign_in_clears_the_account_count(app):
    allow(app, per_account=3)
    person = client_at(app, "10.0.0.1")
    assert [api_login(person, "staff", "typo").status_code for _ in range(2)] == [401, 401]
    assert api_login(person, "staff", PASSWORD).status_code == 200
    assert [api_login(person, "staff", "typo again").status_code for _ in range(2)] == [401, 401]
    assert api_login(person, "staff", PASSWORD).status_code == 200


def test_one_address_trying_many_accounts_is_stopped_and_other_addresses_are_not(app):
    allow(app, per_address=5)
    sprayer = client_at(app, "10.0.0.1")
    answers = [api_login(sprayer, f"user{n}", "Summer2026!").status_code for n in range(6)]
    assert answers == [401] * 5 + [429]
    assert web_login(sprayer, "hr", PASSWORD).status_code == 429, "a fresh account from that address waits too"
    assert web_login(client_at(app, "10.0.0.2"), "hr", PASSWORD).status_code == 302


def test_behind_a_proxy_each_client_is_counted_by_its_forwarded_address(configured_app):
    app = configured_app(TANDEM_PROXY_COUNT=1, TANDEM_LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    build(app)
    proxy = client_at(app, "192.0.2.10")
    first, second = {"X-Forwarded-For": "198.51.100.7"}, {"X-Forwarded-For": "198.51.100.8"}
    assert [api_login(proxy, f"user{n}", "x", first).status_code for n in range(3)] == [401] * 3
    assert api_login(proxy, "hr", PASSWORD, first).status_code == 429
    assert api_login(proxy, "hr", PASSWORD, second).status_code == 200, "another person behind the proxy signs in"


def test_without_a_proxy_setting_a_forged_forwarded_address_changes_nothing(app):
    allow(app, per_address=3)
    attacker = client_at(app, "10.0.0.1")
    for n in range(3):
        api_login(attacker, f"user{n}", "x", {"X-Forwarded-For": f"203.0.113.{n}"})
    assert api_login(attacker, "hr", PASSWORD, {"X-Forwarded-For": "203.0.113.99"}).status_code == 429


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("10.1.2.3", "10.1.2.3"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
        ("", "unknown"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64_network_as_one_host_holds_many_addresses(address, counted_as):
    assert address_key(address) == counted_as


def test_the_message_says_how_many_minutes_to_wait_in_plain_words():
    assert too_many_attempts_message(899.2) == REFUSED
    assert too_many_attempts_message(30) == "Too many sign-in attempts; try again in 1 minute."


def test_a_mistyped_setting_falls_back_to_the_shipped_default_and_says_so_in_the_log(caplog):
    host = Flask("host")
    apply_defaults(host.config)
    host.config.update(TANDEM_LOGIN_LIMIT_PER_ACCOUNT="lots", TANDEM_RATELIMIT_STORAGE_URL="nope://x")
    install_login_throttle(host)
    throttle = host.extensions["tandem_login_throttle"]
    assert throttle.per_account == parse("10 per 15 minutes")
    assert isinstance(throttle.limiter.storage, MemoryStorage)
    assert "TANDEM_LOGIN_LIMIT_PER_ACCOUNT='lots'" in caplog.text
    assert "TANDEM_RATELIMIT_STORAGE_URL='nope://x'" in caplog.text
