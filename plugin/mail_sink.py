"""The embedded SMTP sink: without ``TANDEM_SMTP_URL``, ``tandem serve`` keeps the e-mails it would send.

A real SMTP server (aiosmtpd) on loopback stores every message it receives in
a maildir, ``$TANDEM_DATA_DIR/mail`` by default (files, not the database: a
SQLite writer must never wait for the worker that is sending); the demo's
"Mail outbox" page shows them. Nothing leaves the machine.
"""

from __future__ import annotations

import mailbox
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from flask import Flask

from .settings import data_dir

CONFIG_KEY = "TANDEM_MAIL_SINK_DIR"


def sink_directory(app: Flask) -> Path:
    """Where the sink of ``app`` keeps its maildir."""
    return Path(app.config.get(CONFIG_KEY) or data_dir() / "mail")


class MaildirHandler:
    """aiosmtpd handler: store each message in a maildir."""

    def __init__(self, directory: Path) -> None:
        self.maildir = mailbox.Maildir(directory, create=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store one message; answer 250 (or 451, try again later, if the disk refuses)."""
        try:
            self.maildir.add(envelope.original_content or envelope.content)
        except OSError as error:
            return f"451 4.3.0 could not store the message: {error}"
        return "250 Message accepted for delivery"


def start_sink(app: Flask, host: str = "127.0.0.1", port: int = 0) -> Controller:
    """Start the sink (on a free port by default) and point ``TANDEM_SMTP_URL`` at it; returns the controller."""
    directory = sink_directory(app)
    app.config[CONFIG_KEY] = str(directory)
    # It offers SMTPUTF8 (RFC 6531), as modern servers do: an address like zoë@exämple.de arrives as written.
    controller = Controller(
        MaildirHandler(directory), hostname=host, port=port or _free_port(host), enable_SMTPUTF8=True
    )
    controller.start()
    app.config["TANDEM_SMTP_URL"] = f"smtp://{host}:{controller.port}"
    return controller


def _free_port(host: str) -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
