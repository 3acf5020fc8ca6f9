"""The workflow definitions Tandem ships; ``tandem init`` loads them as version 1 (or newer when changed)."""

from __future__ import annotations

from importlib.resources import files

from ..definition import Definition, load_definition


def builtin_definitions() -> list[Definition]:
    """Every shipped definition, validated."""
    folder = files(__name__)
    return [
        load_definition(path.read_text(encoding="utf-8"))
        for path in sorted(folder.iterdir(), key=lambda p: p.name)
        if path.name.endswith(".yaml")
    ]
