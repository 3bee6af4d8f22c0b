"""Reading the audit trail: filtered, sorted and paged in SQL (the table grows without end).

The audit page asks for one page of rows at a time (``search``) and the total for the
same filter (``count``); it never loads the whole trail into memory.

Need-to-know (``services.access``): for a reader not entitled to exempt information, an
entry about an exempt record keeps who, when, how and what kind of record, but its record
label and values read as the exempt notice. The same redacted expressions are what the
text and record filters search and what the columns sort by, so a search cannot find an
exempt value and the order gives none away.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from ..model import AuditEntry, Channel, Person
from .access import ACTION_NOTICE, RECORD_NOTICE, REDACTED_LABEL, AuditRow, AuditScope, audit_scope
from .context import Actor

#: the records people recognise, by table name
ENTITY_LABELS: dict[str, str] = {
    "action": "Action",
    "progress_update": "Progress update",
    "sign_off": "Sign-off",
    "meeting": "Meeting",
    "agenda_item": "Agenda item",
    "paper": "Paper",
    "attendance": "Attendance",
    "declaration": "Declaration of interest",
    "minute": "Minute",
    "decision": "Decision",
    "board": "Board",
    "person": "Person",
    "membership": "Membership",
    "workstream": "Workstream",
    "plan": "Plan",
    "domain": "Domain",
    "indicator": "Indicator",
    "indicator_value": "Indicator value",
    "column_mapping": "Column mapping",
    "action_plan": "Action plans",
    "standing_item": "Standing agenda item",
    "planned_item": "Planned item (forward plan)",
}

#: the columns the page may sort on
SORTABLE: dict[str, ColumnElement] = {
    "at": AuditEntry.at,
    "actor": AuditEntry.actor_name,
    "channel": AuditEntry.channel,
    "entity": AuditEntry.entity,
    "record": AuditEntry.entity_label,
    "field": AuditEntry.field,
    "old": AuditEntry.old_value,
    "new": AuditEntry.new_value,
    "source": AuditEntry.source,
}


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity.replace("_", " ").capitalize())


_FALLBACK = re.compile(r"[A-Za-z][A-Za-z ]{0,60} \d{1,12}")


def record_label(entity: str, label: str, entity_id: int | None) -> str:
    """The record as a person reads it beside its type: "KC-007", or "#21" where the record
    has no name of its own (its stored label is then just its type and number, "Minute 21",
    which beside the type read "Minute Minute 21")."""
    if _FALLBACK.fullmatch(label or "") or not label:
        return f"#{entity_id}" if entity_id is not None else ""
    return label


@dataclass
class AuditFilter:
    """Every field narrows the trail; the defaults show everything."""

    actor_name: str | None = None      # exactly this person (as recorded at the time), acting or
                                       # recording for someone else
    entity: str | None = None          # a table name, e.g. "action"
    entity_id: int | None = None       # one record (with ``entity``)
    record: str = ""                   # text in the record's label, e.g. "KC-007"
    text: str = ""                     # text in the field, old or new value, or source
    channel: Channel | None = None
    date_from: dt.date | None = None   # local calendar dates, inclusive
    date_to: dt.date | None = None

    def clauses(self, cols: Columns | None = None) -> list[ColumnElement[bool]]:
        cols = cols or Columns.plain()
        out: list[ColumnElement[bool]] = []
        if self.actor_name:
            out.append(or_(AuditEntry.actor_name == self.actor_name,
                           AuditEntry.recorded_by_name == self.actor_name))
        if self.entity:
            out.append(AuditEntry.entity == self.entity)
        if self.entity_id is not None:
            out.append(AuditEntry.entity_id == self.entity_id)
        if self.record.strip():
            out.append(func.lower(cols.label).like(_like(self.record), escape="\\"))
        if self.text.strip():
            like = _like(self.text)
            out.append(or_(
                func.lower(AuditEntry.field).like(like, escape="\\"),
                func.lower(func.coalesce(cols.old, "")).like(like, escape="\\"),
                func.lower(func.coalesce(cols.new, "")).like(like, escape="\\"),
                func.lower(AuditEntry.source).like(like, escape="\\"),
            ))
        if self.channel is not None:
            out.append(AuditEntry.channel == self.channel)
        if self.date_from is not None:
            out.append(AuditEntry.at >= local_midnight_utc(self.date_from))
        if self.date_to is not None:
            out.append(AuditEntry.at < local_midnight_utc(self.date_to + dt.timedelta(days=1)))
        return out


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def local_midnight_utc(day: dt.date) -> dt.datetime:
    """The start of a local calendar day, as an aware UTC timestamp."""
    local = dt.datetime.combine(day, dt.time()).astimezone()
    return local.astimezone(dt.UTC)


class Columns:
    """The label and values as the reader sees them, as SQL expressions."""

    def __init__(self, hidden: ColumnElement[bool] | None) -> None:
        self.hidden = hidden
        e = AuditEntry
        if hidden is None:
            self.label: ColumnElement = e.entity_label
            self.old: ColumnElement = e.old_value
            self.new: ColumnElement = e.new_value
            return
        is_action = e.entity.in_(("action", "progress_update", "sign_off"))
        notice = case((is_action, literal(ACTION_NOTICE)), else_=literal(RECORD_NOTICE))
        self.label = case((and_(hidden, e.entity != "action"), literal(REDACTED_LABEL)),
                          else_=e.entity_label)
        self.old = case((and_(hidden, e.old_value.is_not(None)), notice), else_=e.old_value)
        self.new = case((and_(hidden, e.new_value.is_not(None)), notice), else_=e.new_value)

    @classmethod
    def plain(cls) -> Columns:
        return cls(None)

    def sortable(self, key: str) -> ColumnElement:
        return {"record": self.label, "old": self.old, "new": self.new}.get(
            key, SORTABLE.get(key, AuditEntry.at))


def scope_of(session: Session, reader: Actor | AuditScope) -> AuditScope:
    return reader if isinstance(reader, AuditScope) else audit_scope(session, reader)


def _columns(scope: AuditScope) -> Columns:
    return Columns.plain() if scope.entitled else Columns(scope.hidden_clause())


def _filtered(q: Select, f: AuditFilter, cols: Columns) -> Select:
    for clause in f.clauses(cols):
        q = q.where(clause)
    return q


def count(session: Session, f: AuditFilter, reader: Actor | AuditScope) -> int:
    """How many entries match ``f``, as ``reader`` (an actor, or a scope made for one) sees them."""
    cols = _columns(scope_of(session, reader))
    return int(session.scalar(_filtered(select(func.count(AuditEntry.id)), f, cols)) or 0)


def search(session: Session, f: AuditFilter, reader: Actor | AuditScope, *, sort: str = "at",
           descending: bool = True, offset: int = 0, limit: int = 500) -> list[AuditRow]:
    """One page of the filtered trail, sorted in SQL (ties broken by id, newest first), as
    ``reader`` may see it: entries about exempt records come back redacted."""
    scope = scope_of(session, reader)
    cols = _columns(scope)
    column = cols.sortable(sort)
    order = column.desc() if descending else column.asc()
    tie = AuditEntry.id.desc() if descending else AuditEntry.id.asc()
    hidden = cols.hidden if cols.hidden is not None else literal(False)
    q = _filtered(select(AuditEntry, hidden), f, cols).order_by(order, tie).offset(offset).limit(limit)
    return [scope.redact(e, bool(h)) for e, h in session.execute(q)]


def actors(session: Session) -> list[str]:
    """Everyone who has changed anything (names as recorded), then current people, sorted."""
    names = set(session.scalars(select(AuditEntry.actor_name).distinct()))
    names.update(session.scalars(select(Person.name)))
    return sorted((n for n in names if n), key=str.casefold)


def entities(session: Session) -> list[str]:
    """The kinds of record that appear in the trail, sorted by their label."""
    found = session.scalars(select(AuditEntry.entity).distinct())
    return sorted(found, key=lambda e: entity_label(e).casefold())
