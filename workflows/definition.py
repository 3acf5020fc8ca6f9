"""Workflow definitions: YAML validated against the shipped schema, errors with their path.

A definition is data. :func:`load_definition` turns text into a
:class:`Definition` or raises :class:`DefinitionError` listing every problem as
``path: expected …`` (``steps[2].check_in.every: expected a duration such as "2 weeks"``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import time
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .durations import Duration, DurationError, parse_duration
from .safeyaml import YamlRefused, excerpt, load_yaml
from .steps import kind_names, step_kind, step_kinds
from .suggestions import did_you_mean

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
BUILTIN_ROLES = ("hr", "manager")


@dataclass(frozen=True)
class Problem:
    """One error in a definition, at a path such as ``steps[2].check_in.every``."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DefinitionError(ValueError):
    """A definition that cannot be used; ``problems`` lists every error found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Step:
    """One step: its kind, its options as written, and its optional id."""

    kind: str
    options: dict[str, Any]
    id: str | None = None

    def duration(self, key: str) -> Duration | None:
        """An option parsed as a duration (``None`` when absent)."""
        value = self.options.get(key)
        return parse_duration(value) if value is not None else None

    def describe(self) -> str:
        """A short human description, e.g. ``check-in between newcomer and buddy`` (its kind's words)."""
        return step_kind(self.kind).words(self.options)

    def weekday_clock(self, key: str) -> tuple[int, time]:
        """An option such as ``"monday 09:00"`` as (weekday, local time), Monday being 0."""
        day, clock = self.options[key].split()
        return WEEKDAYS.index(day), _clock(clock)


@dataclass(frozen=True)
class Definition:
    """A validated workflow definition."""

    name: str
    steps: tuple[Step, ...]
    title: str = ""
    trigger: str | None = None
    subject: str = "subject"
    programme: str | None = None
    working_hours: tuple[time, time] = (time(9, 0), time(17, 0))
    source: str = field(default="", compare=False)

    def index_of(self, step_id: str) -> int:
        """The position of the step with ``step_id``."""
        return next(i for i, step in enumerate(self.steps) if step.id == step_id)

    def roles(self) -> set[str]:
        """Every role the definition can fill: its subject, matched roles and the built-ins."""
        matched = {role for step in self.steps for role in step_kind(step.kind).fills_of(step.options)}
        return {self.subject, *matched, *BUILTIN_ROLES}


@cache
def _shipped_schema() -> dict[str, Any]:
    return json.loads((files("tandem.workflows") / "schema" / "definition.schema.json").read_text())


def schema() -> dict[str, Any]:
    """The JSON Schema shipped with the package, with each registered step kind's part under ``$defs/<kind>``."""
    shipped = _shipped_schema()
    return {**shipped, "$defs": {**shipped["$defs"], **{kind.name: kind.schema for kind in step_kinds()}}}


def _path(parts: Sequence[str | int]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(error: ValidationError, prefix: Sequence[str | int]) -> Problem:
    parts = [*prefix, *error.absolute_path]
    if error.validator == "required":
        missing = error.message.split("'")[1]
        return Problem(_path([*parts, missing]), "is required")
    if error.validator == "additionalProperties":
        unexpected = ", ".join(re.findall(r"'([^']+)'", error.message.split("(")[-1]))
        return Problem(_path(parts), f"unexpected key {unexpected}")
    expected = error.schema.get("x-expected") if isinstance(error.schema, dict) else None
    # jsonschema's own message quotes the whole value: keep only a short excerpt of it.
    return Problem(_path(parts), f"expected {expected}" if expected else excerpt(error.message, 200))


def _schema_problems(document: Any, subschema: dict[str, Any], prefix: Sequence[str | int]) -> Iterator[Problem]:
    validator = Draft202012Validator({**subschema, "$defs": schema()["$defs"]})
    for error in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        yield _problem(error, prefix)


def _step_problems(raw: dict[str, Any], index: int) -> Iterator[Problem]:
    prefix: list[str | int] = ["steps", index]
    kinds = [key for key in raw if key != "id"]
    if len(kinds) != 1 or kinds[0] not in kind_names():
        yield Problem(_path(prefix), f"expected exactly one step kind of: {', '.join(kind_names())}")
        return
    kind = kinds[0]
    if "id" in raw:
        yield from _schema_problems(raw["id"], {"$ref": "#/$defs/step_id"}, [*prefix, "id"])
    body = raw[kind] if raw[kind] is not None else {}
    yield from _schema_problems(body, {"$ref": f"#/$defs/{kind}"}, [*prefix, kind])


def _meaning_problems(definition: Definition) -> Iterator[Problem]:
    """Checks the schema cannot express: unique ids, goto targets, roles that get filled."""
    ids = [step.id for step in definition.steps if step.id]
    for index, step in enumerate(definition.steps):
        if step.id and ids.count(step.id) > 1:
            yield Problem(f"steps[{index}].id", f"expected a unique step id; {step.id!r} is used twice")
    known = set(ids)
    roles = definition.roles()
    for index, step in enumerate(definition.steps):
        at = f"steps[{index}].{step.kind}"
        for target in step_kind(step.kind).targets_of(step.options):
            if target not in known:
                yield Problem(
                    at, f"expected a goto target among the step ids; {target!r} is not one{did_you_mean(target, known)}"
                )
        for key in ("to", "between"):
            for role in step.options.get(key, []):
                if role not in roles:
                    yield _unknown_role(f"{at}.{key}", role, roles)
        if step.options.get("escalate_to") not in (None, *roles):
            yield _unknown_role(f"{at}.escalate_to", step.options["escalate_to"], roles)


def _duration_problems(definition: Definition) -> Iterator[Problem]:
    """Durations the schema's pattern accepts but no clock can hold (``99999999999999999999999 days``)."""
    for index, step in enumerate(definition.steps):
        for key in _duration_keys().get(step.kind, ()):
            if key in step.options:
                try:
                    parse_duration(step.options[key])
                except DurationError as error:
                    yield Problem(f"steps[{index}].{step.kind}.{key}", str(error))


def _duration_keys() -> dict[str, tuple[str, ...]]:
    """Per step kind, the options its schema declares as durations."""
    return {
        kind.name: tuple(
            key for key, option in kind.schema.get("properties", {}).items() if option.get("$ref") == "#/$defs/duration"
        )
        for kind in step_kinds()
    }


def _unknown_role(path: str, role: str, roles: set[str]) -> Problem:
    known = ", ".join(sorted(roles))
    return Problem(
        path, f"expected a role the workflow fills ({known}); {role!r} is not one{did_you_mean(role, roles)}"
    )


def _options(kind: str, body: Any) -> dict[str, Any]:
    """A step's options as a mapping, as its kind reads them (``goto: target`` becomes ``{"step": target}``)."""
    return step_kind(kind).options_of(body)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def load_definition(text: str) -> Definition:
    """Parse and validate a YAML definition; raise :class:`DefinitionError` with every problem."""
    try:
        document = load_yaml(text)
    except YamlRefused as error:
        raise DefinitionError([Problem(error.where or "YAML", error.message)]) from None
    top = {key: value for key, value in schema().items() if key != "$defs"}
    problems = list(_schema_problems(document, top, []))
    if problems:
        raise DefinitionError(problems)
    for index, raw in enumerate(document["steps"]):
        problems += _step_problems(raw, index)
    if problems:
        raise DefinitionError(problems)
    hours = document.get("working_hours")
    definition = Definition(
        name=document["workflow"],
        title=document.get("title", document["workflow"]),
        trigger=document.get("trigger"),
        subject=document.get("subject", "subject"),
        programme=document.get("programme"),
        working_hours=(_clock(hours["start"]), _clock(hours["end"])) if hours else (time(9, 0), time(17, 0)),
        steps=tuple(
            Step(kind=kind, options=_options(kind, raw[kind]), id=raw.get("id"))
            for raw in document["steps"]
            for kind in raw
            if kind != "id"
        ),
        source=text,
    )
    problems = list(_duration_problems(definition))
    problems += _meaning_problems(definition)
    if definition.working_hours[0] >= definition.working_hours[1]:
        problems.append(Problem("working_hours", "expected start before end"))
    if problems:
        raise DefinitionError(problems)
    return definition
