"""vrboard's data model: SQLAlchemy 2 typed mappings, one module per aggregate."""
from .actions import Action, ProgressUpdate, SignOff, action_plan
from .audit import AuditEntry, ColumnMapping, ExportBatch
from .base import (
    RAG,
    AccessRole,
    ActionStatus,
    AttendanceStatus,
    Base,
    BoardRole,
    Channel,
    Classification,
    MeetingStatus,
    SignOffKind,
    UpdateSource,
    utcnow,
)
from .board import Board, Membership, Person
from .community import (
    TRAINED_TARGET,
    WORKSHOP_MAX,
    ChampionsWorkshop,
    CommunitySession,
    CommunityTheme,
    FeedbackState,
    NeedsAssessment,
    NeedsFinding,
    TrainedMember,
    WorkshopAudience,
    YouthAsk,
    YouthSession,
    community_theme_action,
    community_theme_session,
    needs_finding_action,
    youth_ask_action,
)
from .documents import DocumentKind, IssuedDocument, SigningCertificate
from .indicators import Indicator, IndicatorValue
from .lenses import GROUPS, DutyRecord, IndicatorGroupValue, Tag, action_tag, indicator_tag
from .meetings import (
    AgendaItem,
    Attendance,
    Decision,
    Declaration,
    Meeting,
    Minute,
    Paper,
    PlannedItem,
    StandingItem,
)
from .reviews import (
    Recommendation,
    RecommendationState,
    Response,
    Review,
    ReviewKind,
    ReviewStatus,
    recommendation_action,
)
from .workstreams import Domain, Plan, Workstream

__all__ = [
    "TRAINED_TARGET", "WORKSHOP_MAX", "ChampionsWorkshop", "CommunitySession", "CommunityTheme",
    "FeedbackState", "NeedsAssessment", "NeedsFinding", "TrainedMember", "WorkshopAudience",
    "YouthAsk", "YouthSession", "community_theme_action", "community_theme_session",
    "needs_finding_action", "youth_ask_action",
    "RAG", "AccessRole", "Action", "ActionStatus", "AgendaItem", "Attendance",
    "AttendanceStatus", "AuditEntry", "DutyRecord", "GROUPS", "IndicatorGroupValue", "Tag",
    "action_tag", "indicator_tag", "Base", "Board", "BoardRole", "Channel", "Classification",
    "ColumnMapping", "Decision", "Declaration", "DocumentKind", "Domain", "ExportBatch", "Indicator",
    "IndicatorValue", "IssuedDocument", "Meeting", "MeetingStatus", "Membership", "Minute", "Paper",
    "Person", "Plan", "PlannedItem", "ProgressUpdate", "Recommendation", "RecommendationState",
    "Response", "Review", "ReviewKind", "ReviewStatus", "SignOff", "SigningCertificate",
    "SignOffKind", "StandingItem", "UpdateSource", "Workstream",
    "action_plan", "recommendation_action", "utcnow",
]
