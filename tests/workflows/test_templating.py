"""Notification templates: every name the workflows use exists, renders, escapes, and the sandbox holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

from tandem.workflows import templating
from tandem.workflows.builtin import builtin_definitions
from tandem.workflows.notification_context import sample_context

BASE = "http://intranet.example"
ENGINE = Path(templating.__file__).parent
# The transition function and the step kinds it runs: every template name they send.
MACHINE = "".join(path.read_text() for path in [ENGINE / "machine.py", *sorted((ENGINE / "steps").glob("*.py"))])
ATTACKS = [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ ''['__class__'] }}",
    "{{ namespace|attr('__init__') }}",
]
REFUSED_AT_SAVE = [*ATTACKS, "{% set x = person._secret %}{{ x }}"]


def used_template_names() -> set[str]:
    names = set(re.findall(r'"((?:checkin|operations|campaign)/[a-z-]+)"', MACHINE))
    for definition in builtin_definitions():
        names |= set(re.findall(r"template:\s*([\w/-]+)", definition.source if hasattr(definition, "source") else ""))
    for path in Path(templating.__file__).with_name("builtin").glob("*.yaml"):
        names |= set(re.findall(r"template:\s*([\w/-]+)", path.read_text()))
    return names | {"digest"}


def test_every_template_the_workflows_use_ships_and_renders_with_sample_data(app):
    names = used_template_names()
    assert {"onboarding/introduction", "checkin/prompt", "checkin/escalation", "campaign/item", "digest"} <= names
    with app.app_context():
        for name in sorted(names):
            rendered = templating.render(None, name, sample_context())
            assert rendered.subject and "\n" not in rendered.subject, name
            assert "Ada" in rendered.text and "/tandem/preferences/" in rendered.text, name
            assert "/tandem/preferences/" in rendered.html, name


def test_the_html_part_escapes_what_people_typed_and_the_text_part_does_not():
    context = {**sample_context(BASE), "others": "<script>alert(1)</script> & Co"}
    rendered = templating.render(None, "onboarding/introduction", context)
    assert "&lt;script&gt;" in rendered.html and "<script>" not in rendered.html
    assert "<script>alert(1)</script> & Co" in rendered.text


@pytest.mark.parametrize("attack", REFUSED_AT_SAVE)
def test_a_template_reaching_for_python_internals_is_refused_before_saving(attack):
    with pytest.raises(templating.TemplateRefused) as refused:
        templating.check_source({"subject": "Hello", "text": attack, "html": "<p>ok</p>"})
    assert "text" in refused.value.problems and "refused" in refused.value.problems["text"]


@pytest.mark.parametrize("attack", ATTACKS)
def test_even_unchecked_such_a_template_cannot_run(attack):
    with pytest.raises(SecurityError):
        templating.render_sources({"subject": "Hi", "text": attack, "html": "x"}, sample_context(BASE))


def test_a_template_with_a_syntax_error_is_refused_with_its_line():
    with pytest.raises(templating.TemplateRefused) as refused:
        templating.check_source({"subject": "ok", "text": "line one\n{% if %}", "html": "<p>ok</p>"})
    assert refused.value.problems["text"].startswith("line 2:")
