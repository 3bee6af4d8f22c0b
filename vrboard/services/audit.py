"""Every change to the board's record writes audit entries in the same transaction.

A ``Session`` listener reads each flushed object's attribute history and inserts
one ``audit_entry`` row per changed field (one row for a creation or deletion).
Services put the acting user in ``session.info["actor"]``; a flush that changes
anything without one is refused, so no code path can skip the trail.
"""
from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, attributes

from ..model import AuditEntry, Base, ExportBatch, utcnow
from .context import Actor

ACTOR_KEY = "actor"
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
    for attr in ("reference", "code", "label", "name", "title"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return value[:300]
    return f"{type(obj).__name__} {getattr(obj, 'id', '')}".strip()


def _columns(obj: Base) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in _SKIP_COLUMNS]


def _snapshot(obj: Base) -> str:
    values = {k: as_text(getattr(obj, k)) for k in _columns(obj)}
    for rel in inspect(obj).mapper.relationships:  # many-to-many links, e.g. an action's plans
        if rel.secondary is None or rel.viewonly:
            continue
        hist = attributes.get_history(obj, rel.key, passive=attributes.PASSIVE_NO_INITIALIZE)
        linked = [*(hist.unchanged or []), *(hist.added or []), *(hist.deleted or [])]
        if linked:
            values[rel.key] = ", ".join(sorted({label_of(o) for o in linked}))
    return json.dumps({k: v for k, v in values.items() if v not in (None, "")}, ensure_ascii=False)


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


def pending_entries(session: Session, actor: Actor,
                    also_deleted: Iterable[Any] = ()) -> list[dict[str, Any]]:
    now = utcnow()
    base = {
        "at": now,
        "actor_id": actor.person_id,
        "actor_name": actor.name,
        "channel": actor.channel,
        "source": actor.source[:500],
    }
    rows: list[dict[str, Any]] = []

    def add(obj: Base, field: str, old: str | None, new: str | None) -> None:
        rows.append({
            **base,
            "entity": type(obj).__tablename__,
            "entity_id": getattr(obj, "id", None),
            "entity_label": label_of(obj),
            "field": field,
            "old_value": old,
            "new_value": new,
        })

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
    rows = pending_entries(session, actor, orphans)
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
