"""A real SMTP server for tests (aiosmtpd on loopback) that keeps what it receives, parsed."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from services import free_port

REFUSED = "refused"


class Collector:
    """Keeps every message; refuses (550) any recipient whose address starts with ``refused``."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
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
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 Message accepted"


@pytest.fixture
def mailbox() -> Iterator[tuple[str, Collector]]:
    """A running SMTP server: ``(smtp_url, collector)``."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", collector
    finally:
        controller.stop()
