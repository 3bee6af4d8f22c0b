"""The performance framework: indicators, their targets and values by period."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, Float, ForeignKey, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned
from .workstreams import Workstream

if TYPE_CHECKING:
    from .lenses import IndicatorGroupValue, Tag


class Indicator(Versioned, Base):
    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40), default="")
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id"), nullable=True)
    # How often a value is expected: "Monthly", "Quarterly", "Annual" (services/indicators.py).
    frequency: Mapped[str] = mapped_column(String(20), default="Quarterly",
                                           server_default=text("'Quarterly'"))
    # One of the Home Office's violence reduction outcome measures (homicides, hospital
    # admissions for assault with a sharp object among under-25s, ...).
    home_office_measure: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=false())
    # A retired indicator leaves the active lists and packs; its values stay as history.
    retired_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    workstream: Mapped[Workstream | None] = relationship()
    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorValue.period_start"
    )
    # The groups it addresses (model/lenses.py; audited as the indicator's ``tags``).
    tags: Mapped[list[Tag]] = relationship(secondary="indicator_tag",
                                           order_by="(Tag.tag_group, Tag.name)")

    @property
    def retired(self) -> bool:
        return self.retired_on is not None

    def status_of(self, value: float) -> str:
        """'met' or 'not met' against the target, honouring the direction of good."""
        if self.target is None:
            return "no target"
        good = value >= self.target if self.higher_is_better else value <= self.target
        return "met" if good else "not met"


class IndicatorValue(Versioned, Base):
    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    period: Mapped[str] = mapped_column(String(20))  # "2019/20 Q1"
    period_start: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(String(300), default="")

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    # The value broken down by group, where the data exists (model/lenses.py).
    by_group: Mapped[list[IndicatorGroupValue]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorGroupValue.id")
