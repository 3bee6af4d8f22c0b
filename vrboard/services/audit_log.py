"""Reading the audit trail: filtered, sorted and paged in SQL (the table grows without end).

The audit page asks for one page of rows at a time (``search``) and the total for the
same filter (``count``); it never loads the whole trail into memory.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from ..model import AuditEntry, Channel, Person

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

    def clauses(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.actor_name:
            out.append(or_(AuditEntry.actor_name == self.actor_name,
                           AuditEntry.recorded_by_name == self.actor_name))
        if self.entity:
            out.append(AuditEntry.entity == self.entity)
        if self.entity_id is not None:
            out.append(AuditEntry.entity_id == self.entity_id)
        if self.record.strip():
            out.append(func.lower(AuditEntry.entity_label).like(_like(self.record), escape="\\"))
        if self.text.strip():
            like = _like(self.text)
            out.append(or_(
                func.lower(AuditEntry.field).like(like, escape="\\"),
                func.lower(func.coalesce(AuditEntry.old_value, "")).like(like, escape="\\"),
                func.lower(func.coalesce(AuditEntry.new_value, "")).like(like, escape="\\"),
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


def _filtered(q: Select, f: AuditFilter) -> Select:
    for clause in f.clauses():
        q = q.where(clause)
    return q


def count(session: Session, f: AuditFilter) -> int:
    return int(session.scalar(_filtered(select(func.count(AuditEntry.id)), f)) or 0)


def search(session: Session, f: AuditFilter, *, sort: str = "at", descending: bool = True,
           offset: int = 0, limit: int = 500) -> list[AuditEntry]:
    """One page of the filtered trail, sorted in SQL (ties broken by id, newest first)."""
    column = SORTABLE.get(sort, AuditEntry.at)
    order = column.desc() if descending else column.asc()
    tie = AuditEntry.id.desc() if descending else AuditEntry.id.asc()
    q = _filtered(select(AuditEntry), f).order_by(order, tie).offset(offset).limit(limit)
    return list(session.scalars(q))


def actors(session: Session) -> list[str]:
    """Everyone who has changed anything (names as recorded), then current people, sorted."""
    names = set(session.scalars(select(AuditEntry.actor_name).distinct()))
    names.update(session.scalars(select(Person.name)))
    return sorted((n for n in names if n), key=str.casefold)


def entities(session: Session) -> list[str]:
    """The kinds of record that appear in the trail, sorted by their label."""
    found = session.scalars(select(AuditEntry.entity).distinct())
    return sorted(found, key=lambda e: entity_label(e).casefold())
