"""Every change to the board's record writes audit entries in the same transaction.

A ``Session`` listener reads each flushed object's attribute history and inserts
one ``audit_entry`` row per changed field (one row for a creation or deletion).
Services put the acting user in ``session.info["actor"]``; a flush that changes
anything without one is refused, so no code path can skip the trail.

The entries are chained (``chain``): each carries the hash of the one before it and its
own. ``record`` appends an entry that no ORM change produced (an issued document, say); an
``AuditEntry`` added to the session directly is chained at its flush as well.
"""
from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import LargeBinary, event, insert, inspect
from sqlalchemy.orm import Session, attributes

from ..model import AuditEntry, Base, ExportBatch, utcnow
from . import chain
from .context import Actor

ACTOR_KEY = "actor"
# Columns marked ``info={"audited": False}`` (a document's bytes) stay out of the trail; the
# row's other columns (its SHA-256) stand for them.
_SKIP_COLUMNS = {"id", "version", "created_at", "updated_at"}
_NOT_AUDITED = (AuditEntry, ExportBatch)


def bind(session: Session, actor: Actor) -> Session:
    session.info[ACTOR_KEY] = actor
    return session


def actor_of(session: Session) -> Actor | None:
    return session.info.get(ACTOR_KEY)


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label_of(obj: Any) -> str:
    return _label(type(obj).__name__, lambda attr: getattr(obj, attr, None), getattr(obj, "id", ""))


def _label(type_name: str, get: Any, ident: Any) -> str:
    for attr in ("reference", "code", "label", "name", "title"):
        value = get(attr)
        if isinstance(value, str) and value:
            return value[:300]
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", type_name).capitalize()  # IndicatorValue: Indicator value
    return f"{kind} {'' if ident is None else ident}".strip()


def _columns(obj: Any) -> list[str]:
    """The audited columns of a mapped object or class, in the mapper's order."""
    cls = obj if isinstance(obj, type) else type(obj)
    keys = _COLUMNS.get(cls)
    if keys is None:
        # Not copied into the trail: columns marked info={"audited": False} and binary ones
        # (a document's or a paper's bytes; their SHA-256 is recorded instead).
        keys = _COLUMNS[cls] = [c.key for c in inspect(cls).column_attrs if c.key not in _SKIP_COLUMNS
                                and c.columns[0].info.get("audited", True)
                                and not isinstance(c.columns[0].type, LargeBinary)]
    return keys


_COLUMNS: dict[type, list[str]] = {}


def _as_json(values: dict[str, str | None]) -> str:
    return json.dumps({k: v for k, v in values.items() if v not in (None, "")}, ensure_ascii=False)


def _snapshot(obj: Base) -> str:
    values = {k: as_text(getattr(obj, k)) for k in _columns(obj)}
    for rel in inspect(obj).mapper.relationships:  # many-to-many links, e.g. an action's plans
        if rel.secondary is None or rel.viewonly:
            continue
        hist = attributes.get_history(obj, rel.key, passive=attributes.PASSIVE_NO_INITIALIZE)
        linked = [*(hist.unchanged or []), *(hist.added or []), *(hist.deleted or [])]
        if linked:
            values[rel.key] = ", ".join(sorted({label_of(o) for o in linked}))
    return _as_json(values)


def _changes(obj: Base) -> list[tuple[str, str | None, str | None]]:
    out = []
    state = inspect(obj)
    for key in _columns(obj):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if as_text(old) != as_text(new):
            out.append((key, as_text(old), as_text(new)))
    for rel in state.mapper.relationships:
        if rel.secondary is None or rel.viewonly:
            continue
        hist = attributes.get_history(obj, rel.key, passive=attributes.PASSIVE_NO_INITIALIZE)
        if not (hist.added or hist.deleted):
            continue
        kept = list(hist.unchanged or [])
        old = sorted(label_of(o) for o in kept + list(hist.deleted or []))
        new = sorted(label_of(o) for o in kept + list(hist.added or []))
        if old != new:
            out.append((rel.key, ", ".join(old), ", ".join(new)))
    return out


def entry_base(actor: Actor, at: dt.datetime | None = None) -> dict[str, Any]:
    """What every audit entry written for ``actor`` now shares."""
    return {
        "at": at or utcnow(),
        "actor_id": actor.person_id,
        "actor_name": actor.name,
        # who recorded it for the actor (the secretariat, with --as), else nobody
        "recorded_by_id": actor.recorded_by_id,
        "recorded_by_name": actor.recorded_by_name,
        "channel": actor.channel,
        "source": actor.source[:500],
    }


def entry(base: dict[str, Any], entity: str, entity_id: int | None, label: str, field: str,
          old: str | None, new: str | None) -> dict[str, Any]:
    """One ``audit_entry`` row, ready for an INSERT."""
    return {**base, "entity": entity, "entity_id": entity_id, "entity_label": label, "field": field,
            "old_value": old, "new_value": new}


def changes_of(obj: Base, values: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) for setting column ``values`` on ``obj``, as the listener would record
    them: in the mapper's column order, only values that really change."""
    out = []
    for key in _columns(obj):
        if key in values:
            old, new = as_text(getattr(obj, key)), as_text(values[key])
            if old != new:
                out.append((key, old, new))
    return out


def created_entry(base: dict[str, Any], cls: type[Base], ident: int,
                  values: dict[str, Any]) -> dict[str, Any]:
    """The "created" entry for a row of ``cls`` inserted with ``values`` (no many-to-many links),
    as the listener would record it."""
    snapshot = _as_json({k: as_text(values.get(k)) for k in _columns(cls)})
    label = _label(cls.__name__, values.get, ident)
    return entry(base, cls.__tablename__, ident, label, "created", None, snapshot)


def pending_entries(session: Session, actor: Actor,
                    also_deleted: Iterable[Any] = ()) -> list[dict[str, Any]]:
    base = entry_base(actor)
    rows: list[dict[str, Any]] = []

    def add(obj: Base, field: str, old: str | None, new: str | None) -> None:
        rows.append(entry(base, type(obj).__tablename__, getattr(obj, "id", None), label_of(obj),
                          field, old, new))

    for obj in session.new:
        if isinstance(obj, Base) and not isinstance(obj, _NOT_AUDITED):
            add(obj, "created", None, _snapshot(obj))
    for obj in session.dirty:
        if isinstance(obj, Base) and not isinstance(obj, _NOT_AUDITED):
            for field, old, new in _changes(obj):
                add(obj, field, old, new)
    deleted = list(session.deleted)
    deleted += [o for o in also_deleted if o not in session.deleted]
    for obj in deleted:
        if isinstance(obj, Base) and not isinstance(obj, _NOT_AUDITED):
            add(obj, "deleted", _snapshot(obj), None)
    return rows


def _flushed_deletions(ctx: Any) -> list[Any]:
    """Objects the flush deleted, including orphans removed from a collection (an agenda
    item taken off its meeting), which never appear in ``session.deleted``."""
    states = getattr(ctx, "states", {}) or {}
    out = []
    for state, (isdelete, listonly) in states.items():
        obj = state.obj() if isdelete and not listonly else None
        if obj is not None:
            out.append(obj)
    return out


def audited_classes() -> list[type[Base]]:
    """The mapped classes whose rows the trail records, in table order."""
    return [m.class_ for m in sorted(Base.registry.mappers, key=lambda m: m.local_table.name)
            if not issubclass(m.class_, _NOT_AUDITED) and m.local_table is not None]


def audited_columns(cls: type[Base]) -> list[str]:
    """The columns of ``cls`` whose values the trail records (not id, version, timestamps)."""
    return list(_columns(cls))


def record(session: Session, actor: Actor, entity: str, entity_id: int | None, label: str,
           field: str, old: str | None, new: str | None) -> None:
    """Append one entry that no ORM change writes (e.g. "issued" with a document's hash),
    chained, in the session's transaction."""
    append(session, [entry(entry_base(actor), entity, entity_id, label[:300], field, old, new)])


def append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Chain ``rows`` (``entry`` dicts) after the newest entry and insert them, in order."""
    if rows:
        conn = session.connection()
        chain.link(conn, rows)
        conn.execute(insert(AuditEntry), rows)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    """Take the chain's lock before this flush writes (so row locks come after it, the order
    the batch path takes them in too), and chain any AuditEntry added to the session."""
    added = [o for o in session.new if isinstance(o, AuditEntry) and not o.entry_hash]
    pending = added or any(isinstance(o, Base) and not isinstance(o, _NOT_AUDITED)
                           for o in (*session.new, *session.dirty, *session.deleted))
    if not pending:
        return
    conn = session.connection()
    chain.lock(conn)
    if added:
        added.sort(key=lambda o: inspect(o).insert_order)
        prev = chain.head(conn)
        for o in added:
            o.at = o.at or utcnow()
            o.source = o.source or ""
            o.entity_label = o.entity_label or ""
            o.recorded_by_name = o.recorded_by_name or ""  # the column's default, hashed as stored
            values = {k: getattr(o, k) for k in chain.FORMAT_FIELDS[chain.CURRENT_FORMAT]}
            o.chain_format, o.prev_hash = chain.CURRENT_FORMAT, prev
            prev = o.entry_hash = chain.entry_hash(values, prev)


def record_event(session: Session, actor: Actor, entity: str, entity_id: int | None, label: str,
                 field: str, text: str) -> None:
    """One audit entry for something done that changes no row (an e-mail drafted or sent),
    chained, in the session's transaction."""
    record(session, actor, entity, entity_id, label, field, None, text)


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, ctx: Any) -> None:
    orphans = _flushed_deletions(ctx)
    touched = [
        o for o in (*session.new, *session.dirty, *session.deleted, *orphans)
        if isinstance(o, Base) and not isinstance(o, _NOT_AUDITED)
    ]
    if not touched:
        return
    actor = actor_of(session)
    if actor is None:
        raise RuntimeError(
            "a change was flushed without an acting user; changes must go through vrboard.services"
        )
    append(session, pending_entries(session, actor, orphans))
