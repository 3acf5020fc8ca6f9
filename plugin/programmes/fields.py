"""Reading the programme pages' form fields: each refusal names the field and says what was expected."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ..errors import Refused


def form_date(form: Mapping[str, str], name: str, label: str) -> date | None:
    """The date in field ``name`` (``None`` when left empty); anything else is refused naming ``label``."""
    text = (form.get(name) or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Refused(f"{label}: expected a date such as 2026-11-30, got {text[:40]!r}", name) from None
