"""Services behind the Excel round trip: what a tracker shows, what an import may do.

The import applies its changes through ``services.actions`` (update_action,
add_progress, create_action), so every rule and audit entry holds. The checks
here let the change plan report, before anything is written, the same refusals
those services would give, using the same rule functions.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, RuleViolation, ValidationError
from ..model import (
    RAG,
    Action,
    ActionStatus,
    ColumnMapping,
    Domain,
    ExportBatch,
    Meeting,
    MeetingStatus,
    Person,
    Plan,
    ProgressUpdate,
    Tag,
    Workstream,
    action_plan,
    action_tag,
)
from . import actions as act
from . import common as c
from .access import ACTION_NOTICE, OS, access_for, marking, part2_action_owners
from .action_rows import withheld_actions
from .audit import bind
from .context import Actor, Perm, find_person, require
from .raw import Days, raw_rows

# --- what an export shows ------------------------------------------------------------------

@dataclass(slots=True)
class TrackerRow:
    id: int
    reference: str
    version: int
    title: str
    description: str
    workstream: str
    plans: str
    owner: str
    lead_organisation: str
    due_date: dt.date | None
    revised_due_date: dt.date | None
    status: ActionStatus
    rag: Any
    percent_complete: int
    latest_update: str
    domain: str = ""   # read-only lenses (model/lenses.py): the domain's name...
    tags: str = ""     # ...and the groups it addresses, "Age band: Under 25; Gender: Male"


@dataclass
class TrackerFilter:
    workstream_id: int | None = None
    owner_id: int | None = None
    plan_id: int | None = None
    description: str = "All actions"
    owner_name: str = ""
    action_ids: tuple[int, ...] | None = None   # just these actions (an import's second look)


def resolve_filter(session: Session, *, workstream: str | None = None, owner: str | None = None,
                   plan: str | None = None) -> TrackerFilter:
    """Turn the user's words (a workstream code, an owner's name or login, a plan code) into ids."""
    f = TrackerFilter()
    said: list[str] = []
    if workstream:
        ws = session.scalars(select(Workstream).where(
            func.upper(Workstream.code) == workstream.strip().upper())).first()
        if ws is None:
            known = ", ".join(session.scalars(select(Workstream.code).order_by(Workstream.position)))
            raise NotFound(f"There is no workstream '{workstream}'; known workstreams: {known}.")
        f.workstream_id = ws.id
        said.append(f"workstream {ws.code} {ws.name}")
    if owner:
        person = find_person(session, owner)
        if person is None:
            raise NotFound(f"Nobody on this board has the name, login or e-mail '{owner}'.")
        f.owner_id, f.owner_name = person.id, person.name
        said.append(f"owner {person.name}")
    if plan:
        p = session.scalars(select(Plan).where(func.upper(Plan.code) == plan.strip().upper())).first()
        if p is None:
            known = ", ".join(session.scalars(select(Plan.code).order_by(Plan.code)))
            raise NotFound(f"There is no plan '{plan}'; known plans: {known}.")
        f.plan_id = p.id
        said.append(f"plan {p.code} {p.name}")
    if said:
        f.description = "Actions for " + "; ".join(said)
    return f


def tracker_rows(session: Session, actor: Actor, f: TrackerFilter) -> Iterator[TrackerRow]:
    """The actions a tracker lists, in reference order, read with a few Core queries."""
    require(actor, Perm.EXPORT)
    a = Action.__table__
    q = (select(a.c.id, a.c.reference, a.c.version, a.c.title, a.c.description, Workstream.code,
                Person.name, a.c.lead_organisation, a.c.due_date, a.c.revised_due_date, a.c.status,
                a.c.rag, a.c.percent_complete, a.c.domain_id)
         .join(Workstream, Workstream.id == a.c.workstream_id)
         .outerjoin(Person, Person.id == a.c.owner_id)
         .order_by(a.c.reference))
    if f.workstream_id is not None:
        q = q.where(a.c.workstream_id == f.workstream_id)
    if f.owner_id is not None:
        q = q.where(a.c.owner_id == f.owner_id)
    if f.plan_id is not None:
        q = q.where(a.c.id.in_(select(action_plan.c.action_id).where(action_plan.c.plan_id == f.plan_id)))
    if f.action_ids is not None:
        q = q.where(a.c.id.in_(f.action_ids))
    plans: dict[int, list[str]] = {}
    for aid, code in session.execute(select(action_plan.c.action_id, Plan.code)
                                     .join(Plan, Plan.id == action_plan.c.plan_id).order_by(Plan.code)):
        plans.setdefault(aid, []).append(code)
    latest = _latest_updates(session)
    domains = {i: n for i, n in session.execute(select(Domain.id, Domain.name))}
    tags: dict[int, list[str]] = {}
    for aid, group, name in session.execute(
            select(action_tag.c.action_id, Tag.tag_group, Tag.name).join(Tag, Tag.id == action_tag.c.tag_id)
            .order_by(Tag.tag_group, Tag.position, Tag.name)):
        tags.setdefault(aid, []).append(f"{group}: {name}")
    # need-to-know: a Part 2 action's title, description and updates only for those entitled
    withheld = withheld_actions(session, access_for(session, actor))
    for r in session.execute(q):
        if r[0] in withheld:
            yield TrackerRow(r[0], r[1], r[2], ACTION_NOTICE, ACTION_NOTICE, r[5],
                             ", ".join(plans.get(r[0], ())), r[6] or "", r[7] or "", r[8], r[9],
                             ActionStatus(r[10]), r[11], r[12], ACTION_NOTICE if r[0] in latest else "",
                             domains.get(r[13], ""), "; ".join(tags.get(r[0], ())))
            continue
        yield TrackerRow(r[0], r[1], r[2], r[3], r[4] or "", r[5], ", ".join(plans.get(r[0], ())),
                         r[6] or "", r[7] or "", r[8], r[9], ActionStatus(r[10]), r[11], r[12],
                         latest.get(r[0], ""), domains.get(r[13], ""), "; ".join(tags.get(r[0], ())))


def tracker_marking(session: Session, rows: Iterable[TrackerRow]) -> str:
    """The workbook's marking: OFFICIAL-SENSITIVE when it shows what a Part 2 action carries
    from its item (to a reader entitled to it, or its owner), else OFFICIAL."""
    part2 = part2_action_owners(session)
    return marking(OS if r.id in part2 and r.title != ACTION_NOTICE else None for r in rows).value


def _latest_updates(session: Session) -> dict[int, str]:
    last = select(func.max(ProgressUpdate.id)).group_by(ProgressUpdate.action_id).scalar_subquery()
    rows = session.execute(select(ProgressUpdate.action_id, ProgressUpdate.on_date, ProgressUpdate.text)
                           .where(ProgressUpdate.id.in_(last)))
    return {aid: f"{d:%d/%m/%Y}: {t}" for aid, d, t in rows}


def record_export(session: Session, actor: Actor, description: str, rows: int) -> ExportBatch:
    """The export's identity, which travels in the workbook (ExportBatch is not audited)."""
    require(actor, Perm.EXPORT)
    batch = ExportBatch(id=str(uuid.uuid4()), by_id=actor.person_id, description=description[:500],
                        row_count=rows)
    session.add(batch)
    session.flush()
    return batch


def default_return_by(session: Session, today: dt.date | None = None) -> dt.date:
    """When owners should return their trackers: a week before the next planned meeting (in time
    for the pack, published five clear days before it), but never sooner than five days from
    today; a fortnight from today when no meeting is planned."""
    today = today or dt.date.today()
    nxt = session.scalar(select(func.min(Meeting.starts_at)).where(
        Meeting.status == MeetingStatus.PLANNED, Meeting.starts_at >= dt.datetime.combine(today, dt.time())))
    if nxt is None:
        return today + dt.timedelta(days=14)
    return max(nxt.date() - dt.timedelta(days=7), today + dt.timedelta(days=5))


def record_stamp(session: Session, batch: ExportBatch, owner_id: int | None, owner_name: str,
                 action_ids: Iterable[int], digest: str) -> None:
    """What the export's hidden stamp says, kept so that a returned file's stamp can be checked:
    whom the tracker was for, which actions it carried, and the stamp's SHA-256."""
    batch.owner_id, batch.owner_name = owner_id, owner_name[:200]
    batch.action_ids = ",".join(map(str, action_ids))
    batch.stamp_digest = digest
    session.flush()


def exported_ids(batch: ExportBatch) -> set[int]:
    return {int(x) for x in batch.action_ids.split(",") if x}


# --- what an import may do -----------------------------------------------------------------

class ActionState(NamedTuple):
    """An action's editable fields as the import compares them (a tuple: quick to make
    50,000 of, and the import's bulk check reads its fields by position)."""

    id: int
    reference: str
    version: int
    status: ActionStatus
    rag: RAG
    percent_complete: int
    revised_due_date: dt.date | None


_STATUS = {m.value: m for m in ActionStatus}
_RAG = {m.value: m for m in RAG}


def action_states(session: Session) -> dict[str, ActionState]:
    """Every action's editable fields, by upper-case reference (one query, on the driver)."""
    a = Action.__table__.c
    q = select(a.id, a.reference, a.version, a.status, a.rag, a.percent_complete, a.revised_due_date)
    status, rag, day, make = _STATUS, _RAG, Days(), ActionState._make
    return {r[1].upper(): make((r[0], r[1], r[2], status[r[3]], rag[r[4]], r[5], day[r[6]]))
            for r in raw_rows(session, q)}


def by_title(session: Session, states: Mapping[str, ActionState]) -> dict[str, ActionState]:
    """Actions whose title is unique, by normalised title: rows of a tracker without references
    (a legacy tracker) match them, so importing it again does not create them twice."""
    seen: dict[str, ActionState | None] = {}
    for ref, title in session.execute(select(Action.reference, Action.title)):
        s = states.get(ref.upper())
        if s is None:
            continue
        key = same_text(title)
        seen[key] = None if key in seen else s
    return {k: v for k, v in seen.items() if v is not None}


def load_actions(session: Session, ids: Iterable[int]) -> dict[int, Action]:
    """Actions loaded in batches, for the rule checks and the services; the caller holds the
    dict so the session's identity map keeps them. (Owner and sign-offs load lazily, only
    for the messages of refusals.)"""
    ids = list(ids)
    out: dict[int, Action] = {}
    for i in range(0, len(ids), 500):
        out.update({a.id: a for a in session.scalars(select(Action).where(Action.id.in_(ids[i:i + 500])))})
    return out


def check_update(session: Session, actor: Actor, action: Action, changes: Mapping[str, Any],
                 progress: bool = False) -> dict[str, Any]:
    """Raise what ``update_action`` (and then ``add_progress``) would raise, writing nothing.
    Returns the column values the update would set, including those that follow from another
    (a status of Complete sets 100% and the completion date)."""
    _plans, values = act.check_update(session, actor, action, changes)
    if progress:
        act.check_progress(session, actor, action, None, status=values.get("status"))
    return values


def check_progress_text(text: str) -> str:
    return c.text(text, "progress update", required=True, max_len=20000)


def check_new_action(session: Session, actor: Actor, fields: Mapping[str, Any],
                     taken: set[str]) -> dict[str, Any]:
    """Validate a new action from a spreadsheet row the way ``create_action`` does; returns the
    keyword arguments for it (names resolved to ids)."""
    require(actor, Perm.EDIT_ACTIONS)
    out: dict[str, Any] = {}
    ref = str(fields.get("reference") or "").strip().upper()
    if ref:
        if not act._REF.match(ref):
            raise ValidationError(f"Reference '{ref}' should look like KC-012: letters, a dash, a number.",
                                  "reference")
        if ref in taken:
            raise ValidationError(f"Reference {ref} appears more than once in the file.", "reference")
        out["reference"] = ref
    out["title"] = c.text(fields.get("title"), "title", required=True)
    ws_word = str(fields.get("workstream") or "").strip()
    if not ws_word:
        raise ValidationError("A new action needs a workstream (e.g. WS3).", "workstream")
    ws = session.scalars(select(Workstream).where(
        (func.upper(Workstream.code) == ws_word.upper()) | (func.lower(Workstream.name) == ws_word.lower())
    )).first()
    if ws is None:
        known = ", ".join(session.scalars(select(Workstream.code).order_by(Workstream.position)))
        raise ValidationError(f"There is no workstream '{ws_word}'; known: {known}.", "workstream")
    out["workstream_id"] = ws.id
    owner = str(fields.get("owner") or "").strip()
    if owner:
        person = find_person(session, owner)
        if person is None:
            raise ValidationError(f"Nobody on this board is called '{owner}' (name, login or e-mail).",
                                  "owner")
        out["owner_id"] = person.id
    if fields.get("plans"):
        out["plan_codes"] = [p.code for p in act._plans(session, fields["plans"])]
    for k in ("description", "lead_organisation", "start_date", "due_date", "revised_due_date",
              "status", "rag", "percent_complete"):
        if fields.get(k) not in (None, ""):
            out[k] = act._coerce(session, k, fields[k])
    if out.get("status") is ActionStatus.SIGNED_OFF:
        raise RuleViolation("A new action cannot start signed off; the chair signs off.")
    if out.get("status") is ActionStatus.DROPPED:
        raise ValidationError("A new action cannot start dropped.", "status")
    if out.get("start_date") and out.get("due_date") and out["due_date"] < out["start_date"]:
        raise ValidationError("The due date is before the start date.", "due_date")
    return out


def recorded_progress(session: Session, action_ids: Iterable[int],
                      since: dt.datetime | None) -> set[tuple[int, str]]:
    """(action id, text) of progress already recorded, for not adding the same update twice."""
    ids = list(action_ids)
    out: set[tuple[int, str]] = set()
    for i in range(0, len(ids), 500):
        q = select(ProgressUpdate.action_id, ProgressUpdate.text).where(
            ProgressUpdate.action_id.in_(ids[i:i + 500]))
        if since is not None:
            q = q.where(ProgressUpdate.created_at >= since)
        out.update((aid, same_text(t)) for aid, t in session.execute(q))
    return out


def same_text(s: str) -> str:
    return " ".join(s.split()).lower()


def export_batch(session: Session, batch_id: str) -> ExportBatch | None:
    return session.get(ExportBatch, batch_id) if batch_id else None


# --- saved column mappings -----------------------------------------------------------------

def save_column_mapping(session: Session, actor: Actor, name: str,
                        mapping: Mapping[str, str]) -> ColumnMapping:
    bind(session, actor)
    require(actor, Perm.IMPORT)
    name = c.text(name, "mapping name", required=True, max_len=100)
    body = json.dumps(dict(mapping), ensure_ascii=False, sort_keys=True)
    row = session.scalars(select(ColumnMapping).where(func.lower(ColumnMapping.name) == name.lower())).first()
    if row is None:
        row = ColumnMapping(name=name, mapping_json=body)
        session.add(row)
    else:
        row.mapping_json = body
    c.flush(session, row)
    return row


def column_mappings(session: Session) -> list[tuple[str, dict[str, str]]]:
    return [(m.name, json.loads(m.mapping_json))
            for m in session.scalars(select(ColumnMapping).order_by(ColumnMapping.name))]


def column_mapping(session: Session, name: str) -> dict[str, str]:
    row = session.scalars(select(ColumnMapping).where(
        func.lower(ColumnMapping.name) == name.strip().lower())).first()
    if row is None:
        known = ", ".join(n for n, _ in column_mappings(session)) or "none saved yet"
        raise NotFound(f"There is no saved column mapping '{name}'; saved mappings: {known}.")
    return dict(json.loads(row.mapping_json))
