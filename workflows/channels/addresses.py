"""E-mail addresses in every script: what a server can take, and the forms a server or a calendar needs.

People's addresses are kept in their Unicode form (``chloé@exämple.de``).
A server that offers SMTPUTF8 (RFC 6531) takes them as they are; for one
that does not, the domain is IDNA-encoded (``xn--exmple-cua.de``) and an
address whose local part is not ASCII cannot be sent at all — which is
said in words, never as a ``UnicodeEncodeError``.
"""

from __future__ import annotations

from urllib.parse import quote

import email_validator

LOCAL_PART_MAX_OCTETS = 64  # RFC 5321 4.5.3.1.1
ADDRESS_MAX_OCTETS = 254  # RFC 5321 4.5.3.1.3 (a path of 256 with its angle brackets)
MAILTO_SAFE = "!$&'*+-.=^_`{|}~"  # atext that RFC 6068 lets stand in a mailto local part


class AddressError(ValueError):
    """An address no mail server can take; the message says why in words."""


def normalise(address: str) -> str:
    """``address`` checked and normalised (NFC, lower case); raises :class:`AddressError` naming the fault.

    Accepted: any address a server offering SMTPUTF8 takes — a Unicode local
    part, an internationalised domain. Refused: bad syntax, a domain that is
    not a valid IDNA name or is reserved (``.local``, ``.test``, ``localhost``),
    a local part over 64 octets or an address over 254 octets.
    """
    try:
        valid = email_validator.validate_email(address, check_deliverability=False, strict=True)
    except email_validator.EmailNotValidError as error:
        raise AddressError(str(error)) from None
    local, domain = valid.local_part, valid.domain
    if len(local.encode("utf-8")) > LOCAL_PART_MAX_OCTETS:
        raise AddressError(f"the part before the @-sign is longer than {LOCAL_PART_MAX_OCTETS} octets in UTF-8")
    normalised = f"{local}@{domain}".lower()
    if len(normalised.encode("utf-8")) > ADDRESS_MAX_OCTETS:
        raise AddressError(f"longer than {ADDRESS_MAX_OCTETS} octets in UTF-8")
    return normalised


def split(address: str) -> tuple[str, str]:
    """``(local part, domain)`` of ``address`` (split at the last ``@``)."""
    local, _, domain = address.rpartition("@")
    return local, domain


def ascii_domain(domain: str) -> str:
    """``domain`` as a server without SMTPUTF8 needs it: IDNA A-labels (``xn--…``)."""
    if domain.isascii():
        return domain
    try:
        return email_validator.validate_email(f"x@{domain}", check_deliverability=False).ascii_domain
    except email_validator.EmailNotValidError as error:
        raise AddressError(str(error)) from None


def ascii_form(address: str) -> str:
    """``address`` for a server without SMTPUTF8: its domain IDNA-encoded.

    Raises :class:`AddressError` when the local part is not ASCII: only a
    server offering SMTPUTF8 can take such an address.
    """
    local, domain = split(address)
    if not local.isascii():
        raise AddressError(
            f"{address} has letters outside ASCII before the @-sign, "
            "and the mail server does not offer SMTPUTF8 (RFC 6531) to take it"
        )
    return f"{local}@{ascii_domain(domain)}"


def mailto(address: str) -> str:
    """A ``mailto:`` URI for ``address`` (RFC 6068: non-ASCII percent-encoded as UTF-8)."""
    local, domain = split(address)
    return f"mailto:{quote(local, safe=MAILTO_SAFE)}@{quote(domain, safe='-.')}"
