"""What the dashboard shows, gathered in one read: counts, late and due actions, the next
meeting and what its pack still lacks. Built on ``queries``; no rule of its own."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import RAG, Action, ActionStatus, Meeting
from . import queries
from .queries import ActionFilter, WorkstreamCounts


@dataclass
class NextMeeting:
    id: int
    title: str
    starts_at: dt.datetime
    venue: str
    items: int
    gaps: list[str]


@dataclass
class DashboardSummary:
    today: dt.date
    workstreams: list[WorkstreamCounts]
    open_by_rag: dict[RAG, int]
    open_total: int
    overdue: list[Action]
    due_soon: list[Action]
    awaiting: list[Action]
    next_meeting: NextMeeting | None
    inconsistent: list[Action] = field(default_factory=list)


def _with_people(session: Session, actions: list[Action]) -> list[Action]:
    """Load owners and workstreams now, so the rows stay readable after the session closes."""
    ids = [a.id for a in actions]
    if not ids:
        return []
    loaded = {a.id: a for a in session.scalars(
        select(Action).where(Action.id.in_(ids))
        .options(selectinload(Action.owner), selectinload(Action.workstream))
    )}
    return [loaded[i] for i in ids]


def summary(session: Session, today: dt.date | None = None,
            now: dt.datetime | None = None) -> DashboardSummary:
    today = today or dt.date.today()
    counts = queries.workstream_counts(session, today)
    by_rag = {r: sum(w.by_rag.get(r, 0) for w in counts) for r in RAG}
    overdue = queries.list_actions(session, ActionFilter(overdue=True), today)
    overdue.sort(key=lambda a: (a.effective_due or today, a.reference))
    awaiting = queries.list_actions(session, ActionFilter(awaiting_sign_off=True), today)
    awaiting.sort(key=lambda a: (a.completed_on or today, a.reference))
    soon = _with_people(session, queries.due_soon(session, today))
    nxt = queries.next_meeting(session, now)
    meeting = _next(session, nxt) if nxt is not None else None
    return DashboardSummary(
        today=today, workstreams=counts, open_by_rag=by_rag, open_total=sum(by_rag.values()),
        overdue=overdue, due_soon=soon, awaiting=awaiting, next_meeting=meeting,
        inconsistent=[a for a in overdue if a.is_inconsistent(today)],
    )


def _next(session: Session, m: Meeting) -> NextMeeting:
    return NextMeeting(m.id, m.title, m.starts_at, m.venue, len(m.items),
                       queries.pack_gaps(session, m))


def days_late(action: Action, today: dt.date) -> int:
    due = action.effective_due
    return (today - due).days if due is not None and due < today else 0


def is_awaiting(action: Action) -> bool:
    return action.status is ActionStatus.AWAITING_SIGN_OFF
