"""Read-only queries behind the actions pages: lean rows for the big table, the choices a
form offers, one action's form values and its full detail. No Qt; no rules beyond
reading (the one definition of overdue lives in ``queries``).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import NotFound
from ..model import (
    Action,
    AgendaItem,
    Decision,
    Domain,
    Meeting,
    Minute,
    Person,
    Plan,
    ProgressUpdate,
    Workstream,
    action_plan,
)
from .common import uk_date


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
    domains = [Choice(i, "", n) for i, n in session.execute(
        select(Domain.id, Domain.name).order_by(Domain.position, Domain.name))]
    return Choices(ws, people, plans, domains)


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


def action_form(session: Session, action_id: int) -> ActionForm:
    action = session.get(Action, action_id, options=[selectinload(Action.plans)])
    if action is None:
        raise NotFound(f"There is no action with id {action_id}.")
    values = {f: getattr(action, f) for f in FORM_FIELDS}
    return ActionForm(action.id, action.reference, action.version, action.owner_id, values,
                      [p.code for p in action.plans],
                      raised_label(session, action.raised_meeting_id, action.raised_item_id,
                                   action.decision_id))


def raised_label(session: Session, meeting_id: int | None, item_id: int | None,
                 decision_id: int | None) -> str:
    """Where an action was raised, in words: 'VRB meeting 12/03/2019, item 5 "Youth Panel",
    decision 2'. Empty when it was not raised at a meeting."""
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
            parts.append(f'item {item.position} "{item.title}"')
    if decision_id is not None:
        d = session.get(Decision, decision_id)
        if d is not None:
            if not parts:
                item = session.scalar(select(AgendaItem).join(Minute).where(Minute.id == d.minute_id))
                if item is not None:
                    parts += [item.meeting.label, f'item {item.position} "{item.title}"']
            parts.append(f"decision {d.position}")
    return ", ".join(parts)


# --- the big table ------------------------------------------------------------------------------

#: positions in a row tuple (see ``action_rows``)
(R_ID, R_REF, R_TITLE, R_WS_ID, R_WS_CODE, R_OWNER_ID, R_OWNER, R_DUE, R_STATUS, R_RAG,
 R_PERCENT, R_PLANS, R_LATEST, R_VERSION, R_DESCRIPTION) = range(15)


def action_rows(session: Session) -> list[tuple[Any, ...]]:
    """Every action as a plain tuple, in reference order: id, reference, title, workstream id,
    workstream code, owner id, owner name, effective due date (revised if any), status, RAG,
    percent, plan codes (comma-separated), date of the latest progress update, version,
    description. Three lean Core queries, no ORM objects per row."""
    plans: dict[int, list[str]] = {}
    for aid, code in session.execute(
        select(action_plan.c.action_id, Plan.code).join(Plan, Plan.id == action_plan.c.plan_id)
        .order_by(action_plan.c.action_id, Plan.code)
    ):
        plans.setdefault(aid, []).append(code)
    latest = dict(session.execute(
        select(ProgressUpdate.action_id, func.max(ProgressUpdate.on_date))
        .group_by(ProgressUpdate.action_id)).all())
    a = Action.__table__.c
    q = (
        select(a.id, a.reference, a.title, a.workstream_id, Workstream.code, a.owner_id, Person.name,
               func.coalesce(a.revised_due_date, a.due_date), a.status, a.rag, a.percent_complete,
               a.version, a.description)
        .select_from(Action.__table__)
        .join(Workstream.__table__, Workstream.id == a.workstream_id)
        .outerjoin(Person.__table__, Person.id == a.owner_id)
        .order_by(a.reference)
    )
    out = []
    for (aid, ref, title, ws_id, ws_code, owner_id, owner, due, status, rag, pct, version,
         desc) in session.execute(q):
        out.append((aid, ref, title, ws_id, ws_code, owner_id, owner or "", _date(due), status,
                    rag, pct, ", ".join(plans.get(aid, ())), latest.get(aid), version, desc or ""))
    return out


def _date(value: Any) -> dt.date | None:
    """SQLite may hand back an ISO string from coalesce(); PostgreSQL a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def uk(d: dt.date | None) -> str:
    return uk_date(d)
