"""Many action updates at once (an imported tracker): the rules of ``update_action`` and
``add_progress``, written with a few statements instead of one flush per row.

Each update is checked, before anything is written, by the very functions those services
use (``actions.check_update``, ``actions.check_progress``), against the action as it is
now: the actions are re-read and locked for the rest of the transaction (SELECT ... FOR
UPDATE on PostgreSQL; on SQLite the caller holds the write lock, see ``excel.apply``).
Then the changes go out as one executemany UPDATE per set of changed columns, each row
still checked against its version, and the progress updates as one INSERT.

The session's audit listener sees only ORM flushes, so this module writes the audit
entries itself, chained (``chain.link``) in the same transaction, with each row's own
source ("file.xlsx row 7") and the same fields and values the listener would record (``audit.changes_of``,
``audit.created_entry``); ``tests/core/test_action_batch.py`` compares the two trails.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from ..errors import ConflictError, NotFound, ValidationError, VrboardError
from ..model import Action, AuditEntry, ProgressUpdate, UpdateSource, utcnow
from . import actions as act
from . import audit, chain
from . import common as c
from .context import Actor
from .raw import execute_many, insert_many

CHUNK = 500


@dataclass(slots=True)
class ActionUpdate:
    key: int                                # the caller's name for it (an Excel row number)
    action_id: int
    expected_version: int | None
    changes: Mapping[str, Any]              # column fields only (no plan_codes)
    progress_text: str = ""
    source: str = ""                        # recorded in the audit trail: "file.xlsx row 7"
    source_file: str = ""
    source_row: int | None = None
    author_name: str | None = None
    author_id: int | None = None            # with author_name: whose update it is (a tracker's owner)


@dataclass
class BatchResult:
    applied: list[int] = field(default_factory=list)                        # keys
    refused: list[tuple[int, VrboardError]] = field(default_factory=list)   # (key, why)
    progress_added: int = 0


@dataclass(slots=True)
class _Checked:
    u: ActionUpdate
    action: Action
    values: dict[str, Any]
    progress: str


def apply_updates(session: Session, actor: Actor, updates: Sequence[ActionUpdate], *,
                  all_or_nothing: bool = True, progress_source: UpdateSource = UpdateSource.SPREADSHEET,
                  ) -> BatchResult:
    """Check every update, then write those that pass. With ``all_or_nothing`` a single
    refusal writes nothing (``result.refused`` says why); otherwise the refused updates are
    left out and the rest written. The caller commits."""
    result = BatchResult()
    chain.lock(session.connection())  # before the actions' row locks, as every flush takes them
    actions = _lock(session, sorted({u.action_id for u in updates}))
    checked: list[_Checked] = []
    seen: set[int] = set()
    for u in updates:
        try:
            if u.action_id in seen:
                raise ValidationError(f"{_ref(actions, u.action_id)} is updated twice in one batch; "
                                      "give each action one row.", "reference")
            seen.add(u.action_id)
            checked.append(_check(session, actor, actions, u))
        except VrboardError as exc:
            result.refused.append((u.key, exc))
    if result.refused and all_or_nothing:
        return result
    _write(session, actor, checked, progress_source, result)
    return result


def _lock(session: Session, ids: list[int]) -> dict[int, Action]:
    """The actions as they are now, locked until the transaction ends. A copy already in the
    session (the plan's) is used when it is at the version now stored: every write bumps the
    version, so it is current; the others are read again."""
    t = Action.__table__
    out: dict[int, Action] = {}
    stale: list[int] = []
    for i in range(0, len(ids), CHUNK):
        q = select(t.c.id, t.c.version).where(t.c.id.in_(ids[i:i + CHUNK])).with_for_update()
        for aid, version in session.connection().execute(q).all():
            obj = session.identity_map.get(identity_key(Action, aid))
            if obj is not None and not _unloaded(obj) and obj.version == version:
                out[aid] = obj
            else:
                stale.append(aid)
    for i in range(0, len(stale), CHUNK):
        q = select(Action).where(Action.id.in_(stale[i:i + CHUNK])).execution_options(populate_existing=True)
        out.update((a.id, a) for a in session.scalars(q))
    return out


def _unloaded(obj: Action) -> bool:
    """Has the copy unsaved changes, or columns not loaded (expired at a commit, say)?"""
    state = inspect(obj)
    return bool(state.modified or state.unloaded & _columns())


@cache
def _columns() -> frozenset[str]:
    return frozenset(c.key for c in inspect(Action).column_attrs)


def _check(session: Session, actor: Actor, actions: dict[int, Action], u: ActionUpdate) -> _Checked:
    action = actions.get(u.action_id)
    if action is None:
        raise NotFound(f"There is no action with id {u.action_id} (deleted meanwhile?).")
    c.check_version(action, u.expected_version)
    if "plan_codes" in u.changes:
        raise ValidationError(f"{action.reference}: an action's plans are changed in vrboard, not by "
                              "a batch update.", "plans")
    values: dict[str, Any] = {}
    if u.changes:
        _plans, values = act.check_update(session, actor, action, u.changes)
    text = ""
    if u.progress_text:
        text = act.check_progress(session, actor, action, u.progress_text, status=values.get("status"))
    return _Checked(u, action, values, text)


def _ref(actions: dict[int, Action], action_id: int) -> str:
    a = actions.get(action_id)
    return a.reference if a is not None else f"Action {action_id}"


def _write(session: Session, actor: Actor, rows: list[_Checked], progress_source: UpdateSource,
           result: BatchResult) -> None:
    now = utcnow()
    changes = {id(r): audit.changes_of(r.action, r.values) for r in rows}
    _update_actions(session, [r for r in rows if changes[id(r)]], now)
    progress_ids = _insert_progress(session, actor, [r for r in rows if r.progress], progress_source, now)
    entries: list[dict[str, Any]] = []
    common = audit.entry_base(actor, now)
    for r in rows:
        base = {**common, "source": r.u.source[:500]}
        label = r.action.reference
        entries += [audit.entry(base, "action", r.action.id, label, f, old, new)
                    for f, old, new in changes[id(r)]]
        if r.progress:
            pid, values = progress_ids[id(r)]
            entries.append(audit.created_entry(base, ProgressUpdate, pid, values))
            result.progress_added += 1
        result.applied.append(r.u.key)
    chain.link(session.connection(), entries)
    insert_many(session, AuditEntry.__table__, entries)
    for r in rows:  # the session's copies now show what was written
        if changes[id(r)]:
            _written(r.action, {**r.values, "version": r.action.version + 1, "updated_at": now})
        if r.progress and "updates" in r.action.__dict__:
            session.expire(r.action, ["updates"])


def _written(action: Action, values: dict[str, Any]) -> None:
    for k, v in values.items():
        set_committed_value(action, k, v)


def _update_actions(session: Session, rows: list[_Checked], now: Any) -> None:
    """One executemany UPDATE per set of changed columns; each row matches only at the version
    it was checked at, so a row changed meanwhile is caught, never overwritten."""
    t = Action.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for r in rows:
        keys = tuple(sorted(r.values))
        params = {f"v_{k}": v for k, v in r.values.items()}
        params.update(b_id=r.action.id, b_version=r.action.version, b_next=r.action.version + 1, b_now=now)
        groups.setdefault(keys, []).append(params)
    types = {**{f"v_{c.key}": c.type for c in t.columns}, "b_now": t.c.updated_at.type}
    for keys, params in groups.items():
        stmt = (update(t).where(t.c.id == bindparam("b_id"), t.c.version == bindparam("b_version"))
                .values({**{k: bindparam(f"v_{k}") for k in keys}, "version": bindparam("b_next"),
                         "updated_at": bindparam("b_now")}))
        done = execute_many(session, stmt, params, types)
        if done != len(params):
            raise ConflictError(f"{len(params) - done:,} of the actions being updated were changed by "
                                "someone else while the import was being applied. Nothing was imported; "
                                "import the file again to see their changes.", "action", None)


def _insert_progress(session: Session, actor: Actor, rows: list[_Checked], source: UpdateSource,
                     now: Any) -> dict[int, tuple[int, dict[str, Any]]]:
    if not rows:
        return {}
    today = dt.date.today()  # as add_progress dates an update
    values = [{
        "action_id": r.action.id, "on_date": today,
        "author_id": r.u.author_id if r.u.author_name else actor.person_id,
        "author_name": r.u.author_name or actor.name,
        "recorded_by_name": act.recorded_by(actor, r.u.author_name),
        "text": r.progress, "percent": None, "rag": None,
        "source": source, "source_file": r.u.source_file, "source_row": r.u.source_row, "created_at": now,
    } for r in rows]
    t = ProgressUpdate.__table__
    stmt = insert(t).returning(t.c.id, sort_by_parameter_order=True)
    ids = session.connection().execute(stmt, values).scalars().all()
    return {id(r): (pid, v) for r, pid, v in zip(rows, ids, values, strict=True)}
