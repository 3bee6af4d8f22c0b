"""The eight workstreams, the plans actions link to, and the domains of existing work."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Versioned
from .board import Person


class Workstream(Versioned, Base):
    __tablename__ = "workstream"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)  # WS1..WS8
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)

    lead: Mapped[Person | None] = relationship()


class Plan(Versioned, Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)  # VAWG, KCAP, SLAP, BSC
    name: Mapped[str] = mapped_column(String(200))
    period: Mapped[str] = mapped_column(String(20), default="")  # "2018-21", "2019/20"
    period_start: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    period_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    reference_prefix: Mapped[str] = mapped_column(String(10), default="")


class Domain(Versioned, Base):
    __tablename__ = "domain"

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # A retired domain is no longer offered for actions; actions already in it keep it.
    retired_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
