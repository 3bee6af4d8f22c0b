"""Community Conversations (workstream 1), the Youth Panel (workstream 7) and the Strategic
Needs Assessment (workstream 4).

- Community conversations: the sessions held, the pool of community members trained in the
  conversation method (the strategy's target is 30), the themes collated from the sessions
  (how many sessions raised each, short quotes, what the board did: "you said, we did") and the
  Community Champions workshops (about four hours, up to 30 participants).
- The youth panel: its sessions and what the young people raised at each, with the board's
  reply in the same "you said, we did" form.
- The strategic needs assessment: its date, summary and findings.

A theme, a youth panel ask and a finding are each linked to the actions that answer them
(many to many, like ``recommendation_action``): together with an action's decision and a
review's recommendations, these are where an action came from (``services/sources.py``).
None of these records is exempt; a trained member's record holds only a name, who trained
them and when.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .actions import Action
from .base import Base, Label, Versioned, str_enum

#: the strategy's target for community members trained in the conversation method
TRAINED_TARGET = 30
#: a Community Champions workshop takes up to this many participants
WORKSHOP_MAX = 30


def _link(name: str, left: str, left_table: str) -> Table:
    return Table(
        name, Base.metadata,
        Column(left, ForeignKey(f"{left_table}.id", ondelete="CASCADE"), primary_key=True),
        Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True),
    )


community_theme_action = _link("community_theme_action", "theme_id", "community_theme")
youth_ask_action = _link("youth_ask_action", "ask_id", "youth_ask")
needs_finding_action = _link("needs_finding_action", "finding_id", "needs_finding")
community_theme_session = Table(
    "community_theme_session", Base.metadata,
    Column("theme_id", ForeignKey("community_theme.id", ondelete="CASCADE"), primary_key=True),
    Column("session_id", ForeignKey("community_session.id", ondelete="CASCADE"), primary_key=True,
           index=True),
)


class FeedbackState(Label):
    """Where a theme or a youth panel ask stands: heard, being acted on, or done ("we did")."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class WorkshopAudience(Label):
    RESIDENTS_BUSINESSES = "residents_businesses"
    PROFESSIONALS = "professionals"

    @property
    def label(self) -> str:
        return {"residents_businesses": "Residents, business owners and parents"}.get(
            self.value, "Professionals")


def _uk(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class CommunitySession(Versioned, Base):
    """One community conversation."""

    __tablename__ = "community_session"
    __table_args__ = (CheckConstraint("participants >= 0", name="participants"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))  # the venue, or the ward
    lead_organisation: Mapped[str] = mapped_column(String(200))
    facilitators: Mapped[str] = mapped_column(Text, default="")
    participants: Mapped[int] = mapped_column(Integer, default=0)
    groups: Mapped[str] = mapped_column(Text, default="")  # who came, in broad groups
    notes: Mapped[str] = mapped_column(Text, default="")  # what was said

    @property
    def label(self) -> str:
        return f"Community conversation {_uk(self.held_on)}, {self.place}"


class TrainedMember(Versioned, Base):
    """A community member trained in the conversation method (minimal personal data)."""

    __tablename__ = "community_member"
    __table_args__ = (UniqueConstraint("name", "trained_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    trained_by: Mapped[str] = mapped_column(String(200))
    trained_on: Mapped[dt.date] = mapped_column(Date)


class CommunityTheme(Versioned, Base):
    """A theme collated from the sessions, with what the board did about it."""

    __tablename__ = "community_theme"
    __table_args__ = (CheckConstraint("state <> 'done' OR response <> ''", name="response"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300), unique=True)
    quotes: Mapped[str] = mapped_column(Text, default="")  # short quotes, one a line
    response: Mapped[str] = mapped_column(Text, default="")  # "we did"
    state: Mapped[FeedbackState] = mapped_column(str_enum(FeedbackState, "feedback_state"),
                                                 default=FeedbackState.OPEN)

    sessions: Mapped[list[CommunitySession]] = relationship(
        secondary=community_theme_session, order_by="CommunitySession.held_on")
    actions: Mapped[list[Action]] = relationship(secondary=community_theme_action,
                                                 order_by="Action.reference")

    @property
    def quote_list(self) -> list[str]:
        return [q.strip() for q in self.quotes.splitlines() if q.strip()]


class ChampionsWorkshop(Versioned, Base):
    """A Community Champions workshop: about four hours, up to 30 participants."""

    __tablename__ = "champions_workshop"
    __table_args__ = (
        CheckConstraint(f"participants BETWEEN 0 AND {WORKSHOP_MAX}", name="participants"),
        CheckConstraint("hours > 0 AND hours <= 8", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    audience: Mapped[WorkshopAudience] = mapped_column(str_enum(WorkshopAudience, "workshop_audience"))
    place: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[float] = mapped_column(Float, default=4.0)
    participants: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def label(self) -> str:
        return f"Community Champions workshop {_uk(self.held_on)} ({self.audience.label.lower()})"


class YouthSession(Versioned, Base):
    """A meeting of the youth panel."""

    __tablename__ = "youth_session"
    __table_args__ = (CheckConstraint("participants >= 0", name="participants"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    participants: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")

    asks: Mapped[list[YouthAsk]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                order_by="YouthAsk.id")

    @property
    def label(self) -> str:
        return f"Youth panel {_uk(self.held_on)}, {self.place}"


class YouthAsk(Versioned, Base):
    """What the young people raised at a session, and the board's reply ("we did")."""

    __tablename__ = "youth_ask"
    __table_args__ = (CheckConstraint("state <> 'done' OR reply <> ''", name="reply"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("youth_session.id", ondelete="CASCADE"),
                                            index=True)
    raised: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[FeedbackState] = mapped_column(str_enum(FeedbackState, "feedback_state"),
                                                 default=FeedbackState.OPEN)

    session: Mapped[YouthSession] = relationship(back_populates="asks")
    actions: Mapped[list[Action]] = relationship(secondary=youth_ask_action, order_by="Action.reference")

    @property
    def label(self) -> str:
        return f"Youth panel ask {self.id}: {self.raised[:80]}"


class NeedsAssessment(Versioned, Base):
    """The strategic needs assessment (annual)."""

    __tablename__ = "needs_assessment"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[dt.date] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text, default="")

    findings: Mapped[list[NeedsFinding]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan", order_by="NeedsFinding.id")


def number_key(number: str) -> tuple[tuple[int, str], ...]:
    """"2" before "10", "3a" after "3"."""
    return tuple((int(d), "") if d else (0, s) for d, s in re.findall(r"(\d+)|(\D+)", number))


class NeedsFinding(Versioned, Base):
    __tablename__ = "needs_finding"
    __table_args__ = (UniqueConstraint("assessment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("needs_assessment.id", ondelete="CASCADE"),
                                               index=True)
    number: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)

    assessment: Mapped[NeedsAssessment] = relationship(back_populates="findings")
    actions: Mapped[list[Action]] = relationship(secondary=needs_finding_action,
                                                 order_by="Action.reference")

    @property
    def label(self) -> str:
        return f"Finding {self.number}"
