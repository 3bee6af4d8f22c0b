"""Meetings: agenda, papers, attendance, declarations, minutes and decisions."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import (
    AttendanceStatus,
    Base,
    Classification,
    MeetingStatus,
    UTCDateTime,
    Versioned,
    str_enum,
)
from .board import Person

if TYPE_CHECKING:
    from .workstreams import Workstream


class Meeting(Versioned, Base):
    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Local wall-clock time of the meeting (the council's time zone); no zone stored.
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    # When the meeting closed (local wall-clock time, like starts_at), for its minutes.
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.PLANNED
    )
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification, "classification"), default=Classification.OFFICIAL
    )
    quorum: Mapped[int] = mapped_column(Integer, default=3)
    # "1/3": the quorum is that fraction of the voting members on the day (rounded up);
    # empty: the number above. Copied from the terms of reference when scheduled.
    quorum_fraction: Mapped[str] = mapped_column(String(20), default="", server_default=text("''"))
    pack_final: Mapped[bool] = mapped_column(Boolean, default=False)
    chaired_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    # Approval of THIS meeting's minutes: at which later meeting, signed by whom, when.
    minutes_approved_at_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id"), nullable=True
    )
    minutes_signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    minutes_signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The secretariat member who recorded the chair's signature, when not the chair.
    minutes_signed_recorded_by: Mapped[str] = mapped_column(String(200), default="",
                                                            server_default=text("''"))

    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Attendance.id"
    )
    declarations: Mapped[list[Declaration]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Declaration.id"
    )
    chaired_by: Mapped[Person | None] = relationship(foreign_keys=[chaired_by_id])
    minutes_signed_by: Mapped[Person | None] = relationship(foreign_keys=[minutes_signed_by_id])
    minutes_approved_at: Mapped[Meeting | None] = relationship(
        remote_side=[id], foreign_keys=[minutes_approved_at_id]
    )

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_signed_at is not None

    @property
    def label(self) -> str:
        return f"{self.title} {self.starts_at:%d/%m/%Y}"


class AgendaItem(Versioned, Base):
    __tablename__ = "agenda_item"
    __table_args__ = (
        CheckConstraint("part IN (1, 2)", name="part"),
        CheckConstraint(
            "exempt_paragraph IS NULL OR (exempt_paragraph BETWEEN 1 AND 7)", name="exempt_paragraph"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    minutes_allotted: Mapped[int] = mapped_column(Integer, default=10)
    # Part 2 items are exempt under a paragraph of Schedule 12A, Local Government Act 1972.
    part: Mapped[int] = mapped_column(Integer, default=1)
    exempt_paragraph: Mapped[int | None] = mapped_column(Integer, nullable=True)
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification, "classification"), default=Classification.OFFICIAL
    )
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id"), nullable=True)
    # Procedural items (welcome, apologies, any other business) need no paper: the pack
    # checklist leaves them alone.
    no_paper: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    meeting: Mapped[Meeting] = relationship(back_populates="items")
    workstream: Mapped[Workstream | None] = relationship()
    papers: Mapped[list[Paper]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="Paper.id"
    )
    minute: Mapped[Minute | None] = relationship(
        back_populates="item", cascade="all, delete-orphan", uselist=False
    )

    @property
    def is_exempt(self) -> bool:
        return self.part == 2


class Paper(Versioned, Base):
    """A paper for an agenda item. Its bytes live in the database (``content``, loaded only
    when asked for), so the paper travels with the board to a server, into backups and to
    every user. ``content`` is NULL only for a paper brought in from a path by migration 0008
    whose file was gone: it is listed as missing until attached again."""

    __tablename__ = "paper"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    # The file's own name (no folder), and where it was attached from (information only).
    file_name: Mapped[str] = mapped_column(String(255))
    source_path: Mapped[str] = mapped_column(String(1000), default="")
    # "pdf", "word", "excel", "presentation", "text" (see vrboard/pdf/paperfile.py)
    kind: Mapped[str] = mapped_column(String(20))
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    classification: Mapped[Classification] = mapped_column(
        str_enum(Classification, "classification"), default=Classification.OFFICIAL
    )

    @property
    def missing(self) -> bool:
        return self.sha256 is None

    item: Mapped[AgendaItem] = relationship(back_populates="papers")


class StandingItem(Versioned, Base):
    """An agenda item every new meeting starts with (terms of reference): welcome and
    apologies, declarations of interest, minutes and matters arising, the action log, any
    other business. Copied into a meeting's agenda when it is scheduled, then editable there."""

    __tablename__ = "standing_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("board.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    minutes_allotted: Mapped[int] = mapped_column(Integer, default=5)
    no_paper: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class PlannedItem(Versioned, Base):
    """The forward plan: an item planned for a future meeting before its agenda is built.
    It goes onto that meeting's agenda when the agenda is built (``agenda_item_id`` then
    names the item; deleting that item from the agenda puts it back in the plan)."""

    __tablename__ = "planned_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str] = mapped_column(String(200), default="")
    minutes_allotted: Mapped[int] = mapped_column(Integer, default=10)
    notes: Mapped[str] = mapped_column(Text, default="")
    workstream_id: Mapped[int | None] = mapped_column(ForeignKey("workstream.id"), nullable=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="SET NULL"),
                                                  nullable=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), nullable=True)

    meeting: Mapped[Meeting] = relationship()
    workstream: Mapped[Workstream | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()


class Attendance(Versioned, Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("meeting_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[AttendanceStatus] = mapped_column(
        str_enum(AttendanceStatus, "attendance_status"), default=AttendanceStatus.PRESENT
    )
    substitute_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    note: Mapped[str] = mapped_column(String(300), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="attendance")
    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    substitute: Mapped[Person | None] = relationship(foreign_keys=[substitute_id])


class Declaration(Versioned, Base):
    __tablename__ = "declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), nullable=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    # e.g. "Disclosable pecuniary", "Other registrable", "Non-registrable"
    interest_type: Mapped[str] = mapped_column(String(60), default="Other registrable")
    nature: Mapped[str] = mapped_column(Text)
    dispensation: Mapped[str] = mapped_column(String(300), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="declarations")
    item: Mapped[AgendaItem | None] = relationship()
    person: Mapped[Person] = relationship()


class Minute(Versioned, Base):
    __tablename__ = "minute"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="CASCADE"), unique=True
    )
    discussion: Mapped[str] = mapped_column(Text, default="")

    item: Mapped[AgendaItem] = relationship(back_populates="minute")
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="minute", cascade="all, delete-orphan", order_by="Decision.position"
    )


class Decision(Versioned, Base):
    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    minute_id: Mapped[int] = mapped_column(ForeignKey("minute.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    text: Mapped[str] = mapped_column(Text)

    minute: Mapped[Minute] = relationship(back_populates="decisions")
