"""The embedded SMTP sink: without ``TANDEM_SMTP_URL``, ``tandem serve`` keeps the e-mails it would send.

A real SMTP server (aiosmtpd) on loopback stores every message it receives in
``tandem_sink_mail``; the demo's "Mail outbox" page shows them. Nothing leaves
the machine.
"""

from __future__ import annotations

import email
import email.policy
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from .models import SinkMail


class StoringHandler:
    """aiosmtpd handler: store each message in the database of ``app``."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store one message; answer 250."""
        raw = envelope.original_content or envelope.content
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        parsed = email.message_from_string(text, policy=email.policy.default)
        with self.app.app_context():
            db = self.app.appbuilder.session
            try:
                db.add(
                    SinkMail(
                        mail_from=envelope.mail_from or "",
                        recipients=list(envelope.rcpt_tos),
                        subject=str(parsed.get("Subject", ""))[:500],
                        raw=text,
                    )
                )
                db.commit()
            finally:
                db.remove()
        return "250 Message accepted for delivery"


def start_sink(app: Flask, host: str = "127.0.0.1", port: int = 0) -> Controller:
    """Start the sink (a free port by default) and point ``TANDEM_SMTP_URL`` at it; returns the controller."""
    controller = Controller(StoringHandler(app), hostname=host, port=port or _free_port(host))
    controller.start()
    app.config["TANDEM_SMTP_URL"] = f"smtp://{host}:{controller.port}"
    return controller


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
