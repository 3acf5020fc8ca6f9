"""The HR admin: declarative FAB model views under the "Mentoring" menu."""

from .outbox import EventView, NotificationView
from .pairings import CheckInView, PairingView
from .people import PersonView
from .programmes import (
    AcknowledgementView,
    CampaignItemView,
    EnrolmentView,
    ProgrammeView,
)

# In menu order: (view class, menu item name, icon).
MENU_VIEWS = [
    (PersonView, "People", "fa-address-book"),
    (ProgrammeView, "Programmes", "fa-seedling"),
    (EnrolmentView, "Enrolments", "fa-user-plus"),
    (PairingView, "Pairings", "fa-people-arrows"),
    (CheckInView, "Check-ins", "fa-comments"),
    (CampaignItemView, "Campaign items", "fa-bullhorn"),
    (AcknowledgementView, "Acknowledgements", "fa-check"),
    (NotificationView, "Notifications", "fa-envelope"),
    (EventView, "Events", "fa-stream"),
]

__all__ = ["MENU_VIEWS"]
