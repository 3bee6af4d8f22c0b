"""Read-only queries behind the actions pages: lean rows for the big table, the choices a
form offers, one action's form values and its full detail. No Qt; no rules beyond
reading (the one definition of overdue lives in ``queries``).

Every reader passes the acting user: an action raised from a Part 2 item (see
``services.access``) comes back with what it carries from that item redacted for those
not entitled to it: where it was raised, for everyone not entitled; its title,
description, dropped reason, update texts and sign-off notes, for all but board members
and its owner.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound
from ..model import (
    RAG,
    Action,
    ActionStatus,
    AgendaItem,
    Decision,
    Domain,
    Meeting,
    Minute,
    Person,
    Plan,
    ProgressUpdate,
    SignOff,
    Tag,
    UpdateSource,
    Workstream,
    action_plan,
    action_tag,
)
from .access import (
    ACTION_NOTICE,
    Access,
    access_for,
    exempt_text,
    item_is_exempt,
    part2_action_owners,
)
from .common import uk_date
from .context import Actor, recorded_note
from .raw import Days, raw_rows


def reader_access(session: Session, reader: Actor | Access) -> Access:
    return reader if isinstance(reader, Access) else access_for(session, reader)


def withheld_actions(session: Session, access: Access) -> set[int]:
    """Ids of the Part 2 actions whose content ``access`` may not see."""
    if access.entitled:
        return set()
    return {aid for aid, owner in part2_action_owners(session).items()
            if not access.sees_action_content(owner)}


def _part2(session: Session, action_id: int) -> bool:
    return action_id in part2_action_owners(session)


@dataclass(frozen=True)
class Choice:
    id: int
    code: str
    name: str

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}".strip() if self.code else self.name


@dataclass
class Choices:
    """What an action form offers: workstreams, people, plans and domains."""

    workstreams: list[Choice] = field(default_factory=list)
    people: list[Choice] = field(default_factory=list)
    plans: list[Choice] = field(default_factory=list)
    domains: list[Choice] = field(default_factory=list)
    tags: list[Choice] = field(default_factory=list)  # code: the tag's group (model/lenses.py)


def choices(session: Session, *, active_people_only: bool = True) -> Choices:
    ws = [Choice(i, c, n) for i, c, n in session.execute(
        select(Workstream.id, Workstream.code, Workstream.name)
        .order_by(Workstream.position, Workstream.code))]
    pq = select(Person.id, Person.name).order_by(Person.name)
    if active_people_only:
        pq = pq.where(Person.active.is_(True))
    people = [Choice(i, "", n) for i, n in session.execute(pq)]
    plans = [Choice(i, c, n) for i, c, n in session.execute(
        select(Plan.id, Plan.code, Plan.name).order_by(Plan.code))]
    domains = [Choice(i, "", n + (" (retired)" if retired else "")) for i, n, retired in
               session.execute(select(Domain.id, Domain.name, Domain.retired_on)
                               .order_by(Domain.retired_on.is_not(None), Domain.position,
                                         Domain.name))]
    tags = [Choice(i, g, n) for i, g, n in session.execute(
        select(Tag.id, Tag.tag_group, Tag.name).order_by(Tag.tag_group, Tag.position, Tag.name))]
    return Choices(ws, people, plans, domains, tags)


FORM_FIELDS = (
    "title", "description", "workstream_id", "domain_id", "owner_id", "lead_organisation",
    "start_date", "due_date", "revised_due_date", "status", "rag", "percent_complete",
    "raised_meeting_id", "raised_item_id", "decision_id",
)


@dataclass
class ActionForm:
    """One action's editable values as the form shows them, with the version it was read at."""

    id: int
    reference: str
    version: int
    owner_id: int | None
    values: dict[str, Any]
    plan_codes: list[str]
    raised: str


def action_form(session: Session, action_id: int, reader: Actor | Access) -> ActionForm:
    access = reader_access(session, reader)
    action = session.get(Action, action_id, options=[selectinload(Action.plans)])
    if action is None:
        raise NotFound(f"There is no action with id {action_id}.")
    values = {f: getattr(action, f) for f in FORM_FIELDS}
    if not access.sees_action_content(action.owner_id) and _part2(session, action.id):
        values.update(title=ACTION_NOTICE, description=ACTION_NOTICE)
    return ActionForm(action.id, action.reference, action.version, action.owner_id, values,
                      [p.code for p in action.plans],
                      raised_label(session, action.raised_meeting_id, action.raised_item_id,
                                   action.decision_id, access))


def raised_label(session: Session, meeting_id: int | None, item_id: int | None,
                 decision_id: int | None, reader: Actor | Access) -> str:
    """Where an action was raised, in words: 'VRB meeting 12/03/2019, item 5 "Youth Panel",
    decision 2'. Empty when it was not raised at a meeting. An exempt item's title is
    replaced by the exempt notice for a reader not entitled to it."""
    entitled = reader_access(session, reader).entitled
    parts: list[str] = []
    if meeting_id is not None:
        m = session.get(Meeting, meeting_id)
        if m is not None:
            parts.append(m.label)
    if item_id is not None:
        item = session.get(AgendaItem, item_id)
        if item is not None:
            if not parts:
                parts.append(item.meeting.label)
            parts.append(_item_words(item, entitled))
    if decision_id is not None:
        d = session.get(Decision, decision_id)
        if d is not None:
            if not parts:
                item = session.scalar(select(AgendaItem).join(Minute).where(Minute.id == d.minute_id))
                if item is not None:
                    parts += [item.meeting.label, _item_words(item, entitled)]
            parts.append(f"decision {d.position}")
    return ", ".join(parts)


def _item_words(item: AgendaItem, entitled: bool) -> str:
    if not entitled and item_is_exempt(item.part, item.classification):
        return f"item {item.position} ({exempt_text(item.exempt_paragraph)})"
    return f'item {item.position} "{item.title}"'



# --- the big table ------------------------------------------------------------------------------

#: positions in a row tuple (see ``action_rows``)
(R_ID, R_REF, R_TITLE, R_WS_ID, R_WS_CODE, R_OWNER_ID, R_OWNER, R_DUE, R_STATUS, R_RAG,
 R_PERCENT, R_PLANS, R_LATEST, R_VERSION, R_DESCRIPTION, R_ORIGINAL_DUE, R_REVISED,
 R_DOMAIN_ID, R_TAG_IDS) = range(19)


def action_rows(session: Session, reader: Actor | Access,
                ids: Collection[int] | None = None) -> list[tuple[Any, ...]]:
    """Every action (or those in ``ids``) as a plain tuple: id, reference, title, workstream
    id, workstream code, owner id, owner name, effective due date (revised if any), status,
    RAG, percent, plan codes (comma-separated), date of the latest progress update, version,
    description, original due date, whether the due date was revised, domain id, the ids of
    its tags (a frozenset). Lean Core queries run
    on the driver, no ORM objects per row. A Part 2 action's title and description read as
    the exempt notice for a reader who may not see them."""
    withheld = withheld_actions(session, reader_access(session, reader))
    a, ap, pu = Action.__table__.c, action_plan.c, ProgressUpdate.__table__.c
    ws_code = dict(session.execute(select(Workstream.id, Workstream.code)).all())
    people = dict(session.execute(select(Person.id, Person.name)).all())
    plan_code = dict(session.execute(select(Plan.id, Plan.code)).all())
    plans: dict[int, list[str]] = {}
    links = select(ap.action_id, ap.plan_id)
    latest_q = select(pu.action_id, func.max(pu.on_date)).group_by(pu.action_id)
    q = select(a.id, a.reference, a.title, a.workstream_id, a.owner_id, a.due_date,
               a.revised_due_date, a.status, a.rag, a.percent_complete, a.version, a.description,
               a.domain_id)
    tag_links = select(action_tag.c.action_id, action_tag.c.tag_id)
    if ids is not None:
        wanted = sorted(set(ids))
        links = links.where(ap.action_id.in_(wanted))
        tag_links = tag_links.where(action_tag.c.action_id.in_(wanted))
        latest_q = latest_q.where(pu.action_id.in_(wanted))
        q = q.where(a.id.in_(wanted))
    for aid, pid in raw_rows(session, links):
        plans.setdefault(aid, []).append(plan_code[pid])
    plan_text = {aid: ", ".join(sorted(codes)) for aid, codes in plans.items()}
    tag_sets: dict[int, set[int]] = {}
    for aid, tid in raw_rows(session, tag_links):
        tag_sets.setdefault(aid, set()).add(tid)
    no_tags: frozenset[int] = frozenset()
    day = Days()
    latest = {aid: day[d] for aid, d in raw_rows(session, latest_q)}
    statuses = {s.value: s for s in ActionStatus}
    rags = {r.value: r for r in RAG}
    people[None] = ""  # type: ignore[index]
    out = [
        (aid, ref, title, ws_id, ws_code[ws_id], owner_id, people[owner_id],
         day[revised] or day[due], statuses[status], rags[rag], pct, plan_text.get(aid, ""),
         latest.get(aid), version, desc or "", day[due], revised is not None, dom,
         frozenset(tag_sets[aid]) if aid in tag_sets else no_tags)
        for aid, ref, title, ws_id, owner_id, due, revised, status, rag, pct, version, desc, dom
        in raw_rows(session, q)]
    if withheld:
        out = [(*r[:R_TITLE], ACTION_NOTICE, *r[R_TITLE + 1:R_DESCRIPTION], ACTION_NOTICE,
                *r[R_DESCRIPTION + 1:]) if r[R_ID] in withheld else r for r in out]
    return out


def affected_actions(session: Session, changes: Iterable[Any]) -> set[int]:
    """The actions that audited changes touched: the actions themselves, and those whose
    progress updates, sign-offs or plan links changed (``changes``: ``changes.Change``)."""
    ids: set[int] = set()
    updates: set[int] = set()
    sign_offs: set[int] = set()
    for c in changes:
        if c.entity_id is None:
            continue
        if c.entity in ("action", "action_plan"):
            ids.add(c.entity_id)
        elif c.entity == "progress_update":
            updates.add(c.entity_id)
        elif c.entity == "sign_off":
            sign_offs.add(c.entity_id)
    if updates:
        ids.update(session.scalars(select(ProgressUpdate.action_id)
                                   .where(ProgressUpdate.id.in_(sorted(updates)))))
    if sign_offs:
        ids.update(session.scalars(select(SignOff.action_id).where(SignOff.id.in_(sorted(sign_offs)))))
    return ids


def uk(d: dt.date | None) -> str:
    return uk_date(d)


# --- one action in full -------------------------------------------------------------------------

@dataclass
class UpdateLine:
    on_date: dt.date
    author: str
    text: str
    percent: int | None
    rag: str | None
    source: str


@dataclass
class SignOffLine:
    at: dt.datetime
    kind: str
    by: str
    note: str


@dataclass
class ActionDetail:
    """Everything the detail panel shows about one action, read at ``version``."""

    id: int
    reference: str
    version: int
    title: str
    description: str
    workstream: str
    domain: str
    owner_id: int | None
    owner: str
    lead_organisation: str
    start_date: dt.date | None
    due_date: dt.date | None
    revised_due_date: dt.date | None
    status: Any
    rag: Any
    percent: int
    completed_on: dt.date | None
    dropped_reason: str
    plans: list[tuple[str, str]]
    raised: str
    updated_at: dt.datetime | None
    updates: list[UpdateLine] = field(default_factory=list)
    sign_offs: list[SignOffLine] = field(default_factory=list)
    raised_meeting_id: int | None = None

    @property
    def effective_due(self) -> dt.date | None:
        return self.revised_due_date or self.due_date


def source_text(source: Any, source_file: str, source_row: int | None) -> str:
    """'Spreadsheet KCAP-return.xlsx, row 7' - where an update came from."""
    text = source.label if hasattr(source, "label") else str(source)
    if source_file:
        text += f" {source_file}"
        if source_row is not None:
            text += f", row {source_row}"
    return text


def update_source(u: ProgressUpdate) -> str:
    """Where a progress update came from and who recorded it: "Spreadsheet: from Tom Fletcher's
    tracker VRB actions - Tom Fletcher.xlsx, row 7, imported by Ruth Kaplan"."""
    by = u.recorded_by_name
    if u.source is UpdateSource.SPREADSHEET and u.source_file:
        text = (f"{u.source.label}: from {u.author_name}'s tracker " if by and u.author_name
                else f"{u.source.label} ")
        text += u.source_file + (f", row {u.source_row}" if u.source_row is not None else "")
        return text + (f", imported by {by}" if by else "")
    return source_text(u.source, u.source_file, u.source_row) + (f", recorded by {by}" if by else "")


def _meeting_of(session: Session, a: Action) -> int | None:
    """The meeting an action was raised at, also when only its item or decision is recorded."""
    if a.raised_meeting_id is not None:
        return a.raised_meeting_id
    if a.raised_item_id is not None:
        return session.scalar(select(AgendaItem.meeting_id).where(AgendaItem.id == a.raised_item_id))
    if a.decision_id is not None:
        return session.scalar(select(AgendaItem.meeting_id).join(Minute).join(Decision)
                              .where(Decision.id == a.decision_id))
    return None


def action_detail(session: Session, action_id: int, reader: Actor | Access) -> ActionDetail:
    """One action in full, as ``reader`` may see it (see the module's note on Part 2)."""
    access = reader_access(session, reader)
    a = session.get(Action, action_id, options=[
        selectinload(Action.plans), selectinload(Action.updates),
        selectinload(Action.sign_offs), selectinload(Action.owner),
        selectinload(Action.workstream), selectinload(Action.domain)])
    if a is None:
        raise NotFound(f"There is no action with id {action_id}.")
    updates = [UpdateLine(u.on_date, u.author_name or (u.author.name if u.author else ""), u.text,
                          u.percent, u.rag.label if u.rag else None, update_source(u))
               for u in reversed(a.updates)]
    sign_offs = [SignOffLine(so.at, so.kind.label,
                             so.by.name + recorded_note(so.recorded_by_name, so.by.name), so.note)
                 for so in reversed(a.sign_offs)]
    title, description, dropped = a.title, a.description, a.dropped_reason
    if not access.sees_action_content(a.owner_id) and _part2(session, a.id):
        title = description = ACTION_NOTICE
        dropped = ACTION_NOTICE if dropped else ""
        for u in updates:
            u.text = ACTION_NOTICE
        for so in sign_offs:
            so.note = ACTION_NOTICE if so.note else ""
    return ActionDetail(
        a.id, a.reference, a.version, title, description, f"{a.workstream.code} {a.workstream.name}",
        a.domain.name if a.domain else "", a.owner_id, a.owner.name if a.owner else "",
        a.lead_organisation, a.start_date, a.due_date, a.revised_due_date, a.status, a.rag,
        a.percent_complete, a.completed_on, dropped, [(p.code, p.name) for p in a.plans],
        raised_label(session, a.raised_meeting_id, a.raised_item_id, a.decision_id, access),
        a.updated_at, updates, sign_offs, raised_meeting_id=_meeting_of(session, a))


# --- plans --------------------------------------------------------------------------------------

@dataclass
class PlanCounts:
    """One plan with its period and its actions counted: open ones by RAG, overdue,
    awaiting sign-off, signed off, and mean progress over actions not dropped."""

    id: int
    code: str
    name: str
    period: str
    period_start: dt.date | None
    period_end: dt.date | None
    description: str
    by_rag: dict[RAG, int] = field(default_factory=lambda: {r: 0 for r in RAG})
    total: int = 0
    open: int = 0
    overdue: int = 0
    awaiting: int = 0
    signed_off: int = 0
    mean_percent: float = 0.0


def plan_counts(session: Session, today: dt.date | None = None) -> list[PlanCounts]:
    from .queries import counts_query, tally

    today = today or dt.date.today()
    out = {p.id: PlanCounts(p.id, p.code, p.name, p.period, p.period_start, p.period_end,
                            p.description)
           for p in session.scalars(select(Plan).order_by(Plan.code))}
    tally(out, session.execute(
        counts_query(action_plan.c.plan_id, today).join(Action, Action.id == action_plan.c.action_id)))
    return list(out.values())
