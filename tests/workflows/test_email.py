# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""E-mail in every script, sent to real SMTP servers with and without SMTPUTF8."""

from __future__ import annotations

import pytest
from names import PEOPLE, UTF8_LOCAL
from smtp_capture import mailbox, utf8_mailbox  # noqa: F401 - fixtures

from tandem.workflows.channels import DeliveryError
from tandem.workflows.channels.addresses import ascii_form, mailto
from tandem.workflows.channels.email import Mailer, build_message, parse_smtp_url

SENDER = "Tandem – Mentoring <tandem@example.org>"
INVITE = "BEGIN:VCALENDAR\r\nSUMMARY:Check-in 1 with {name}\r\nEND:VCALENDAR\r\n"


def message_to(person, subject: str = "Check-in 1 with {name}: how did it go?"):
    return build_message(
        SENDER,
        person.name,
        person.email,
        subject.format(name=person.name),
        f"Hello {person.name},\nyour title: {person.title}",
        f"<p>Hello {person.name}, {person.title}</p>",
        INVITE.format(name=person.name),
    )


def send_all(url: str, people) -> None:
    with Mailer(parse_smtp_url(url)) as mailer:
        for person in people:
            mailer.send(message_to(person))


def test_every_script_reaches_a_server_without_smtputf8_as_seven_bit_mail_that_decodes_back(mailbox):
    url, collector = mailbox
    send_all(url, PEOPLE)
    assert len(collector.messages) == len(PEOPLE)
    for person, raw, message, (_, rcpt, options) in zip(
        PEOPLE, collector.raw, collector.messages, collector.envelopes, strict=True
    ):
        assert raw.isascii(), f"{person.name}: a message for a server without SMTPUTF8 is 7-bit"
        assert b"=?utf-8?" in raw or person.name.isascii(), "non-ASCII header words are RFC 2047 encoded"
        assert "SMTPUTF8" not in options
        assert rcpt == [ascii_form(person.email)]
        assert message["To"].addresses[0].display_name == person.name
        assert message["Subject"] == f"Check-in 1 with {person.name}: how did it go?"
        assert f"Hello {person.name}" in message.get_body(("plain",)).get_content()
        assert person.title in message.get_body(("html",)).get_content()
        calendar = next(part for part in message.walk() if part.get_content_type() == "text/calendar")
        assert person.name in calendar.get_content()
        assert str(message["From"]) == SENDER


def test_an_internationalised_domain_goes_idna_encoded_to_a_server_without_smtputf8(mailbox):
    url, collector = mailbox
    carmen = next(person for person in PEOPLE if person.email.endswith("@exämple.de"))
    send_all(url, [carmen])
    (_, rcpt, _), (message,) = collector.envelopes[0], collector.messages
    assert rcpt == ["carmen.garcia@xn--exmple-cua.de"]
    assert message["To"].addresses[0].domain == "xn--exmple-cua.de"


def test_a_server_offering_smtputf8_gets_the_addresses_as_they_are_in_utf8(utf8_mailbox):
    url, collector = utf8_mailbox
    send_all(url, [UTF8_LOCAL])
    (_, rcpt, options), (raw,) = collector.envelopes[0], collector.raw
    assert rcpt == ["zoë.ünal@exämple.de"] and "SMTPUTF8" in options
    assert "To: Zoë Ünal <zoë.ünal@exämple.de>".encode() in raw, "RFC 6532: UTF-8 headers as they are"
    assert collector.messages[0]["Subject"] == "Check-in 1 with Zoë Ünal: how did it go?"


def test_an_ascii_address_with_a_non_ascii_name_stays_plain_mail_even_where_smtputf8_is_offered(utf8_mailbox):
    url, collector = utf8_mailbox
    send_all(url, PEOPLE[:1])
    (_, _, options), (raw,) = collector.envelopes[0], collector.raw
    assert "SMTPUTF8" not in options and raw.isascii()


def test_a_non_ascii_local_part_is_refused_for_good_in_words_where_the_server_lacks_smtputf8(mailbox):
    url, collector = mailbox
    with pytest.raises(DeliveryError) as refused:
        send_all(url, [UTF8_LOCAL])
    assert refused.value.permanent
    assert "does not offer SMTPUTF8" in str(refused.value) and "zoë.ünal@exämple.de" in str(refused.value)
    assert collector.messages == []


def test_a_calendar_address_is_a_mailto_uri_with_non_ascii_percent_encoded():
    assert mailto("dev1@example.org") == "mailto:dev1@example.org"
    assert mailto("o'brien@example.org") == "mailto:o'brien@example.org"
    assert mailto("zoë@exämple.de") == "mailto:zo%C3%AB@ex%C3%A4mple.de"
