"""Tandem's Jinja2 templates, shipped as package data.

``pages/`` holds the add-on's page templates (served through the ``tandem``
blueprint as ``tandem/…``); ``notifications/`` the messages sent to people.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape


def root() -> Path:
    """The folder the templates live in (inside the installed package)."""
    return Path(str(files(__name__)))


def notification_environment() -> Environment:
    """A Jinja2 environment over the shipped notification templates (autoescaped HTML)."""
    return Environment(
        loader=FileSystemLoader(root() / "notifications"),
        autoescape=select_autoescape(["html", "html.j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
