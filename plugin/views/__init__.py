"""The HR admin: FAB views in menus grouped by task (``roles.CATEGORIES``), and the staff's "Me" menu."""

from .answer_link import AnswerLinkView
from .directory_import import DirectoryImportView
from .engine import IncidentView, InstanceHistoryView, WorkflowDefinitionView, WorkflowInstanceView
from .feedback_results import FeedbackResultsView
from .inbox import InboxView
from .mail_outbox import MailOutboxView
from .matching import MatchingView
from .my_campaign import MyCampaignView
from .my_checkins import MyCheckInsView
from .my_data import MyDataView
from .my_feedback import MyFeedbackView
from .my_matching import MyMatchingView
from .my_mentoring import MyMentoringView
from .my_profile import MyProfileView
from .my_timeline import MyTimelineView
from .notification_templates import NotificationTemplateView
from .outbox import EventView, NotificationView
from .pairings import CheckInView, PairingView
from .people import PersonView
from .person_search import PersonSearchView
from .preferences import PreferencesView
from .profiles import ProfileView
from .programme_journey import ProgrammeJourneyView
from .programmes import (
    AcknowledgementView,
    CampaignItemView,
    EnrolmentView,
    ProgrammeView,
)
from .reports import ReportView
from .signup import SignUpView
from .signup_approvals import SignUpApprovalView
from .today import TodayView
from .workflow_editor import WorkflowEditorView

# In menu order within each category (``roles.category_of`` places them): (view class, menu item name, icon).
MENU_VIEWS = [
    (TodayView, "Today", "fa-tasks"),
    (ProgrammeJourneyView, "Run a programme", "fa-route"),
    (PersonView, "People", "fa-address-book"),
    (DirectoryImportView, "Import people", "fa-file-import"),
    (ProgrammeView, "Programmes", "fa-seedling"),
    (EnrolmentView, "Enrolments", "fa-user-plus"),
    (SignUpApprovalView, "Sign-ups", "fa-user-check"),
    (PairingView, "Pairings", "fa-people-arrows"),
    (MatchingView, "Match review", "fa-project-diagram"),
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

# Registered without a menu item of their own.
HIDDEN_VIEWS = [InstanceHistoryView, AnswerLinkView, MyMatchingView, PersonSearchView, ProfileView, FeedbackResultsView]

# Staff self-service, under the "Me" menu, in menu order: (view class, menu item name, icon).
SELF_SERVICE_VIEWS = [
    (MyMentoringView, "My mentoring", "fa-hands-helping"),
    (MyProfileView, "My profile", "fa-id-card"),
    (SignUpView, "Sign up", "fa-clipboard-list"),
    (MyCheckInsView, "My check-ins", "fa-comment-dots"),
    (MyTimelineView, "My timeline", "fa-history"),
    (MyCampaignView, "My campaign items", "fa-bullhorn"),
    (InboxView, "Inbox", "fa-bell"),
    (MyFeedbackView, "My feedback", "fa-poll"),
    (MyDataView, "My data", "fa-file-archive"),
]

__all__ = ["HIDDEN_VIEWS", "MENU_VIEWS", "SELF_SERVICE_VIEWS"]
