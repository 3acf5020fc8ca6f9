"""Webhooks: POST ``{"text": ...}``, which Slack's and Microsoft Teams' incoming webhooks both accept."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from . import Channel, DeliveryError, Outgoing, PreferenceField, register


def payload(subject: str, text: str) -> dict[str, str]:
    """The JSON body: the subject in bold, then the text (Slack and Teams render ``*bold*``/markdown)."""
    return {"text": f"*{subject}*\n\n{text}"}


def post(url: str, subject: str, text: str, timeout: float = 10.0) -> None:
    """POST the message to ``url``; a 4xx answer is a permanent :class:`DeliveryError`, 5xx or no answer passing."""
    if not url.startswith(("https://", "http://")):
        raise DeliveryError(f"webhook URL must start with https:// or http://: {url!r}", permanent=True)
    body = json.dumps(payload(subject, text)).encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        error.close()  # the answer's connection, at once rather than whenever the error is collected
        raise DeliveryError(
            f"webhook answered {error.code} {error.reason}", permanent=400 <= error.code < 500
        ) from None
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(f"webhook unreachable: {error}", permanent=False) from None


def check_url(url: str) -> str | None:
    """What is wrong with a webhook URL, in words (``None``: an http(s) URL)."""
    return None if url.startswith(("https://", "http://")) else "must start with https://"


def send(out: Outgoing) -> None:
    """POST ``out`` to the person's webhook."""
    post(out.preferences.setting("webhook_url"), out.rendered.subject, out.rendered.text)


CHANNEL = register(
    Channel(
        name="webhook",
        label="Webhook (Slack or Teams)",
        send=send,
        reaches=lambda out: bool(out.preferences.setting("webhook_url")),
        fields=(PreferenceField("webhook_url", "Webhook URL", check_url),),
    )
)
