"""Helpers shared by the services: loading with version checks, validating values."""
from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ..errors import ConflictError, NotFound, RuleViolation, ValidationError
from ..model import Base
from .audit import label_of

T = TypeVar("T", bound=Base)
E = TypeVar("E", bound=enum.Enum)


def get(session: Session, cls: type[T], ident: int, what: str | None = None) -> T:
    obj = session.get(cls, ident)
    if obj is None:
        raise NotFound(f"There is no {what or cls.__name__.lower()} with id {ident}.")
    return obj


def check_version(obj: Any, expected: int | None) -> None:
    """Refuse a save based on an older copy: someone else saved first."""
    if expected is not None and obj.version != expected:
        raise ConflictError(
            f"{label_of(obj)} was changed by someone else since you opened it "
            f"(your copy is version {expected}, the saved one is version {obj.version}). "
            "Reload it to see their change; nothing was overwritten.",
            type(obj).__tablename__,
            getattr(obj, "id", None),
        )


def flush(session: Session, obj: Any | None = None) -> None:
    """Flush, turning a lost optimistic-lock race into ConflictError."""
    # Name the record now: after a failed flush the session can load nothing more.
    what = label_of(obj) if obj is not None else "A record"
    entity = getattr(obj, "__tablename__", "") if obj is not None else ""
    ident = getattr(obj, "id", None) if obj is not None else None
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError(
            f"{what} was changed by someone else while you were saving. "
            "Reload it to see their change; nothing was overwritten.", entity, ident
        ) from None


def begin_write(session: Session) -> None:
    """Make sure the database transaction has really begun, holding SQLite's write lock.

    Python's sqlite3 driver opens its transaction lazily, at the first INSERT/UPDATE/DELETE:
    until then every SELECT sees the latest commit, and two writers can both read "the highest
    reference is KC-093" before either writes. BEGIN IMMEDIATE takes the write lock first
    (waiting the busy timeout for another writer to finish), so what is read next cannot change
    before it is written; it also lets a SAVEPOINT nest inside the transaction instead of
    starting (and, on release, committing) one of its own. Other databases always have their
    transaction open here."""
    conn = session.connection()
    if conn.dialect.name == "sqlite":
        raw = conn.connection.dbapi_connection
        if raw is not None and not raw.in_transaction:
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def text(value: Any, field: str, *, required: bool = False, max_len: int = 300) -> str:
    s = "" if value is None else str(value).strip()
    if required and not s:
        raise ValidationError(f"{field.capitalize()} is required.", field)
    if len(s) > max_len:
        raise ValidationError(f"{field.capitalize()} is longer than {max_len} characters.", field)
    return s


def percent(value: Any, field: str = "percent complete") -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{field.capitalize()} must be a whole number from 0 to 100.", field)
    if isinstance(value, float) and not value.is_integer():
        raise ValidationError(f"{field.capitalize()} must be a whole number from 0 to 100.", field)
    v = int(value)
    if not 0 <= v <= 100:
        raise ValidationError(f"{field.capitalize()} must be from 0 to 100, not {v}.", field)
    return v


def date_or_none(value: Any, field: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ValidationError(f"{field.capitalize()} must be a date.", field)


def uk_date(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def choice(enum_cls: type[E], value: Any, field: str) -> E:
    """An enumeration member from itself or its stored value; a clear refusal otherwise."""
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)
        raise ValidationError(
            f"{field.capitalize()} must be one of {allowed}, not '{value}'.", field) from None


def revert_on_error(session: Session, obj: Any) -> Any:
    """Use as ``with revert_on_error(session, obj):`` around changes that are checked after
    they are applied: a refusal discards them, so a session that carries on (an import
    skipping a bad row) cannot flush them later."""
    return _Revert(session, obj)


class _Revert:
    def __init__(self, session: Session, obj: Any) -> None:
        self.session, self.obj = session, obj
        self._no_flush = session.no_autoflush  # checks that query must not flush the change

    def __enter__(self) -> None:
        self._no_flush.__enter__()

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        self._no_flush.__exit__(exc_type, exc, tb)
        if exc_type is not None and self.obj in self.session:
            self.session.expire(self.obj)
        return False


def retire(session: Session, row: Any, name: str, on: dt.date | None = None) -> None:
    """Set ``row.retired_on`` (today by default): it leaves the active lists, its history
    stays. ``name`` ("Indicator PF01") names it when it was retired already."""
    if row.retired_on is not None:
        raise RuleViolation(f"{name} was already retired on {row.retired_on:%d/%m/%Y}.")
    row.retired_on = on or dt.date.today()
    flush(session, row)


def reinstate(session: Session, row: Any) -> None:
    """Bring a retired row back into use (nothing to do when it is in use)."""
    if row.retired_on is not None:
        row.retired_on = None
        flush(session, row)
