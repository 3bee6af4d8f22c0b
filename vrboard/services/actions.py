"""Actions: create, update, progress, completion, the chair's sign-off and reopening."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy import text as sa_text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..errors import ConflictError, PermissionDenied, RuleViolation, ValidationError
from ..model import (
    RAG,
    Action,
    ActionStatus,
    Domain,
    Person,
    Plan,
    ProgressUpdate,
    SignOff,
    SignOffKind,
    UpdateSource,
    Workstream,
)
from . import common as c
from .audit import bind
from .context import Actor, Perm, can, require, require_chair

# Fields an owner may change on their own actions; the secretariat and chair may change all.
OWNER_FIELDS = {"status", "rag", "percent_complete"}
EDITABLE_FIELDS = {
    "title", "description", "workstream_id", "domain_id", "owner_id", "lead_organisation",
    "start_date", "due_date", "revised_due_date", "status", "rag", "percent_complete",
    "plan_codes", "dropped_reason", "raised_meeting_id", "raised_item_id", "decision_id",
}
_REF = re.compile(r"^[A-Z][A-Z0-9]{0,6}-\d{1,6}$")


def _require_can_update(session: Session, actor: Actor, action: Action, fields: Iterable[str]) -> None:
    fields = set(fields)
    if can(actor, Perm.EDIT_ACTIONS):
        return
    if can(actor, Perm.UPDATE_OWN_ACTIONS):
        if action.owner_id != actor.person_id:
            owner = action.owner.name if action.owner else "nobody"
            raise PermissionDenied(
                f"{action.reference} belongs to {owner}; owners may update only their own "
                "actions. The secretariat or the chair may update any action."
            )
        extra = fields - OWNER_FIELDS - {"progress"}
        if extra:
            raise PermissionDenied(
                f"Owners may change status, RAG and percent complete and add progress; "
                f"{', '.join(sorted(extra))} may be changed only by the secretariat or the chair."
            )
        return
    raise PermissionDenied(
        f"Only the secretariat or the chair may update any action, and an owner their own; "
        f"you are signed in as {actor.describe()}, who may only read."
    )


def _require_not_signed_off(action: Action) -> None:
    if action.status is ActionStatus.SIGNED_OFF:
        last = action.sign_offs[-1] if action.sign_offs else None
        by = f" by {last.by.name} on {last.at:%d/%m/%Y}" if last else ""
        raise RuleViolation(
            f"{action.reference} was signed off{by} and is read-only; only the chair can "
            "reopen it, giving a reason."
        )


def next_reference(session: Session, prefix: str) -> str:
    prefix = prefix.upper().rstrip("-")
    refs = session.scalars(select(Action.reference).where(Action.reference.like(f"{prefix}-%")))
    nums = [int(r.rsplit("-", 1)[1]) for r in refs if r.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}-{(max(nums) if nums else 0) + 1:03d}"


def _plans(session: Session, codes: Iterable[str]) -> list[Plan]:
    codes = [str(x).strip().upper() for x in codes if str(x).strip()]
    plans = session.scalars(select(Plan).where(Plan.code.in_(codes))).all()
    missing = sorted(set(codes) - {p.code for p in plans})
    if missing:
        known = ", ".join(session.scalars(select(Plan.code).order_by(Plan.code)))
        raise ValidationError(f"Unknown plan {', '.join(missing)}; known plans: {known}.", "plans")
    return list(plans)


def _check_domain(session: Session, domain_id: int | None, current: int | None) -> None:
    """A retired domain is not given to an action (one already in it keeps it)."""
    if domain_id is None or domain_id == current:
        return
    d = session.get(Domain, domain_id)
    if d is not None and d.retired_on is not None:
        raise ValidationError(f"The domain '{d.name}' was retired on {d.retired_on:%d/%m/%Y}; "
                              "choose a current one.", "domain_id")


def _coerce(session: Session, field: str, value: Any) -> Any:
    if field in ("title",):
        return c.text(value, field, required=True)
    if field in ("description", "dropped_reason"):
        return c.text(value, field.replace("_", " "), max_len=20000)
    if field == "lead_organisation":
        return c.text(value, "lead organisation", max_len=200)
    if field in ("start_date", "due_date", "revised_due_date"):
        return c.date_or_none(value, field.replace("_", " "))
    if field == "percent_complete":
        return c.percent(value)
    if field == "status":
        try:
            return ActionStatus(value)
        except ValueError:
            raise ValidationError(f"'{value}' is not an action status.", field) from None
    if field == "rag":
        try:
            return RAG(value)
        except ValueError:
            raise ValidationError(f"RAG must be red, amber or green, not '{value}'.", field) from None
    if field == "workstream_id":
        return c.get(session, Workstream, value, "workstream").id
    if field == "domain_id":
        return None if value is None else c.get(session, Domain, value, "domain").id
    if field == "owner_id":
        return None if value is None else c.get(session, Person, value, "person").id
    return value


def create_action(session: Session, actor: Actor, **fields: Any) -> Action:
    """A new action. ``reference`` is generated from the first plan's prefix (or the
    workstream code) when not given."""
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    unknown = set(fields) - EDITABLE_FIELDS - {"reference"}
    if unknown:
        raise ValidationError(f"Unknown action field(s): {', '.join(sorted(unknown))}.")
    if "workstream_id" not in fields:
        raise ValidationError("An action needs a workstream.", "workstream_id")
    plans = _plans(session, fields.pop("plan_codes", []) or [])
    values = {k: _coerce(session, k, v) for k, v in fields.items() if k != "reference"}
    _check_domain(session, values.get("domain_id"), None)
    typed = str(fields.get("reference") or "").strip().upper()
    if typed and not _REF.match(typed):
        raise ValidationError(
            f"Reference '{typed}' should look like KC-012: letters, a dash, a number.", "reference"
        )
    status = values.get("status", ActionStatus.NOT_STARTED)
    if status in (ActionStatus.SIGNED_OFF,):
        raise RuleViolation("A new action cannot start signed off; the chair signs off.")
    if status is ActionStatus.DROPPED and not values.get("dropped_reason"):
        raise ValidationError("A dropped action needs the reason it was dropped.", "dropped_reason")
    prefix = ""
    if not typed:
        ws = session.get(Workstream, values["workstream_id"])
        prefix = next((p.reference_prefix for p in plans if p.reference_prefix), "") or (
            ws.code if ws else "ACT"
        )
    return _insert_action(session, typed, prefix, values, plans)


#: tries at a generated reference when other people keep taking the next one first
REFERENCE_ATTEMPTS = 20


def _insert_action(session: Session, typed: str, prefix: str, values: dict[str, Any],
                   plans: list[Plan]) -> Action:
    """Insert the action under ``typed`` or, when empty, the next free ``prefix`` reference.

    Two people may create actions at the same moment. On SQLite the write lock is taken
    before the highest reference is read (``begin_write``), so the next number is free. On
    PostgreSQL two writers can read the same highest number; the second INSERT then waits
    for the first to commit and fails on the unique reference. It runs in a savepoint, so
    that failure is undone alone and the next number is tried: a user who typed no
    reference never reads that theirs is taken. A typed reference that someone else took
    first is refused with a message saying so.

    On PostgreSQL a transaction-level advisory lock on the prefix queues the writers as
    well: without it a busy writer could take every next number first and starve the other
    (seen with two processes creating 25 actions each)."""
    c.begin_write(session)
    conn = session.connection()
    if conn.dialect.name == "postgresql" and not typed:
        conn.execute(sa_text("SELECT pg_advisory_xact_lock(hashtext(:k))"),
                     {"k": f"vrboard.reference.{prefix}"})
    for _attempt in range(REFERENCE_ATTEMPTS):
        ref = typed or next_reference(session, prefix)
        if typed and session.scalar(select(Action.id).where(Action.reference == ref)) is not None:
            raise ValidationError(f"Reference {ref} is already used by another action; choose "
                                  "another, or leave it blank for the next free one.", "reference")
        action = Action(reference=ref, **values)
        action.plans = plans
        _check_dates(action)
        try:
            with session.begin_nested():
                session.add(action)
                c.flush(session, action)
        except IntegrityError:
            if session.scalar(select(Action.id).where(Action.reference == ref)) is None:
                raise  # not the reference: some other rule of the database refused the row
            if typed:
                raise ValidationError(
                    f"Reference {ref} was taken by another action saved a moment ago; choose "
                    "another, or leave it blank for the next free one.", "reference") from None
            continue
        return action
    raise ConflictError(
        f"Other people were creating {prefix} actions at the same moment and took the next "
        f"{REFERENCE_ATTEMPTS} references first; nothing was saved. Save again.", "action")


def _check_dates(action: Action, values: Mapping[str, Any] | None = None) -> None:
    """Refuse a due (or revised due) date before the start date; ``values`` are changes
    about to be applied, so nothing is changed when they are refused."""
    values = values or {}

    def pick(name: str) -> dt.date | None:
        return values[name] if name in values else getattr(action, name)

    start = pick("start_date")
    for name, label in (("due_date", "due date"), ("revised_due_date", "revised due date")):
        due = pick(name)
        if start and due and due < start:
            raise ValidationError(
                f"{action.reference}: the {label} {c.uk_date(due)} is before the start "
                f"date {c.uk_date(start)}.", name
            )


_ALLOWED = {
    ActionStatus.NOT_STARTED: {ActionStatus.IN_PROGRESS, ActionStatus.AWAITING_SIGN_OFF,
                               ActionStatus.DROPPED},
    ActionStatus.IN_PROGRESS: {ActionStatus.NOT_STARTED, ActionStatus.AWAITING_SIGN_OFF,
                               ActionStatus.DROPPED},
    ActionStatus.AWAITING_SIGN_OFF: {ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED,
                                     ActionStatus.DROPPED},
    ActionStatus.DROPPED: {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS},
    ActionStatus.SIGNED_OFF: set(),
}


def update_action(
    session: Session, actor: Actor, action_id: int, expected_version: int | None,
    changes: Mapping[str, Any],
) -> Action:
    """Apply field changes; refuses stale copies, signed-off actions and bad transitions."""
    bind(session, actor)
    action = c.get(session, Action, action_id, "action")
    c.check_version(action, expected_version)
    # Check everything before changing anything: a refused update leaves the action as it
    # was even in a session that carries on (an import that skips a bad row).
    plans, values = check_update(session, actor, action, changes)
    if plans is not None:
        action.plans = plans
    for k, v in values.items():
        setattr(action, k, v)
    c.flush(session, action)
    return action


def check_update(session: Session, actor: Actor, action: Action,
                 changes: Mapping[str, Any]) -> tuple[list[Plan] | None, dict[str, Any]]:
    """Check ``changes`` to ``action`` against every rule, changing nothing. Returns the plans
    to link (None: leave them) and the column values to set, including what a change of
    status brings with it (100% and the completion date when complete, and so on)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"Unknown action field(s): {', '.join(sorted(unknown))}.")
    _require_can_update(session, actor, action, changes)
    _require_not_signed_off(action)
    changes = dict(changes)
    plans = _plans(session, changes.pop("plan_codes") or []) if "plan_codes" in changes else None
    values = {k: _coerce(session, k, v) for k, v in changes.items()}
    _check_domain(session, values.get("domain_id"), action.domain_id)
    new_status = values.pop("status", action.status)
    if new_status is not action.status:
        _check_transition(actor, action, new_status,
                          values.get("dropped_reason", action.dropped_reason))
    _check_dates(action, values)
    if new_status is not action.status:
        values.update(_transition(action, new_status))
    return plans, values


def _check_transition(actor: Actor, action: Action, new: ActionStatus, dropped_reason: str) -> None:
    old = action.status
    if new is ActionStatus.SIGNED_OFF:
        raise RuleViolation(
            f"{action.reference} can be signed off only by the chair's sign-off, not by "
            "changing its status."
        )
    if new not in _ALLOWED[old]:
        raise RuleViolation(f"{action.reference} cannot go from {old.label} to {new.label}.")
    if new is ActionStatus.DROPPED:
        if not can(actor, Perm.EDIT_ACTIONS):
            raise PermissionDenied(
                f"Only the secretariat or the chair may drop an action; you are signed in as "
                f"{actor.describe()}. Owners report progress and completion."
            )
        if not (dropped_reason or "").strip():
            raise ValidationError(
                f"{action.reference}: give the reason the action is dropped.", "dropped_reason"
            )


def _transition(action: Action, new: ActionStatus) -> dict[str, Any]:
    """The column values a (checked) change of status sets."""
    old = action.status
    out: dict[str, Any] = {}
    if new is ActionStatus.AWAITING_SIGN_OFF:
        out["percent_complete"] = 100
        out["completed_on"] = action.completed_on or dt.date.today()
    elif old is ActionStatus.AWAITING_SIGN_OFF:
        out["completed_on"] = None
    if old is ActionStatus.DROPPED:
        out["dropped_reason"] = ""
    out["status"] = new
    return out


def add_progress(
    session: Session, actor: Actor, action_id: int, text: str, *,
    percent: int | None = None, rag: RAG | str | None = None, on_date: dt.date | None = None,
    expected_version: int | None = None, source: UpdateSource = UpdateSource.APP,
    source_file: str = "", source_row: int | None = None, author_name: str | None = None,
    author_id: int | None = None,
) -> ProgressUpdate:
    """Add a dated update to the history; its percent and RAG become the action's.

    The author is the actor unless ``author_name`` (and ``author_id``) name the person whose
    update it is (an owner whose tracker the secretariat imports); who recorded it for them is
    kept with it."""
    bind(session, actor)
    action = c.get(session, Action, action_id, "action")
    c.check_version(action, expected_version)
    fields = {"progress"} | ({"percent_complete"} if percent is not None else set()) | (
        {"rag"} if rag is not None else set())
    body = check_progress(session, actor, action, text, fields)
    pct = None if percent is None else c.percent(percent, "percent")
    rag_v = None if rag is None else _coerce(session, "rag", rag)
    update = ProgressUpdate(
        action=action, on_date=on_date or dt.date.today(),
        author_id=author_id if author_name else actor.person_id,
        author_name=author_name or actor.name, text=body, percent=pct, rag=rag_v, source=source,
        source_file=source_file, source_row=source_row,
        recorded_by_name=recorded_by(actor, author_name),
    )
    session.add(update)
    if pct is not None:
        action.percent_complete = pct
        if pct > 0 and action.status is ActionStatus.NOT_STARTED:
            action.status = ActionStatus.IN_PROGRESS
    if rag_v is not None:
        action.rag = rag_v
    c.flush(session, action)
    return update


def recorded_by(actor: Actor, author_name: str | None) -> str:
    """Who recorded a progress update for its author: the secretariat acting for them (--as),
    or the person importing an owner's tracker; empty when authors record their own."""
    if actor.recorded_by_name:
        return actor.recorded_by_name
    return actor.name if author_name and author_name != actor.name else ""


def check_progress(session: Session, actor: Actor, action: Action, text: str | None,
                   fields: Iterable[str] = ("progress",), status: ActionStatus | None = None) -> str:
    """Check a progress update to ``action`` (whose status is, or is about to be, ``status``),
    changing nothing; returns the text as it will be stored (None: the text is checked
    elsewhere)."""
    _require_can_update(session, actor, action, fields)
    _require_not_signed_off(action)
    if (status or action.status) is ActionStatus.DROPPED:
        raise RuleViolation(f"{action.reference} was dropped; reinstate it before adding progress.")
    return "" if text is None else c.text(text, "progress update", required=True, max_len=20000)


def mark_complete(
    session: Session, actor: Actor, action_id: int, expected_version: int | None, note: str = ""
) -> Action:
    """Owner or secretariat: the work is done; it now awaits the chair's sign-off."""
    action = update_action(session, actor, action_id, expected_version,
                           {"status": ActionStatus.AWAITING_SIGN_OFF})
    if note.strip():
        add_progress(session, actor, action.id, note, percent=100)
    return action


def sign_off(
    session: Session, actor: Actor, action_id: int, expected_version: int | None, note: str = ""
) -> Action:
    bind(session, actor)
    action = c.get(session, Action, action_id, "action")
    c.check_version(action, expected_version)
    require_chair(session, actor, "sign off actions")
    if action.status is not ActionStatus.AWAITING_SIGN_OFF:
        raise RuleViolation(
            f"{action.reference} is {action.status.label.lower()}; only actions that are "
            "complete and awaiting sign-off can be signed off."
        )
    assert actor.person_id is not None
    action.status = ActionStatus.SIGNED_OFF
    session.add(SignOff(action=action, kind=SignOffKind.SIGNED_OFF, by_id=actor.person_id,
                        note=c.text(note, "note", max_len=5000),
                        recorded_by_name=actor.recorded_by_name))
    c.flush(session, action)
    return action


def reopen(
    session: Session, actor: Actor, action_id: int, expected_version: int | None, reason: str
) -> Action:
    bind(session, actor)
    action = c.get(session, Action, action_id, "action")
    c.check_version(action, expected_version)
    require_chair(session, actor, "reopen signed-off actions")
    if action.status is not ActionStatus.SIGNED_OFF:
        raise RuleViolation(f"{action.reference} is not signed off, so there is nothing to reopen.")
    why = c.text(reason, "reason", required=True, max_len=5000)
    assert actor.person_id is not None
    action.status = ActionStatus.IN_PROGRESS
    action.completed_on = None
    session.add(SignOff(action=action, kind=SignOffKind.REOPENED, by_id=actor.person_id, note=why,
                        recorded_by_name=actor.recorded_by_name))
    c.flush(session, action)
    return action


def drop(
    session: Session, actor: Actor, action_id: int, expected_version: int | None, reason: str
) -> Action:
    why = c.text(reason, "reason", required=True, max_len=5000)
    return update_action(session, actor, action_id, expected_version,
                         {"dropped_reason": why, "status": ActionStatus.DROPPED})
