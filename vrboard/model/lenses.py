"""Lenses on the work (issue 15): tags naming the groups an action or indicator addresses
(an age band, an ethnicity, a gender: disproportionality runs through all the workstreams),
indicator values broken down by group, and the Serious Violence Duty record.

Tags are linked through ``action_tag`` and ``indicator_tag`` (many to many), written and
audited from the action's and the indicator's side (``Action.tags``, ``Indicator.tags``).
A value by group belongs to one period's ``IndicatorValue`` and names its group by tag.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Float, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned

#: the groups the strategy names; a tag may name another
GROUPS = ("Age band", "Ethnicity", "Gender")

action_tag = Table(
    "action_tag",
    Base.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)

indicator_tag = Table(
    "indicator_tag",
    Base.metadata,
    Column("indicator_id", ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Versioned, Base):
    """A group the work addresses: "Under 25" in "Age band", "Black" in "Ethnicity"."""

    __tablename__ = "tag"
    __table_args__ = (UniqueConstraint("tag_group", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_group: Mapped[str] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def label(self) -> str:
        """"Age band: under 25", the form the trail, the exports and the pack show."""
        return f"{self.tag_group}: {self.name}"


class IndicatorGroupValue(Versioned, Base):
    """One group's share of a period's value ("Under 25" of 2026/27 Q1's admissions)."""

    __tablename__ = "indicator_group_value"
    __table_args__ = (UniqueConstraint("indicator_value_id", "tag_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_value_id: Mapped[int] = mapped_column(
        ForeignKey("indicator_value.id", ondelete="CASCADE"), index=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tag.id", ondelete="CASCADE"))
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")

    tag: Mapped[Tag] = relationship()

    @property
    def label(self) -> str:
        return f"{self.tag.label if self.tag else 'Group'} value"


class DutyRecord(Versioned, Base):
    """The partnership's record under the Serious Violence Duty (Police, Crime, Sentencing and
    Courts Act 2022, in force 31 January 2023): one row."""

    __tablename__ = "duty_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    local_definition: Mapped[str] = mapped_column(Text, default="")
    definition_agreed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    needs_assessment_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    needs_assessment_due: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    strategy_published_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    strategy_link: Mapped[str] = mapped_column(String(500), default="")
    review_due_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    review_done_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    @property
    def label(self) -> str:
        return "Serious Violence Duty"
