"""Actions, their progress history and the chair's sign-offs."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import (
    RAG,
    ActionStatus,
    Base,
    SignOffKind,
    UpdateSource,
    UTCDateTime,
    Versioned,
    str_enum,
    utcnow,
)
from .board import Person
from .meetings import AgendaItem, Decision, Meeting
from .workstreams import Domain, Plan, Workstream

if TYPE_CHECKING:
    from .community import CommunityTheme, NeedsFinding, YouthAsk
    from .lenses import Tag
    from .reviews import Recommendation

action_plan = Table(
    "action_plan",
    Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("plan_id", ForeignKey("plan.id"), primary_key=True),
)


class Action(Versioned, Base):
    __tablename__ = "action"
    __table_args__ = (
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent"),
        # Covers the dashboard's counts by workstream, status and RAG, and the overdue scan.
        Index("ix_action_dashboard", "workstream_id", "status", "rag", "due_date", "revised_due_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id"))
    domain_id: Mapped[int | None] = mapped_column(ForeignKey("domain.id"), nullable=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True, index=True)
    lead_organisation: Mapped[str] = mapped_column(String(200), default="")
    raised_meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), nullable=True
    )
    raised_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), nullable=True
    )
    decision_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id", ondelete="SET NULL"), nullable=True
    )
    start_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    revised_due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[ActionStatus] = mapped_column(
        str_enum(ActionStatus, "action_status"), default=ActionStatus.NOT_STARTED
    )
    dropped_reason: Mapped[str] = mapped_column(Text, default="")
    rag: Mapped[RAG] = mapped_column(str_enum(RAG, "rag"), default=RAG.GREEN)
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)
    completed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    workstream: Mapped[Workstream] = relationship()
    domain: Mapped[Domain | None] = relationship()
    owner: Mapped[Person | None] = relationship()
    plans: Mapped[list[Plan]] = relationship(secondary=action_plan, order_by="Plan.code")
    # The groups it addresses (model/lenses.py; audited as the action's ``tags``).
    tags: Mapped[list[Tag]] = relationship(secondary="action_tag", order_by="(Tag.tag_group, Tag.name)")
    raised_meeting: Mapped[Meeting | None] = relationship()
    raised_item: Mapped[AgendaItem | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    updates: Mapped[list[ProgressUpdate]] = relationship(
        back_populates="action",
        cascade="all, delete-orphan",
        order_by="(ProgressUpdate.on_date, ProgressUpdate.id)",
    )
    sign_offs: Mapped[list[SignOff]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="SignOff.id"
    )
    # The recommendations this action carries out (model/reviews.py). Written (and audited)
    # from the recommendation's side only.
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary="recommendation_action", viewonly=True, order_by="Recommendation.id"
    )
    # The community themes, youth panel asks and needs-assessment findings this action answers
    # (model/community.py); written from their side only.
    themes: Mapped[list[CommunityTheme]] = relationship(
        secondary="community_theme_action", viewonly=True, order_by="CommunityTheme.id")
    youth_asks: Mapped[list[YouthAsk]] = relationship(
        secondary="youth_ask_action", viewonly=True, order_by="YouthAsk.id")
    findings: Mapped[list[NeedsFinding]] = relationship(
        secondary="needs_finding_action", viewonly=True, order_by="NeedsFinding.id")

    @property
    def effective_due(self) -> dt.date | None:
        return self.revised_due_date or self.due_date

    def is_overdue(self, today: dt.date) -> bool:
        due = self.effective_due
        return due is not None and due < today and self.status.is_open

    def is_inconsistent(self, today: dt.date) -> bool:
        """Overdue but reported green: the board should challenge it."""
        return self.is_overdue(today) and self.rag is RAG.GREEN


class ProgressUpdate(Base):
    __tablename__ = "progress_update"
    __table_args__ = (
        CheckConstraint("percent IS NULL OR percent BETWEEN 0 AND 100", name="percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    on_date: Mapped[dt.date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    author_name: Mapped[str] = mapped_column(String(200), default="")
    # Who recorded it for the author: the secretariat (--as), or who imported the author's tracker.
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="",
                                                  server_default=text("''"))
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rag: Mapped[RAG | None] = mapped_column(str_enum(RAG, "rag"), nullable=True)
    source: Mapped[UpdateSource] = mapped_column(
        str_enum(UpdateSource, "update_source"), default=UpdateSource.APP
    )
    source_file: Mapped[str] = mapped_column(String(500), default="")
    source_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    action: Mapped[Action] = relationship(back_populates="updates")
    author: Mapped[Person | None] = relationship()


class SignOff(Base):
    __tablename__ = "sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("action.id", ondelete="CASCADE"), index=True)
    kind: Mapped[SignOffKind] = mapped_column(str_enum(SignOffKind, "sign_off_kind"))
    by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # The secretariat member who recorded the chair's sign-off, when not the chair.
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="",
                                                  server_default=text("''"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    action: Mapped[Action] = relationship(back_populates="sign_offs")
    by: Mapped[Person] = relationship()
