"""``campaign_item``: send a piece of awareness content (to acknowledge, or to discuss at the next check-in)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..stepwords import Labels, people
from . import StepKind, register

if TYPE_CHECKING:
    from ..definition import Definition
    from ..machine import Run

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["item", "to"],
    "x-expected": "a mapping with item, to and optionally acknowledge and discuss",
    "properties": {
        "item": {"$ref": "#/$defs/slug"},
        "to": {"$ref": "#/$defs/roles"},
        "acknowledge": {"type": "boolean", "x-expected": "true or false"},
        "discuss": {"type": "boolean", "x-expected": "true or false (add the item's prompt to the next check-in)"},
    },
}


def enter(run: Run, options: dict[str, Any]) -> int:
    """The item to each role; a ``discuss`` item becomes a prompt of the next check-in."""
    run.notify(
        options["to"], "campaign/item", "item", item=options["item"], acknowledge=options.get("acknowledge", True)
    )
    if options.get("discuss"):
        run.state.discuss.append(options["item"])
    return run.next_index()


def sentence(options: dict[str, Any], definition: Definition, labels: Labels) -> str:
    """``Sends the campaign item “influencer myths” to newcomer, and asks them to acknowledge it.``"""
    text = f"Sends the campaign item “{str(options['item']).replace('-', ' ')}” to {people(options['to'], labels)}"
    extras = []
    if options.get("acknowledge"):
        extras.append("asks them to acknowledge it")
    if options.get("discuss"):
        extras.append("adds it as a discussion prompt to their next check-in")
    return text + (", and " + " and ".join(extras) if extras else "") + "."


KIND = register(
    StepKind(
        "campaign_item",
        SCHEMA,
        enter,
        describe=lambda options: f"campaign_item {' and '.join(options['to'])}",
        sentence=sentence,
    )
)
