"""What the dashboard shows, gathered in one read: counts, late and due actions, the next
meeting and what its pack still lacks. Built on ``queries``; no rule of its own."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ..model import RAG, Action, ActionStatus, Meeting, Person, Workstream
from . import queries
from .access import ACTION_NOTICE, Access
from .action_rows import reader_access, withheld_actions
from .context import Actor
from .queries import WorkstreamCounts


@dataclass(frozen=True, slots=True)
class DashRow:
    """One action as the dashboard lists it: plain values read with one Core query."""

    id: int
    reference: str
    title: str
    owner: str
    workstream: str
    workstream_position: int
    due_date: dt.date | None
    revised_due_date: dt.date | None
    status: ActionStatus
    rag: RAG
    completed_on: dt.date | None

    @property
    def effective_due(self) -> dt.date | None:
        return self.revised_due_date or self.due_date

    def is_overdue(self, today: dt.date) -> bool:
        due = self.effective_due
        return due is not None and due < today and self.status.is_open

    def is_inconsistent(self, today: dt.date) -> bool:
        return self.is_overdue(today) and self.rag is RAG.GREEN


@dataclass
class NextMeeting:
    id: int
    title: str
    starts_at: dt.datetime
    venue: str
    items: int
    gaps: list[str]
    pack_due: str = ""  # "Pack due by Thu 03/12/2026" (services/cycle.py)


@dataclass
class DashboardSummary:
    today: dt.date
    workstreams: list[WorkstreamCounts]
    open_by_rag: dict[RAG, int]
    open_total: int
    overdue: list[DashRow]
    due_soon: list[DashRow]
    awaiting: list[DashRow]
    next_meeting: NextMeeting | None
    inconsistent: list[DashRow] = field(default_factory=list)


def _rows(session: Session, withheld: set[int], *where: ColumnElement[bool]) -> list[DashRow]:
    """Light rows for the lists (tens of thousands load in well under a second); the titles of
    ``withheld`` (Part 2) actions read as the exempt notice."""
    a = Action.__table__
    q = (select(a.c.id, a.c.reference, a.c.title, func.coalesce(Person.name, ""), Workstream.code,
                Workstream.position, a.c.due_date, a.c.revised_due_date, a.c.status, a.c.rag,
                a.c.completed_on)
         .join(Workstream, Workstream.id == a.c.workstream_id)
         .outerjoin(Person, Person.id == a.c.owner_id)
         .where(*where).order_by(a.c.reference))
    rows = [DashRow(*r) for r in session.execute(q)]
    return [replace(r, title=ACTION_NOTICE) if r.id in withheld else r for r in rows]


def summary(session: Session, reader: Actor | Access, today: dt.date | None = None,
            now: dt.datetime | None = None) -> DashboardSummary:
    """The dashboard as ``reader`` may see it (Part 2 actions' titles per ``services.access``)."""
    today = today or dt.date.today()
    access = reader_access(session, reader)
    withheld = withheld_actions(session, access)
    counts = queries.workstream_counts(session, today)
    by_rag = {r: sum(w.by_rag.get(r, 0) for w in counts) for r in RAG}
    due = queries.effective_due()
    overdue = _rows(session, withheld, queries.overdue_clause(today))
    overdue.sort(key=lambda a: (a.effective_due or today, a.reference))
    awaiting = _rows(session, withheld, Action.status == ActionStatus.AWAITING_SIGN_OFF)
    awaiting.sort(key=lambda a: (a.completed_on or today, a.reference))
    soon = _rows(session, withheld, Action.status.in_(queries.OPEN), due >= today,
                 due <= today + dt.timedelta(days=queries.DUE_SOON_DAYS))
    soon.sort(key=lambda a: (a.effective_due or today, a.reference))
    nxt = queries.next_meeting(session, now)
    meeting = _next(session, nxt, access.entitled, today) if nxt is not None else None
    return DashboardSummary(
        today=today, workstreams=counts, open_by_rag=by_rag, open_total=sum(by_rag.values()),
        overdue=overdue, due_soon=soon, awaiting=awaiting, next_meeting=meeting,
        inconsistent=[a for a in overdue if a.is_inconsistent(today)],
    )


def _next(session: Session, m: Meeting, entitled: bool, today: dt.date) -> NextMeeting:
    from .cycle import describe_due

    return NextMeeting(m.id, m.title, m.starts_at, m.venue, len(m.items),
                       queries.pack_gaps(session, m, entitled), describe_due(m, today, session))


def days_late(action: DashRow, today: dt.date) -> int:
    due = action.effective_due
    return (today - due).days if due is not None and due < today else 0
