"""The board, the people on it and their memberships."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import AccessRole, Base, BoardRole, Classification, Versioned, str_enum


class Board(Versioned, Base):
    __tablename__ = "board"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    short_name: Mapped[str] = mapped_column(String(40))
    council: Mapped[str] = mapped_column(String(200), default="")
    reports_to: Mapped[str] = mapped_column(String(200), default="")
    default_quorum: Mapped[int] = mapped_column(Integer, default=3)
    # Terms of reference may set the quorum as a fraction of the voting members instead
    # ("1/3"); empty means the number above. See services/quorum.py.
    quorum_fraction: Mapped[str] = mapped_column(String(20), default="", server_default=text("''"))
    # Terms of reference: the agenda and papers are published this many clear days before a
    # meeting (Local Government Act 1972, s.100B: five). See services/cycle.py.
    notice_clear_days: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # Terms of reference: the contact officer named on the cover of every pack (migration 0011).
    contact_name: Mapped[str] = mapped_column(String(200), default="", server_default=text("''"))
    contact_email: Mapped[str] = mapped_column(String(254), default="", server_default=text("''"))
    contact_phone: Mapped[str] = mapped_column(String(50), default="", server_default=text("''"))
    min_members: Mapped[int] = mapped_column(Integer, default=6)
    max_members: Mapped[int] = mapped_column(Integer, default=10)
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification, "classification"), default=Classification.OFFICIAL
    )
    # The vice-chair may act as chair (sign off, approve minutes) only while recorded here.
    acting_chair_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="Membership.id"
    )
    acting_chair: Mapped[Person | None] = relationship(foreign_keys=[acting_chair_id])


class Person(Versioned, Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    organisation: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # Operating-system login that maps a desktop user to this person.
    login: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    access_role: Mapped[AccessRole] = mapped_column(
        str_enum(AccessRole, "access_role"), default=AccessRole.VIEWER
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", foreign_keys="Membership.person_id"
    )

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.name!r}>"


class Membership(Versioned, Base):
    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[BoardRole] = mapped_column(str_enum(BoardRole, "board_role"))
    voting: Mapped[bool] = mapped_column(Boolean, default=True)
    term_start: Mapped[dt.date] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # The person who normally substitutes for this member when they send apologies.
    named_substitute_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    board: Mapped[Board] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships", foreign_keys=[person_id])
    named_substitute: Mapped[Person | None] = relationship(foreign_keys=[named_substitute_id])

    def is_current(self, on: dt.date) -> bool:
        return self.term_start <= on and (self.term_end is None or self.term_end >= on)
