"""Reviews of services and the Homicide and Serious Violence Case Review (workstreams 2 and 3),
their recommendations, and the actions that carry each recommendation out.

A recommendation is linked to its actions through ``recommendation_action`` (many to many:
one action can answer several recommendations). Together with an action's ``decision_id``
this is where an action came from; ``services/sources.py`` reads both as one concept.
"""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .actions import Action
from .base import Base, Classification, Label, Versioned, str_enum
from .meetings import Paper
from .workstreams import Workstream

recommendation_action = Table(
    "recommendation_action",
    Base.metadata,
    Column("recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ReviewKind(Label):
    SERVICE_REVIEW = "service_review"
    CASE_REVIEW = "case_review"

    @property
    def label(self) -> str:
        return {"case_review": "Homicide and Serious Violence Case Review"}.get(
            self.value, "Service review")


class ReviewStatus(Label):
    COMMISSIONED = "commissioned"
    IN_PROGRESS = "in_progress"
    REPORTED = "reported"
    CLOSED = "closed"


class Response(Label):
    AWAITING = "awaiting"
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    NOT_ACCEPTED = "not_accepted"

    @property
    def label(self) -> str:
        return {"awaiting": "Awaiting the board's response"}.get(
            self.value, self.value.replace("_", " ").capitalize())

    @property
    def needs_reason(self) -> bool:
        return self in (Response.PARTLY_ACCEPTED, Response.NOT_ACCEPTED)

    @property
    def is_accepted(self) -> bool:
        """Accepted in whole or in part: the board has taken it on."""
        return self in (Response.ACCEPTED, Response.PARTLY_ACCEPTED)


class RecommendationState(Label):
    OPEN = "open"
    IMPLEMENTED = "implemented"
    EVIDENCED = "evidenced"


class Review(Versioned, Base):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ReviewKind] = mapped_column(str_enum(ReviewKind, "review_kind"),
                                             default=ReviewKind.SERVICE_REVIEW)
    workstream_id: Mapped[int] = mapped_column(ForeignKey("workstream.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    commissioned_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    reporting_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    status: Mapped[ReviewStatus] = mapped_column(str_enum(ReviewStatus, "review_status"),
                                                 default=ReviewStatus.COMMISSIONED)
    # The report, attached as a paper to the agenda item that presented it.
    report_paper_id: Mapped[int | None] = mapped_column(
        ForeignKey("paper.id", ondelete="SET NULL"), nullable=True)
    # A case review is OFFICIAL-SENSITIVE (exempt): its recommendations stay out of the public
    # pack and are shown only to those entitled to exempt information (services/access.py).
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification, "classification"), default=Classification.OFFICIAL)

    workstream: Mapped[Workstream] = relationship()
    report_paper: Mapped[Paper | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="Recommendation.id")

    @property
    def is_exempt(self) -> bool:
        return self.classification is Classification.OFFICIAL_SENSITIVE


def number_key(number: str) -> tuple[tuple[int, str], ...]:
    """"2" before "10", "3a" after "3": the order a reader expects."""
    return tuple((int(d), "") if d else (0, s) for d, s in re.findall(r"(\d+)|(\D+)", number))


class Recommendation(Versioned, Base):
    __tablename__ = "recommendation"
    __table_args__ = (
        UniqueConstraint("review_id", "number"),
        CheckConstraint("response IN ('awaiting', 'accepted') OR response_reason <> ''",
                        name="reason"),
        CheckConstraint("state <> 'evidenced' OR evidence_note <> ''", name="evidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[Response] = mapped_column(str_enum(Response, "recommendation_response"),
                                               default=Response.AWAITING)
    response_reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[RecommendationState] = mapped_column(
        str_enum(RecommendationState, "recommendation_state"), default=RecommendationState.OPEN)
    evidence_note: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    review: Mapped[Review] = relationship(back_populates="recommendations")
    actions: Mapped[list[Action]] = relationship(secondary=recommendation_action,
                                                 order_by="Action.reference")

    @property
    def label(self) -> str:
        return f"Recommendation {self.number}"

    def is_overdue(self, today: dt.date) -> bool:
        """Accepted (in whole or part), still open, and past its due date."""
        return (self.due_date is not None and self.due_date < today and self.response.is_accepted
                and self.state is RecommendationState.OPEN)
