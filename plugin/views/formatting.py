"""The shared formatting of every Tandem page: the viewer's time zone, FAB column formatters, Jinja filters.

:func:`install_filters` makes the filters available to every template
(``{{ moment | when }}``, ``{{ value | humane }}``, ``{{ rate | percent }}``,
``{{ event.type | event_words }}``, ``{{ name | template_label }}``,
``{{ pairing | match_fit }}``); model
views get :func:`humane` as the formatter of every column they show unless
they set their own (see :class:`tandem.plugin.views.base.TandemModelView`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, current_app, g, has_request_context
from markupsafe import Markup

from tandem.workflows.preferences import preferences_for

from .. import formatting
from ..matchmaking.explain import Explanation, explain_match
from ..matchmaking.sentences import language_name
from ..scoping import current_user, person_for_user
from ..selfservice.timeline import timer_text


def viewer_timezone() -> str:
    """The signed-in person's time zone (their preferences, else the directory), else UTC; cached per request."""
    if not has_request_context():
        return "UTC"
    if "tandem_viewer_zone" not in g:
        person = None
        user = current_user()
        if user is not None and getattr(user, "is_authenticated", False):
            person = person_for_user(user)
        g.tandem_viewer_zone = (
            preferences_for(current_app.appbuilder.session, person).timezone if person is not None else "UTC"
        )
    return g.tandem_viewer_zone


def when(moment: datetime | None) -> str:
    """A stored UTC time in the viewer's zone, to the minute; the blank dash for None."""
    return formatting.local_time(moment, viewer_timezone()) or formatting.BLANK


def humane(value: Any) -> Markup | str:
    """Any column value in words, times in the viewer's zone (the default formatter of every model view column)."""
    return formatting.humane(value, viewer_timezone())


def step(index: int | None) -> str:
    """A workflow step position as people count it (``Step 3``), the same for HR and staff."""
    return formatting.step_label(index).capitalize() or formatting.BLANK


def source(text: str | None) -> Markup:
    """A definition's source text with its indentation kept."""
    return Markup('<pre class="tandem-source" tabindex="0">{}</pre>').format(text or "")


def fit(explanation: Explanation | None) -> str:
    """A match score on the one scale: ``64 of 100``."""
    return str(explanation) if explanation is not None else formatting.BLANK


def reasons(explanation: Explanation | None) -> Markup | str:
    """The reasons of a match score, one per line with their points, best first."""
    if explanation is None or not explanation.reasons:
        return formatting.BLANK
    items = Markup("").join(Markup("<li>{}</li>").format(str(reason)) for reason in explanation.reasons)
    return Markup('<ul class="list-unstyled tandem-why">{}</ul>').format(items)


def effect_words(effect: dict[str, Any]) -> str:
    """One effect a workflow step produced, in words, times in the viewer's zone (never its key or ids)."""
    kind = effect.get("effect", "")
    at = _stored_time(effect.get("due_at") or effect.get("not_before"))
    if kind == "ScheduleTimer":
        return f"planned for {when(at)}: {timer_text(effect.get('key', ''))}"
    if kind == "SendNotification":
        return (
            f"message “{formatting.template_label(effect.get('template'))}” to the "
            f"{formatting.words(effect.get('role', ''))}, not before {when(at)}"
        )
    if kind == "RequestMatch":
        return f"look for a {formatting.words(effect.get('role', ''))}"
    if kind == "OpenCheckIn":
        people = len(effect.get("respondent_ids") or [])
        return f"open check-in {effect.get('sequence')} for {people} people, due {when(at)}"
    if kind == "MarkCheckInMissed":
        return f"mark check-in {effect.get('sequence')} as missed"
    if kind == "ClosePairings":
        return f"close the pairings ({formatting.words(effect.get('reason', ''))})"
    return formatting.words(kind)


def effects(items: list[dict[str, Any]] | None) -> Markup | str:
    """A history row's effects, one per line."""
    if not items:
        return "nothing"
    lines = Markup("").join(Markup("<li>{}</li>").format(effect_words(item)) for item in items)
    return Markup('<ul class="list-unstyled tandem-effects">{}</ul>').format(lines)


def _stored_time(value: Any) -> datetime | None:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime) else None


FILTERS = {
    "when": when,
    "humane": humane,
    "percent": formatting.percent,
    "event_words": formatting.event_words,
    "template_label": formatting.template_label,
    "step_label": formatting.step_label,
    "day": formatting.day,
    "match_fit": explain_match,
    "language_name": language_name,
}


def install_filters(app: Flask) -> None:
    """Register the filters with the app's Jinja environment (idempotent)."""
    app.jinja_env.filters.update(FILTERS)
