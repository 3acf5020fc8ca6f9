"""Tandem's SQLAlchemy models, one module per concept."""

from .base import TandemModel, metadata
from .campaign import Acknowledgement, CampaignItem
from .checkin import CHECKIN_STATUSES, CheckIn
from .delivery import NotificationPreference, NotificationTemplate
from .event import EVENT_TYPES, AppendOnlyError, Event
from .feedback import SURVEYS, FeedbackAnswer
from .goal import GOAL_STATUSES, MAX_GOALS, Goal, GoalProgress
from .importupload import IMPORT_STATUSES, ImportUpload
from .matchrequest import REQUEST_STATUSES, MatchRequest
from .matchrun import MATCH_RUN_STATUSES, PROPOSAL_STATUSES, Circle, CircleMember, MatchProposal, MatchRun
from .notification import NOTIFICATION_STATUSES, Notification
from .pairing import OPEN_PAIRING_STATUSES, PAIRING_STATUSES, IllegalTransition, Pairing
from .person import PERSON_STATUSES, Person
from .profile import Facts, Profile, effective
from .programme import (
    ENROLMENT_ROLES,
    ENROLMENT_STATUSES,
    PROGRAMME_KINDS,
    PROGRAMME_STATUSES,
    Enrolment,
    Programme,
)
from .rollup import PersonStat, ReportingLine, RollupState, SubtreeStat
from .signup import SIGNUP_ROLES, SIGNUP_STATUSES, SignUp
from .workflow import (
    INSTANCE_STATUSES,
    TIMER_STATUSES,
    Incident,
    InstanceHistory,
    InstanceParticipant,
    Timer,
    WorkflowDefinition,
    WorkflowInstance,
)

__all__ = [
    "CHECKIN_STATUSES",
    "ENROLMENT_ROLES",
    "ENROLMENT_STATUSES",
    "EVENT_TYPES",
    "GOAL_STATUSES",
    "IMPORT_STATUSES",
    "INSTANCE_STATUSES",
    "MATCH_RUN_STATUSES",
    "MAX_GOALS",
    "NOTIFICATION_STATUSES",
    "OPEN_PAIRING_STATUSES",
    "PAIRING_STATUSES",
    "PERSON_STATUSES",
    "PROGRAMME_KINDS",
    "PROGRAMME_STATUSES",
    "PROPOSAL_STATUSES",
    "REQUEST_STATUSES",
    "SIGNUP_ROLES",
    "SIGNUP_STATUSES",
    "SURVEYS",
    "TIMER_STATUSES",
    "Acknowledgement",
    "AppendOnlyError",
    "CampaignItem",
    "CheckIn",
    "Circle",
    "CircleMember",
    "Enrolment",
    "Event",
    "Facts",
    "FeedbackAnswer",
    "Goal",
    "GoalProgress",
    "IllegalTransition",
    "ImportUpload",
    "Incident",
    "InstanceHistory",
    "InstanceParticipant",
    "MatchProposal",
    "MatchRequest",
    "MatchRun",
    "Notification",
    "NotificationPreference",
    "NotificationTemplate",
    "Pairing",
    "Person",
    "PersonStat",
    "Profile",
    "Programme",
    "ReportingLine",
    "RollupState",
    "SignUp",
    "SubtreeStat",
    "TandemModel",
    "Timer",
    "WorkflowDefinition",
    "WorkflowInstance",
    "effective",
    "metadata",
]
