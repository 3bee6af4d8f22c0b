"""Declarative base, shared column types and enumerations.

Enumerations are stored as short strings (non-native enums) so SQLite and
PostgreSQL hold identical values and a backup moves between them unchanged.
"""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import DateTime, Enum, Integer, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as naive UTC and always returned timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: object) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Versioned:
    """Optimistic concurrency: every UPDATE checks and bumps ``version``.

    A second save based on an older version is refused (StaleDataError inside
    SQLAlchemy, turned into ``ConflictError`` by the services).
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


def str_enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(
        e,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Label(enum.StrEnum):
    """Enumerations whose members carry a human label."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class AccessRole(Label):
    SECRETARIAT = "secretariat"
    CHAIR = "chair"
    OWNER = "owner"
    VIEWER = "viewer"


class BoardRole(Label):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    MEMBER = "member"
    ADVISER = "adviser"
    SECRETARIAT = "secretariat"

    @property
    def label(self) -> str:
        return {"vice_chair": "Vice-chair"}.get(self.value, self.value.capitalize())


class MeetingStatus(Label):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class Classification(enum.StrEnum):
    OFFICIAL = "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"

    @property
    def label(self) -> str:
        return self.value


class AttendanceStatus(Label):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class ActionStatus(Label):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    SIGNED_OFF = "signed_off"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {
            "awaiting_sign_off": "Complete, awaiting sign-off",
            "signed_off": "Signed off",
        }.get(self.value, self.value.replace("_", " ").capitalize())

    @property
    def is_open(self) -> bool:
        return self in (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)

    @property
    def is_complete(self) -> bool:
        return self in (ActionStatus.AWAITING_SIGN_OFF, ActionStatus.SIGNED_OFF)


class RAG(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def letter(self) -> str:
        return self.value[0].upper()


class UpdateSource(Label):
    APP = "app"
    SPREADSHEET = "spreadsheet"
    COMMAND_LINE = "command_line"


class Channel(Label):
    APP = "app"
    IMPORT = "import"
    COMMAND_LINE = "command_line"
    SYSTEM = "system"


class SignOffKind(Label):
    SIGNED_OFF = "signed_off"
    REOPENED = "reopened"
