"""YAML is read with bounded work: alias bombs, deep nesting and huge files are refused in one short line."""

from __future__ import annotations

import time

import pytest

from tandem.workflows.definition import DefinitionError, load_definition
from tandem.workflows.safeyaml import MAX_DEPTH, YamlRefused, load_yaml


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: each level names the previous one nine times (9**levels values)."""
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    previous = "a"
    for name in "bcdefghijklm"[: levels - 1]:
        text += f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]\n"
        previous = name
    return text


def test_an_alias_bomb_is_refused_in_milliseconds_with_a_one_line_message():
    started = time.monotonic()
    with pytest.raises(YamlRefused) as refused:
        load_yaml(billion_laughs())
    assert time.monotonic() - started < 0.5
    assert "aliases" in str(refused.value)
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 200


def test_a_few_aliases_are_still_fine():
    assert load_yaml("base: &who [newcomer, buddy]\nagain: *who\nonce_more: *who\n") == {
        "base": ["newcomer", "buddy"],
        "again": ["newcomer", "buddy"],
        "once_more": ["newcomer", "buddy"],
    }


def test_an_alias_inside_the_value_it_names_is_refused():
    with pytest.raises(YamlRefused, match="inside the value it names"):
        load_yaml("loop: &me [*me]\n")


@pytest.mark.parametrize(
    "text",
    ["[" * 5000, "{" * 5000, "- " * 5000 + "x", "".join(" " * depth + "k:\n" for depth in range(200))],
    ids=["flow lists", "flow mappings", "block lists", "block mappings"],
)
def test_nesting_deeper_than_the_limit_is_refused_quickly_not_a_recursion_error(text):
    started = time.monotonic()
    with pytest.raises(YamlRefused, match=f"nested deeper than {MAX_DEPTH} levels"):
        load_yaml(text)
    assert time.monotonic() - started < 0.5


def test_a_file_over_the_size_limit_is_refused_before_parsing():
    with pytest.raises(YamlRefused, match="more than the limit of 1,024"):
        load_yaml("x: " + "y" * 2000, max_bytes=1024)


def test_a_syntax_error_names_its_line_and_quotes_at_most_a_short_excerpt():
    with pytest.raises(YamlRefused) as refused:
        load_yaml("ok: 1\nbroken: *" + "n" * 5000 + "\n")
    assert str(refused.value).startswith("line 2")
    assert len(str(refused.value)) < 200


def test_a_definition_made_of_an_alias_bomb_is_one_short_problem():
    with pytest.raises(DefinitionError) as refused:
        load_definition("workflow: lol\nsteps:\n  - notify: {to: [subject], template: x}\n" + billion_laughs())
    assert len(refused.value.problems) == 1
    assert len(str(refused.value)) < 200


def test_schema_errors_quote_a_short_excerpt_of_a_large_value():
    with pytest.raises(DefinitionError) as refused:
        load_definition("workflow: big\nsteps: [" + ", ".join(["1"] * 20000) + "]\n")
    assert all(len(str(problem)) < 300 for problem in refused.value.problems)
