"""Tandem's REST API: FAB ``ModelRestApi`` resources under ``/api/v1/``."""

from .events import EventApi
from .matching import MatchingApi, SelfMatchApi
from .people import PersonApi
from .reports import ReportApi
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
    ReportApi,
    MatchingApi,
    SelfMatchApi,
]

__all__ = ["APIS"]
