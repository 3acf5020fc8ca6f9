"""A real browser for the tests: Debian's chromium driven by Playwright, against the app served on loopback.

``live_server`` serves a test's app from a thread on a free port; ``page`` is a
fresh chromium page whose requests to anything but that loopback server are
aborted (an intranet often has no internet, and a page must not need it). The
requests it aborted are kept on ``page.blocked`` so a test can assert there were
none. ``screenshot`` saves a PNG under ``test-artifacts/`` for people to look at.

Playwright's own browser download is never used (it fails without internet):
the browser is ``/usr/bin/chromium``, which ``.ci/install-services.sh`` installs.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BUSY_MACHINE_TIMEOUT_MS = 120_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LOCAL = re.compile(r"^(https?://(127\.0\.0\.1|localhost)(:\d+)?/|data:|blob:|about:)")


class LiveServer:
    """A Flask app served by werkzeug from a daemon thread on 127.0.0.1."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.thread.join(10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The test's ``app`` served on a free loopback port."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Debian chromium for the whole session."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run `bash .ci/install-services.sh`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page (own cookies) that may reach only the loopback servers."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    # A busy 2-core CI machine runs matching on the demo organisation in ~30 s: Playwright's
    # default 30 s wait made that test fail there while nothing was wrong. Waits are not timings.
    context.set_default_timeout(BUSY_MACHINE_TIMEOUT_MS)
    blocked: list[str] = []

    def guard(route: Any) -> None:
        if LOCAL.match(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.blocked = blocked
    yield page
    context.close()


def sign_in(page: Any, server: LiveServer, username: str, password: str) -> None:
    """Log in through FAB's login form, as a person would."""
    page.goto(f"{server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state("networkidle")


def screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG as a test artifact; returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


SERIOUS = {"serious", "critical"}


def axe_source() -> str:
    """axe-core as shipped inside axe-playwright-python (nothing is fetched)."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def serious_violations(page: Any, source: str | None = None) -> list[str]:
    """axe-core's serious and critical violations on the page (evaluated by the driver, so the CSP allows it)."""
    page.evaluate(source or axe_source())
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}x: {' | '.join(str(n['target']) for n in v['nodes'][:6])})"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]


def sideways(page: Any) -> tuple[int, int]:
    """The page's scroll width and client width: equal when nothing scrolls sideways."""
    return page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
