"""Rendering notification templates, always in Jinja2's sandbox.

Every notification has three parts: ``<name>.subject.j2``, ``<name>.txt.j2``
and ``<name>.html.j2`` under ``templates/notifications/``. HR may override a
template in the admin (stored as versions in ``tandem_notification_template``);
the latest version wins over the file. Files and overrides alike render in a
:class:`SandboxedEnvironment` whose unsafe attribute access raises
:class:`SecurityError` (it never renders as an empty string), HTML with
autoescaping. :func:`check_source` refuses, before saving, any template that
reaches for Python internals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import FileSystemLoader, Template, TemplateSyntaxError, nodes
from jinja2.sandbox import SecurityError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tandem.plugin.models import NotificationTemplate
from tandem.templates import root

from .definition import Definition, Problem
from .sandbox import BoundedSandbox, Budget, RenderLimit, render_bounded
from .suggestions import did_you_mean

PARTS = ("subject", "text", "html")
SUFFIX = {"subject": "subject.j2", "text": "txt.j2", "html": "html.j2"}


class TemplateRefused(ValueError):
    """A template that may not be saved or rendered; ``problems`` maps a part to its reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{part}: {reason}" for part, reason in problems.items()))
        self.problems = problems


class TandemSandbox(BoundedSandbox):
    """The sandbox, stricter: touching an unsafe attribute fails the render instead of printing nothing,
    and a render is bounded in time and size (:mod:`tandem.workflows.sandbox`)."""

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Raise at once: a template that reaches for internals never renders."""
        raise SecurityError(f"access to attribute {attribute!r} of a {type(obj).__name__} is not allowed")


def _environment(autoescape: bool) -> TandemSandbox:
    return TandemSandbox(
        loader=FileSystemLoader(root() / "notifications"),
        autoescape=autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # shipped files do not change while the app runs: no stat() of the layout per render
    )


_TEXT = _environment(autoescape=False)
_HTML = _environment(autoescape=True)


def environment(part: str) -> TandemSandbox:
    """The sandboxed environment for one part (``html`` autoescapes)."""
    return _HTML if part == "html" else _TEXT


@dataclass(frozen=True)
class Rendered:
    """A rendered notification."""

    subject: str
    text: str
    html: str


def file_source(name: str, part: str) -> str | None:
    """The shipped file's source for ``name``'s ``part``, or None when there is no such file."""
    path = root() / "notifications" / f"{name}.{SUFFIX[part]}"
    return path.read_text(encoding="utf-8") if path.is_file() else None


def shipped_names() -> list[str]:
    """Every notification template name that ships as files."""
    base = root() / "notifications"
    names = {str(path.relative_to(base))[: -len(".subject.j2")] for path in base.rglob("*.subject.j2")}
    return sorted(name for name in names if not name.startswith("_"))


def latest_override(session: Session, name: str) -> NotificationTemplate | None:
    """HR's latest saved version of ``name``, if any."""
    return session.scalars(
        select(NotificationTemplate)
        .where(NotificationTemplate.name == name)
        .order_by(NotificationTemplate.version.desc())
    ).first()


def _unsafe_names(tree: nodes.Template) -> list[str]:
    """Attribute names and string constants in ``tree`` that reach for Python internals."""
    found = [node.attr for node in tree.find_all(nodes.Getattr) if node.attr.startswith("_")]
    found += [node.name for node in tree.find_all(nodes.Name) if node.name.startswith("_")]
    found += [node.value for node in tree.find_all(nodes.Const) if isinstance(node.value, str) and "__" in node.value]
    return found


def check_source(sources: dict[str, str]) -> None:
    """Refuse templates that do not parse or that touch underscore names (``__class__``, ``_private``).

    Raises :class:`TemplateRefused` naming each bad part.
    """
    problems = {}
    for part, source in sources.items():
        env = environment(part)
        try:
            tree = env.parse(source)
        except TemplateSyntaxError as error:
            problems[part] = f"line {error.lineno}: {error.message}"
            continue
        unsafe = _unsafe_names(tree)
        if unsafe:
            problems[part] = (
                f"refused: {', '.join(sorted(set(unsafe)))} reaches for Python internals;"
                " templates may only use the variables they are given"
            )
    if problems:
        raise TemplateRefused(problems)


@lru_cache(maxsize=512)
def _compiled(part: str, source: str) -> Template:
    """A compiled template, cached by its source (the same text always compiles the same way)."""
    return environment(part).from_string(source)


def render_sources(sources: dict[str, str], context: dict[str, Any]) -> Rendered:
    """Render the three parts given as sources in the sandbox, together within one time and size budget.

    Raises :class:`SecurityError` on unsafe access, :class:`RenderLimit` (a SecurityError) past the budget.
    """
    within = Budget()
    out = {part: render_bounded(_compiled(part, sources[part]), context, within) for part in PARTS}
    return Rendered(" ".join(out["subject"].split()), out["text"].strip() + "\n", out["html"])


def sources_for(session: Session | None, name: str) -> dict[str, str]:
    """The sources that render ``name``: HR's latest override, else the shipped files.

    Raises :class:`LookupError` when neither exists.
    """
    override = latest_override(session, name) if session is not None else None
    if override is not None:
        return {"subject": override.subject, "text": override.text, "html": override.html}
    sources = {part: file_source(name, part) for part in PARTS}
    if sources["subject"] is None or sources["text"] is None:
        raise LookupError(f"no notification template named {name!r}")
    if sources["html"] is None:
        sources["html"] = '{% extends "_layout.html.j2" %}{% block body %}<pre>{{ text }}</pre>{% endblock %}'
    return sources  # type: ignore[return-value]


def render(session: Session | None, name: str, context: dict[str, Any]) -> Rendered:
    """Render notification ``name`` with ``context`` (override or file, always sandboxed)."""
    return render_sources(sources_for(session, name), context)


def next_version(session: Session, name: str) -> int:
    """The version number the next save of ``name`` gets."""
    return (
        session.scalar(select(func.max(NotificationTemplate.version)).where(NotificationTemplate.name == name)) or 0
    ) + 1


def checked_render(sources: dict[str, str], context: dict[str, Any]) -> Rendered:
    """Check ``sources`` (:func:`check_source`) and render them with the sample ``context`` in the sandbox.

    The one test a template passes before it is previewed or saved; raises
    :class:`TemplateRefused` saying why, for a preview and a save alike.
    """
    check_source(sources)
    try:
        return render_sources(sources, context)
    except RenderLimit as error:
        raise TemplateRefused({"template": f"refused: with the sample data it {error}"}) from None
    except SecurityError as error:
        raise TemplateRefused({"template": f"refused: {error}"}) from None
    except Exception as error:
        raise TemplateRefused({"template": f"does not render with the sample data: {error}"}) from None


def save_override(
    session: Session, name: str, sources: dict[str, str], context: dict[str, Any], author: str
) -> NotificationTemplate:
    """Check, test-render with ``context`` and store ``sources`` as ``name``'s next version (not committed).

    Raises :class:`TemplateRefused` for a template that must not be saved.
    """
    checked_render(sources, context)
    row = NotificationTemplate(name=name, version=next_version(session, name), created_by=author, **sources)
    session.add(row)
    session.flush()
    return row


def known_names(session: Session | None) -> set[str]:
    """Every template a definition may name: the shipped ones and those HR saved."""
    saved = set(session.scalars(select(NotificationTemplate.name).distinct())) if session is not None else set()
    return set(shipped_names()) | saved


def unknown_templates(session: Session | None, definition: Definition) -> list[Problem]:
    """A problem, at its path, for each step naming a template that neither ships nor was saved by HR."""
    known = known_names(session)
    return [
        Problem(
            f"steps[{index}].{step.kind}.template",
            f'no template "{step.options["template"]}"{did_you_mean(step.options["template"], known)}',
        )
        for index, step in enumerate(definition.steps)
        if step.options.get("template") and step.options["template"] not in known
    ]
