"""The HR admin: declarative FAB model views under the "Mentoring" menu."""

from .answer_link import AnswerLinkView
from .directory_import import DirectoryImportView
from .engine import IncidentView, InstanceHistoryView, WorkflowDefinitionView, WorkflowInstanceView
from .inbox import InboxView
from .mail_outbox import MailOutboxView
from .matching import MatchingView
from .my_campaign import MyCampaignView
from .my_checkins import MyCheckInsView
from .my_data import MyDataView
from .my_matching import MyMatchingView
from .my_mentoring import MyMentoringView
from .my_timeline import MyTimelineView
from .notification_templates import NotificationTemplateView
from .outbox import EventView, NotificationView
from .pairings import CheckInView, PairingView
from .people import PersonView
from .preferences import PreferencesView
from .programmes import (
    AcknowledgementView,
    CampaignItemView,
    EnrolmentView,
    ProgrammeView,
)
from .reports import ReportView
from .workflow_editor import WorkflowEditorView

# In menu order: (view class, menu item name, icon).
MENU_VIEWS = [
    (PersonView, "People", "fa-address-book"),
    (ProgrammeView, "Programmes", "fa-seedling"),
    (EnrolmentView, "Enrolments", "fa-user-plus"),
    (PairingView, "Pairings", "fa-people-arrows"),
    (MatchingView, "Matching", "fa-project-diagram"),
    (CheckInView, "Check-ins", "fa-comments"),
    (CampaignItemView, "Campaign items", "fa-bullhorn"),
    (AcknowledgementView, "Acknowledgements", "fa-check"),
    (NotificationView, "Notifications", "fa-envelope"),
    (EventView, "Events", "fa-stream"),
    (WorkflowDefinitionView, "Workflows", "fa-project-diagram"),
    (WorkflowEditorView, "Workflow editor", "fa-edit"),
    (WorkflowInstanceView, "Workflow runs", "fa-running"),
    (IncidentView, "Operations inbox", "fa-inbox"),
    (NotificationTemplateView, "Notification templates", "fa-file-alt"),
    (MailOutboxView, "Mail outbox", "fa-mail-bulk"),
    (PreferencesView, "Notification preferences", "fa-sliders-h"),
    (ReportView, "Reports", "fa-chart-bar"),
]

# HR's task pages in the menu categories of issue 16: (view class, menu item name, icon, category).
CATEGORY_VIEWS = [
    (DirectoryImportView, "Import people", "fa-file-import", "People"),
]

# Registered without a menu item of their own.
HIDDEN_VIEWS = [InstanceHistoryView, AnswerLinkView, MyMatchingView]

# Staff self-service, under the "Me" menu, in menu order: (view class, menu item name, icon).
SELF_SERVICE_VIEWS = [
    (MyMentoringView, "My mentoring", "fa-hands-helping"),
    (MyCheckInsView, "My check-ins", "fa-comment-dots"),
    (MyTimelineView, "My timeline", "fa-history"),
    (MyCampaignView, "My campaign items", "fa-bullhorn"),
    (InboxView, "Inbox", "fa-bell"),
    (MyDataView, "My data", "fa-file-archive"),
]

__all__ = ["CATEGORY_VIEWS", "HIDDEN_VIEWS", "MENU_VIEWS", "SELF_SERVICE_VIEWS"]
