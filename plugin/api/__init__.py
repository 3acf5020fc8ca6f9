"""Tandem's REST API: FAB ``ModelRestApi`` resources under ``/api/v1/``."""

from .events import EventApi
from .people import PersonApi
from .resources import (
    CheckInApi,
    EnrolmentApi,
    NotificationApi,
    PairingApi,
    ProgrammeApi,
)

APIS = [
    PersonApi,
    ProgrammeApi,
    EnrolmentApi,
    PairingApi,
    CheckInApi,
    NotificationApi,
    EventApi,
]

__all__ = ["APIS"]
