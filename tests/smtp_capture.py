"""A real SMTP server for tests (aiosmtpd on loopback) that keeps what it receives, parsed."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from servers import free_port

REFUSED = "refused"


class Collector:
    """Keeps every message; refuses (550) any recipient whose address starts with ``refused``.

    ``envelopes`` keeps each message's envelope: ``(mail_from, rcpt_tos, mail_options)``.
    """

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str], list[str]]] = []
        self.raw: list[bytes] = []
        self.connections = 0

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address.startswith(REFUSED):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.raw.append(envelope.original_content)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), list(envelope.mail_options)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted"


def serve(smtputf8: bool) -> tuple[Controller, Collector]:
    """Start an SMTP server on loopback (offering SMTPUTF8 or not); returns it and its collector."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=smtputf8)
    controller.start()
    return controller, collector


@pytest.fixture
def mailbox() -> Iterator[tuple[str, Collector]]:
    """A running SMTP server without SMTPUTF8 (as many still are): ``(smtp_url, collector)``."""
    controller, collector = serve(smtputf8=False)
    try:
        yield f"smtp://127.0.0.1:{controller.port}", collector
    finally:
        controller.stop()


@pytest.fixture
def utf8_mailbox() -> Iterator[tuple[str, Collector]]:
    """A running SMTP server that offers SMTPUTF8 (RFC 6531): ``(smtp_url, collector)``."""
    controller, collector = serve(smtputf8=True)
    try:
        yield f"smtp://127.0.0.1:{controller.port}", collector
    finally:
        controller.stop()
