"""Security headers on every response: a CSP without inline script, no framing, no sniffing, a same-origin referrer.

The crawl follows every link of the main pages as HR, a manager and staff, and
checks each response, static files, CSV exports and error pages included.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask
from organisation import PASSWORD, build, jwt_headers, login

from tandem.plugin.security_headers import install_security_headers
from tandem.plugin.settings import apply_defaults

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
SKIP = re.compile(r"^/(logout|lang|back|tandem/answer)")  # links that change who or where one is
NONCE = re.compile(r"script-src 'self'(?: 'nonce-([A-Za-z0-9_-]+)')?;")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def assert_protected(url: str, response) -> None:
    """The response carries every security header, and its HTML runs no script the policy would refuse."""
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'"]:
        assert directive in policy, f"{url}: CSP lacks {directive}: {policy!r}"
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], f"{url}: inline script allowed"
    assert headers.get("X-Frame-Options") == "DENY", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "same-origin", url
    if "text/html" not in response.content_type:
        return
    html = response.get_data(as_text=True)
    nonce = NONCE.search(policy).group(1)
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or f'nonce="{nonce}"' in tag, f"{url}: an inline script without this response's nonce"
    assert not INLINE_HANDLER.search(html), f"{url}: an inline event handler: {INLINE_HANDLER.search(html).group(0)}"
    assert "javascript:" not in html, url


def crawl(client, start: str = "/", limit: int = 120) -> dict[str, int]:
    """Every same-site page and asset reachable from ``start`` without a query string; status by URL."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        with client.get(url) as response:
            assert_protected(url, response)
            seen[url] = response.status_code
            html = response.get_data(as_text=True) if "text/html" in response.content_type else ""
        for link in re.findall(r'(?:href|src)="(/[^"#?]*)"', html):
            if not SKIP.match(link) and link not in seen:
                queue.append(link)
    return seen


# FAB's own edit pages still call SQLAlchemy's legacy Query.get().
@pytest.mark.filterwarnings("ignore:The Query.get:sqlalchemy.exc.LegacyAPIWarning")
def test_every_page_hr_a_manager_and_staff_reach_carries_the_security_headers(shared_organisation):
    reached = {}
    for role in ["hr", "manager", "staff"]:
        client = shared_organisation.test_client()
        login(client, role)
        reached[role] = crawl(client)
        assert len(reached[role]) > 30, f"the crawl as {role} reached only {sorted(reached[role])}"
    hr_pages = {"/mentoring/workflow-editor/", "/mentoring/people/add", "/mentoring/reports/programmes"}
    assert hr_pages <= set(reached["hr"])
    assert {"/tandem/mentoring/", "/tandem/inbox/", "/tandem/check-ins/"} <= set(reached["staff"])
    assert "/mentoring/reports/manager" in reached["manager"]
    assert any(url.endswith(".js") for url in reached["staff"]), "scripts are files the policy allows"


def test_the_login_page_api_answers_exports_and_error_pages_carry_them_too(shared_organisation):
    client = shared_organisation.test_client()
    for url in ["/login/", "/no-such-page", "/static/appbuilder/js/ab.js", "/tandem-static/tandem-charts.js"]:
        with client.get(url) as response:
            assert_protected(url, response)
    assert_protected("/api/v1/person/", client.get("/api/v1/person/", headers=jwt_headers(client, "hr")))
    assert_protected("/api/v1/security/login", client.post("/api/v1/security/login", json={"username": "x"}))
    login(client, "hr")
    response = client.get("/mentoring/reports/programmes.csv")
    assert response.status_code == 200
    assert_protected("/mentoring/reports/programmes.csv", response)


def test_without_https_the_session_cookie_is_not_marked_secure_and_there_is_no_hsts(shared_organisation):
    client = shared_organisation.test_client()
    login(client, "staff")
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert client.get_cookie("session").secure is False


def test_behind_https_the_session_cookie_is_secure_and_browsers_are_told_to_stay_on_https(configured_app):
    app = configured_app(TANDEM_HTTPS=True, TANDEM_PROXY_COUNT=1)
    build(app)
    client = app.test_client()
    tls_proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    page = client.get("/login/", headers=tls_proxy, base_url="http://intranet.example")
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    signed_in = client.post(
        "/login/",
        data={"username": "staff", "password": PASSWORD, "csrf_token": token},
        headers={**tls_proxy, "Referer": "https://intranet.example/login/"},  # same-origin: still sent
        base_url="http://intranet.example",
    )
    assert signed_in.status_code == 302 and "/login" not in signed_in.headers["Location"]
    cookie = signed_in.headers["Set-Cookie"]
    assert cookie.startswith("session=") and "Secure" in cookie and "HttpOnly" in cookie


def test_a_host_app_that_sets_its_own_headers_can_turn_tandems_off():
    host = Flask("host")
    apply_defaults(host.config)
    host.config["TANDEM_SECURITY_HEADERS"] = False
    install_security_headers(host)
    host.add_url_rule("/", "index", lambda: "hello")
    assert "Content-Security-Policy" not in host.test_client().get("/").headers


def test_a_view_keeps_a_policy_it_set_itself():
    host = Flask("host")
    apply_defaults(host.config)
    install_security_headers(host)
    host.add_url_rule("/", "index", lambda: ("hello", 200, {"Content-Security-Policy": "sandbox"}))
    response = host.test_client().get("/")
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", sorted(p for p in TEMPLATES.glob("*/**/*.html") if "notifications" not in p.parts))
def test_tandems_page_templates_hold_no_inline_script(path):
    text = path.read_text()
    name = path.relative_to(TEMPLATES)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), f"{name}: move the script to plugin/static"
    assert not INLINE_HANDLER.search(text), f"{name}: an inline event handler; use data-confirm or a static script"
    assert "javascript:" not in text, name
