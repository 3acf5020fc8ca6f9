"""Delivery channels: e-mail over SMTP, webhooks (Slack/Teams), and the in-app inbox (the notification row).

Each channel reports failures as :class:`DeliveryError`; ``permanent`` tells a
refused address or a webhook's 4xx (an incident for HR) from a passing
problem (retried).
"""

from __future__ import annotations


class DeliveryError(Exception):
    """A message that could not be delivered; ``permanent`` means retrying will not help."""

    def __init__(self, message: str, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent
