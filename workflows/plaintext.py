"""Notification templates from plain text: HR writes a message, Tandem makes its text and HTML parts.

Plain text may hold ``{{ variable }}`` placeholders and nothing else of Jinja
(no ``{% … %}``, no filters). The text part is the message with the usual
footer; the HTML part is the message as escaped paragraphs in the shared
layout, with every web address — written out or a placeholder holding one
(``links.*``, ``*_url``) — made a link. Both still render only in the sandbox
(:mod:`.templating`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from markupsafe import escape

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}")
JINJA = re.compile(r"\{[{%#]|[}%#]\}")
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
TEXT_FOOTER = '\n{% include "_footer.txt.j2" %}'


class NotPlainText(ValueError):
    """Text that uses more of Jinja than ``{{ variable }}`` placeholders."""


def check_plain(message: str, known: set[str] | None = None) -> None:
    """Raise :class:`NotPlainText` if ``message`` is not plain text with placeholders (of ``known`` names)."""
    rest = PLACEHOLDER.sub("", message)
    if JINJA.search(rest):
        raise NotPlainText(
            "plain text may use {{ variable }} placeholders only; switch to text and HTML for conditions or loops"
        )
    if known is not None:
        unknown = sorted({name for name in PLACEHOLDER.findall(message) if name not in known})
        if unknown:
            raise NotPlainText(f"no variable called {', '.join(unknown)}; the list beside the form has every variable")


def is_plain(text: str) -> bool:
    """True when ``text`` (a template's text part, footer aside) can be edited as plain text."""
    try:
        check_plain(text.removesuffix(TEXT_FOOTER).removesuffix(TEXT_FOOTER.strip()))
    except NotPlainText:
        return False
    return True


def plain_message(text: str) -> str:
    """The message HR wrote, from a text part :func:`from_plain_text` made (the footer taken off)."""
    return text.removesuffix(TEXT_FOOTER).removesuffix(TEXT_FOOTER.strip()).rstrip("\n")


def _is_link(name: str) -> bool:
    return name.startswith("links.") or name.endswith("_url") or name == "url"


def _inline(line: str) -> str:
    """One line of the message as HTML: text escaped, addresses and link placeholders as links."""
    out, position = [], 0
    pattern = re.compile(f"{PLACEHOLDER.pattern}|{URL.pattern}")
    for match in pattern.finditer(line):
        out.append(str(escape(line[position : match.start()])))
        name = match.group(1)
        if name is None:
            address = str(escape(match.group(0)))
            out.append(f'<a href="{address}">{address}</a>')
        elif _is_link(name):
            out.append(f'<a href="{{{{ {name} }}}}">{{{{ {name} }}}}</a>')
        else:
            out.append(f"{{{{ {name} }}}}")
        position = match.end()
    out.append(str(escape(line[position:])))
    return "".join(out)


def from_plain_text(message: str) -> dict[str, str]:
    """The text and HTML parts for a plain-text ``message`` (checked with :func:`check_plain` first)."""
    check_plain(message)
    message = message.replace("\r\n", "\n").strip()
    paragraphs = [block for block in re.split(r"\n\s*\n", message) if block.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(_inline(line) for line in block.split("\n")) + "</p>" for block in paragraphs
    )
    html = '{% extends "_layout.html.j2" %}\n{% block body %}\n' + body + "\n{% endblock %}\n"
    return {"text": message + "\n" + TEXT_FOOTER, "html": html}


def variables(context: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Every variable of a sample ``context`` as (placeholder name, sample value), nested names dotted."""
    found: list[tuple[str, str]] = []
    for key, value in context.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            found += variables(value, f"{name}.")
        elif isinstance(value, list | tuple):
            first = value[0] if value else ""
            sample = ", ".join(f"{k}: {v}" for k, v in first.items()) if isinstance(first, Mapping) else str(first)
            found.append((name, f"a list; the first: {sample}" if value else "an empty list"))
        else:
            found.append((name, str(value)))
    return found
