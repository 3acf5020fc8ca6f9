"""Errors a person's request can meet — in self-service, matchmaking, the pages and the API.

Each maps to one HTTP status and a sentence for the person (or a CLI line).
"""

from __future__ import annotations


class SelfServiceError(Exception):
    """Something a person asked for that cannot happen; ``field`` names the form field at fault, if any."""

    status = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(SelfServiceError):
    """No such record among the person's own (another person's record is "not found" too)."""

    status = 404


class Refused(SelfServiceError):
    """Invalid input: a field out of range or too long."""

    status = 400


class NotAllowed(SelfServiceError):
    """The record is not in a state that allows this (a check-in already answered, missed or cancelled)."""

    status = 409
