"""Templates HR writes render within a time and size budget; what would exceed it is refused early."""

from __future__ import annotations

import time

import pytest

from tandem.workflows.sandbox import MAX_OUTPUT, RENDER_SECONDS, RenderLimit
from tandem.workflows.templating import TemplateRefused, render_sources, save_override

ATTACKS = {
    "lipsum asked for a flood": "{{ lipsum(100000, false, 1000, 2000)|length }}",
    "a range too long": "{% for i in range(100000) %}{% endfor %}",
    "nested loops": "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
    "exponential macro": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
    "a huge power": "{{ 9 ** 999999 }}",
    "string times a billion": "{{ 'x' * 1000000000 }}",
    "centered in a billion": "{{ 'x'|center(1000000000) }}",
    "a wide format filter": "{{ '%1000000000s'|format(1) }}",
    "a wide format operator": "{{ '%1000000000s' % 1 }}",
    "doubling with ~": (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"
    ),
    "doubling with +": (
        "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"
    ),
    "growing with replace": (
        "{% set ns = namespace(s='xx') %}{% for i in range(40) %}"
        "{% set ns.s = ns.s|replace('x', 'xxxxxxxxxx') %}{% endfor %}"
    ),
    "too much output": "{% for i in range(10000) %}{{ 'y' * 1000 }}{% endfor %}",
}


def sources(text: str) -> dict[str, str]:
    return {"subject": "Hello", "text": text, "html": "<p>Hello</p>"}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_a_template_that_would_run_long_or_grow_large_stops_within_the_budget(attack):
    started = time.monotonic()
    try:
        rendered = render_sources(sources(attack), {})
    except RenderLimit:
        pass
    else:
        assert len(rendered.text) < 10_000, "a capped helper may answer, but only with a small value"
    assert time.monotonic() - started < RENDER_SECONDS + 0.5


def test_the_limits_say_what_was_exceeded():
    with pytest.raises(RenderLimit, match=f"renders more than {MAX_OUTPUT:,} characters"):
        render_sources(sources(ATTACKS["too much output"]), {})
    with pytest.raises(RenderLimit, match="takes longer than 1 second"):
        render_sources(sources(ATTACKS["nested loops"]), {})


def test_ordinary_templates_still_render_loops_operators_and_filters():
    text = (
        "Hi {{ name|title }}: {{ 3 * 4 }} {{ 'ab' ~ 'cd' }} {{ '%05d' % 42 }} {{ 'x'|center(5) }}|"
        "{% for i in range(3) %}{{ loop.index }}{% else %}none{% endfor %} {{ lipsum(1)|length > 0 }}"
    )
    assert render_sources(sources(text), {"name": "chloé"}).text == "Hi Chloé: 12 abcd 00042   x  |123 True\n"


def test_a_template_exceeding_the_budget_is_refused_at_save_with_a_sentence(app):
    with app.app_context(), pytest.raises(TemplateRefused) as refused:
        save_override(app.appbuilder.session, "custom/slow", sources(ATTACKS["nested loops"]), {}, "hr")
    assert refused.value.problems == {
        "template": "refused: with the sample data it takes longer than 1 second to render"
    }
