"""``branch``: jump by an answer (``answer.rating``) or the context (``context.remote``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..stepwords import Labels, step_name
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["by", "cases"],
    "x-expected": "a mapping with by, cases and optionally otherwise",
    "properties": {
        "by": {
            "type": "string",
            "pattern": "^(answer|context)\\.[a-z_][a-z0-9_]*$",
            "x-expected": 'what to look at, such as "answer.rating" or "context.remote"',
        },
        "cases": {
            "type": "array",
            "minItems": 1,
            "x-expected": "a list of cases such as [{below: 3, goto: follow-up}]",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["goto"],
                "minProperties": 2,
                "maxProperties": 2,
                "x-expected": "a case with one test (equals, below, at_least) and goto",
                "properties": {
                    "equals": {"type": ["string", "number", "boolean"], "x-expected": "a value"},
                    "below": {"type": "number", "x-expected": "a number"},
                    "at_least": {"type": "number", "x-expected": "a number"},
                    "goto": {"$ref": "#/$defs/step_id"},
                },
            },
        },
        "otherwise": {"$ref": "#/$defs/step_id"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> int:
    """The first case that matches, else ``otherwise``, else the next step."""
    source, _, name = options["by"].partition(".")
    value = (run.state.answers if source == "answer" else run.state.context).get(name)
    for case in options["cases"]:
        if matches(case, value):
            return run.definition.index_of(case["goto"])
    return run.definition.index_of(options["otherwise"]) if "otherwise" in options else run.next_index()


def matches(case: dict[str, Any], value: Any) -> bool:
    """Whether ``value`` passes the case's test (``equals``, ``below`` or ``at_least``)."""
    if "equals" in case:
        return value == case["equals"]
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if "below" in case:
        return value < case["below"]
    return value >= case["at_least"]


def targets(options: dict[str, Any]) -> list[str]:
    """Every case's target, then ``otherwise``."""
    return [case["goto"] for case in options.get("cases", [])] + (
        [options["otherwise"]] if "otherwise" in options else []
    )


_TESTS = {"equals": "is {}", "below": "is below {}", "at_least": "is at least {}"}


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Looks at the last answer's rating: if it is below 3, goes to step 5 (help); otherwise …``"""
    source, _, key = str(options["by"]).partition(".")
    subject = f"the last answer's {key.replace('_', ' ')}" if source == "answer" else key.replace("_", " ")
    cases = []
    for case in options["cases"]:
        test = next(name for name in case if name != "goto")
        cases.append(f"if it {_TESTS[test].format(case[test])}, goes to {step_name(case['goto'], definition)}")
    text = f"Looks at {subject}: " + "; ".join(cases)
    if "otherwise" in options:
        text += f"; otherwise goes to {step_name(options['otherwise'], definition)}"
    return text + "."


KIND = register(StepKind("branch", SCHEMA, enter, targets=targets, sentence=sentence))
