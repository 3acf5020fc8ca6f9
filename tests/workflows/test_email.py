# ruff: noqa: F811  (pytest fixtures imported from smtp_capture are parameters here)
"""E-mail in every script, sent to real SMTP servers with and without SMTPUTF8."""

from __future__ import annotations

import pytest
from names import PEOPLE, UTF8_LOCAL, Named
from smtp_capture import mailbox, utf8_mailbox  # noqa: F401 - fixtures

from tandem.workflows.channels import DeliveryError
from tandem.workflows.channels.addresses import ascii_form, mailto
from tandem.workflows.channels.email import Mailer, build_message, parse_smtp_url, prepare
from tandem.workflows.channels.mime import Composed

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


MORE_SCRIPTS = (
    Named("X1", "Παναγιώτης", "panagiotis@example.org", "Μηχανικός", "", "GR", "Europe/Athens"),
    Named("X2", "王秀英", "wang.xiuying@example.org", "产品经理", "", "CN", "Asia/Shanghai"),
    Named("X3", "محمد", "mohammed@example.org", "مهندس", "", "AE", "Asia/Dubai"),
    Named("X4", 'Ada "The Countess" Lovelace, FRS', "ada@example.org", "Analyst", "", "GB", "Europe/London"),
)


def parts(message) -> list[tuple[str, str | bytes | None, str | None]]:
    return [
        (part.get_content_type(), None if part.is_multipart() else part.get_content(), part.get_filename())
        for part in message.walk()
    ]


@pytest.mark.parametrize("invite", [None, INVITE], ids=["text and HTML", "with an invite"])
@pytest.mark.parametrize("server", ["mailbox", "utf8_mailbox"])
def test_every_script_written_straight_to_bytes_reads_exactly_as_the_email_package_builds_it(invite, server, request):
    url, collector = request.getfixturevalue(server)
    people = [person for person in (*PEOPLE, *MORE_SCRIPTS) if person.email.isascii()]
    pairs = []
    for person in people:
        args = (
            SENDER,
            person.name,
            person.email,
            f"Check-in 1 with {person.name}: a subject long enough to be folded somewhere past its middle",
            f"Héllo {person.name},\n.a line starting with a dot\n{person.title}\n" + "x" * 120,
            f"<p>Hello {person.name} — {person.title}</p>",
            invite.format(name=person.name) if invite else None,
            {
                "List-Unsubscribe": "<http://127.0.0.1:8080/tandem/preferences/" + "t" * 120 + ">",
                "X-Tandem-Notification": "7",
            },
        )
        fast = prepare(*args)
        assert isinstance(fast, Composed), f"{person.name}: an ASCII address is written straight to bytes"
        pairs.append((fast, build_message(*args)))
    with Mailer(parse_smtp_url(url)) as mailer:
        for fast, built in pairs:
            mailer.send(fast)
            mailer.send(built)
    for index, person in enumerate(people):
        fast, built = collector.messages[2 * index], collector.messages[2 * index + 1]
        raw = collector.raw[2 * index]
        assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 998, person.name
        for header in ("From", "To", "Subject", "List-Unsubscribe", "X-Tandem-Notification", "MIME-Version"):
            assert str(fast[header]) == str(built[header]), (person.name, header)
        assert fast["To"].addresses[0].display_name == person.name
        assert parts(fast) == parts(built), person.name
        assert collector.envelopes[2 * index][:2] == collector.envelopes[2 * index + 1][:2]


def test_an_address_outside_ascii_is_left_to_the_email_package_which_knows_what_the_server_offers():
    carmen = next(person for person in PEOPLE if not person.email.isascii())
    message = prepare(SENDER, carmen.name, carmen.email, "Hi", "text", "<p>html</p>")
    assert not isinstance(message, Composed)
