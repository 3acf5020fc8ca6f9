"""Pure pieces of setting a programme up: its slug, and a template's YAML with another check-in rhythm."""

from __future__ import annotations

from tandem.plugin.programmes.setup import slugify, with_cadence
from tandem.workflows.definition import load_definition

TEMPLATE = """workflow: mentoring-cohort
title: Mentoring cohort
trigger: pairing.proposed
subject: mentee
programme: mentoring-cohort
steps:
  - match: {role: mentor}
  - check_in:
      between: [mentee, mentor]
      every: 2 weeks
      times: 3
"""


def test_a_slug_keeps_letters_and_digits_and_drops_accents():
    assert slugify("Spring cohort 2027") == "spring-cohort-2027"
    assert slugify("Café «Pairs» — Zürich!") == "cafe-pairs-zurich"
    assert slugify("漢字") == "programme"


def test_a_new_cadence_renames_the_template_and_changes_every_check_in_only():
    source = with_cadence(TEMPLATE, "programme-spring", 'Spring "cohort"', "1 week", "spring")
    definition = load_definition(source)
    assert (definition.name, definition.title, definition.programme) == (
        "programme-spring",
        'Spring "cohort"',
        "spring",
    ), "a hire starts it in the programme itself"
    assert "every: 1 week" in source and "times: 3" in source and "every: 2 weeks" not in source
