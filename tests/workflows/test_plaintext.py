"""Plain-text templates: HR's message becomes a text part and an HTML part of escaped paragraphs and links."""

from __future__ import annotations

import pytest

from tandem.workflows import templating
from tandem.workflows.plaintext import NotPlainText, check_plain, from_plain_text, is_plain, plain_message, variables

MESSAGE = (
    "Hello {{ person.first_name }},\n\n"
    "Your check-in with {{ others }} is open <today> & tomorrow.\n"
    "Answer here: {{ links.checkins }}\n\n"
    "More at https://intranet.example/help."
)
CONTEXT = {
    "person": {"first_name": "Ada"},
    "others": "Grace <Hopper>",
    "links": {"checkins": "https://intranet.example/check-ins/"},
    "preferences_url": "",
}


def test_a_message_becomes_escaped_paragraphs_with_links_and_a_text_part_with_the_footer():
    parts = from_plain_text(MESSAGE)
    rendered = templating.render_sources({"subject": "Hi {{ person.first_name }}", **parts}, CONTEXT)
    assert rendered.subject == "Hi Ada"
    assert rendered.text.startswith("Hello Ada,\n\nYour check-in with Grace <Hopper> is open <today> & tomorrow.")
    assert "Sent by Tandem" in rendered.text
    assert "<p>Hello Ada,</p>" in rendered.html
    assert "with Grace &lt;Hopper&gt; is open &lt;today&gt; &amp; tomorrow.<br>" in rendered.html
    assert '<a href="https://intranet.example/check-ins/">https://intranet.example/check-ins/</a>' in rendered.html
    assert '<a href="https://intranet.example/help">https://intranet.example/help</a>.</p>' in rendered.html


def test_the_text_part_it_makes_reads_back_as_the_same_message():
    text = from_plain_text(MESSAGE)["text"]
    assert is_plain(text)
    assert plain_message(text) == MESSAGE


@pytest.mark.parametrize(
    "message",
    ["{% if role %}x{% endif %}", "{{ person.first_name | upper }}", "{# note #}", "{{ ''.__class__ }}"],
)
def test_anything_beyond_variable_placeholders_is_not_plain_text(message):
    with pytest.raises(NotPlainText, match="placeholders only"):
        check_plain(message)


def test_an_unknown_variable_is_named():
    with pytest.raises(NotPlainText, match=r"no variable called person\.surname"):
        check_plain("Dear {{ person.surname }}", {"person.first_name"})


def test_variables_are_listed_dotted_with_a_sample_each():
    assert variables({"person": {"first_name": "Ada"}, "sequence": 2, "items": [{"subject": "Hi"}]}) == [
        ("person.first_name", "Ada"),
        ("sequence", "2"),
        ("items", "a list; the first: subject: Hi"),
    ]
