"""The in-app inbox: the notification row itself is the message, read on the intranet; nothing is pushed."""

from __future__ import annotations

from . import INBOX, Channel, register

CHANNEL = register(Channel(name=INBOX, label="In-app inbox on the intranet", default=True, sent_by="in their inbox"))
