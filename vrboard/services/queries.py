"""Read-only questions the pages, packs and command line ask of the record."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from ..model import RAG, Action, ActionStatus, Meeting, MeetingStatus, Workstream

OPEN = (ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS)
#: "Due soon" means due within this many days, on every page and list.
DUE_SOON_DAYS = 14


def effective_due() -> ColumnElement[dt.date]:
    return func.coalesce(Action.revised_due_date, Action.due_date)


def overdue_clause(today: dt.date) -> ColumnElement[bool]:
    """Past its (revised) due date and not complete: the one definition of overdue."""
    return and_(Action.status.in_(OPEN), effective_due() < today)


def inconsistent_clause(today: dt.date) -> ColumnElement[bool]:
    return and_(overdue_clause(today), Action.rag == RAG.GREEN)


@dataclass
class ActionFilter:
    workstream_id: int | None = None
    plan_code: str | None = None
    owner_id: int | None = None
    status: ActionStatus | None = None
    rag: RAG | None = None
    overdue: bool = False
    awaiting_sign_off: bool = False
    open_only: bool = False
    search: str = ""
    domain_id: int | None = None
    tag_id: int | None = None  # the actions tagged with this group (model/lenses.py)


def list_actions(session: Session, f: ActionFilter | None = None,
                 today: dt.date | None = None) -> list[Action]:
    f = f or ActionFilter()
    today = today or dt.date.today()
    q = select(Action).options(
        selectinload(Action.owner), selectinload(Action.workstream), selectinload(Action.plans)
    )
    if f.workstream_id is not None:
        q = q.where(Action.workstream_id == f.workstream_id)
    if f.plan_code:
        q = q.where(Action.plans.any(code=f.plan_code))
    if f.owner_id is not None:
        q = q.where(Action.owner_id == f.owner_id)
    if f.status is not None:
        q = q.where(Action.status == f.status)
    if f.rag is not None:
        q = q.where(Action.rag == f.rag)
    if f.overdue:
        q = q.where(overdue_clause(today))
    if f.awaiting_sign_off:
        q = q.where(Action.status == ActionStatus.AWAITING_SIGN_OFF)
    if f.open_only:
        q = q.where(Action.status.in_(OPEN))
    if f.domain_id is not None:
        q = q.where(Action.domain_id == f.domain_id)
    if f.tag_id is not None:
        q = q.where(Action.tags.any(id=f.tag_id))
    if f.search.strip():
        like = f"%{f.search.strip().lower()}%"
        q = q.where(func.lower(Action.reference + " " + Action.title).like(like))
    return list(session.scalars(q.order_by(Action.reference)))


@dataclass
class WorkstreamCounts:
    workstream: Workstream
    by_rag: dict[RAG, int] = field(default_factory=dict)
    open: int = 0
    total: int = 0
    overdue: int = 0
    awaiting: int = 0
    signed_off: int = 0
    mean_percent: float = 0.0


class _Counts(Protocol):
    by_rag: dict[RAG, int]
    open: int
    total: int
    overdue: int
    awaiting: int
    signed_off: int
    mean_percent: float


def counts_query(group_col: Any, today: dt.date) -> Select[Any]:
    """Actions grouped by ``group_col``, status and RAG: count, summed percent, overdue count."""
    overdue = func.sum(case((overdue_clause(today), 1), else_=0))
    return (select(group_col, Action.status, Action.rag, func.count(),
                   func.sum(Action.percent_complete), overdue)
            .group_by(group_col, Action.status, Action.rag))


def tally(out: Mapping[int, _Counts], rows: Iterable[Any]) -> None:
    """Fold the rows of ``counts_query`` into ``out`` (keyed by the group's id): open actions
    by RAG, totals, overdue, awaiting sign-off, signed off, mean progress over actions not
    dropped. Workstreams and plans are counted by this one rule."""
    live: dict[int, tuple[int, int]] = {}
    for group_id, status, rag, n, pct, n_overdue in rows:
        c = out.get(group_id)
        if c is None:
            continue
        c.total += n
        c.overdue += int(n_overdue or 0)
        if status in OPEN:
            c.open += n
            c.by_rag[rag] += n
        elif status is ActionStatus.AWAITING_SIGN_OFF:
            c.awaiting += n
        elif status is ActionStatus.SIGNED_OFF:
            c.signed_off += n
        if status is not ActionStatus.DROPPED:
            count, total = live.get(group_id, (0, 0))
            live[group_id] = (count + n, total + int(pct or 0))
    for group_id, (count, total) in live.items():
        out[group_id].mean_percent = total / count if count else 0.0


def workstream_counts(session: Session, today: dt.date | None = None) -> list[WorkstreamCounts]:
    """Per workstream: open actions by RAG, totals, overdue, awaiting sign-off, mean progress
    (over actions not dropped). One grouped query."""
    today = today or dt.date.today()
    out = {w.id: WorkstreamCounts(w, {r: 0 for r in RAG}) for w in
           session.scalars(select(Workstream).order_by(Workstream.position, Workstream.code))}
    tally(out, session.execute(counts_query(Action.workstream_id, today)))
    return list(out.values())


def due_soon(session: Session, today: dt.date | None = None,
             days: int = DUE_SOON_DAYS) -> list[Action]:
    today = today or dt.date.today()
    q = select(Action).where(
        Action.status.in_(OPEN), effective_due() >= today,
        effective_due() <= today + dt.timedelta(days=days),
    ).order_by(effective_due(), Action.reference)
    return list(session.scalars(q))


def next_meeting(session: Session, now: dt.datetime | None = None) -> Meeting | None:
    now = now or dt.datetime.now()
    return session.scalars(
        select(Meeting).where(Meeting.starts_at >= now, Meeting.status == MeetingStatus.PLANNED)
        .order_by(Meeting.starts_at)
    ).first()


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    return session.scalars(
        select(Meeting).where(
            Meeting.board_id == meeting.board_id, Meeting.starts_at < meeting.starts_at,
            Meeting.status != MeetingStatus.CANCELLED,
        ).order_by(Meeting.starts_at.desc())
    ).first()


def pack_gaps(session: Session, meeting: Meeting, entitled: bool) -> list[str]:
    """What is still missing before the pack for ``meeting`` can go out; an exempt item is
    named by its number only for a reader not ``entitled`` to exempt information. An item
    marked "no paper needed" (welcome, apologies, any other business) is not asked for one."""
    from .access import item_is_exempt

    gaps = []
    for item in meeting.items:
        if not item.papers and not item.no_paper:
            if not entitled and item_is_exempt(item.part, item.classification):
                gaps.append(f"Item {item.position} (exempt) has no paper attached.")
            else:
                gaps.append(f"Item {item.position} '{item.title}' has no paper attached.")
        for p in item.papers:
            if p.missing:
                gaps.append(f"Item {item.position}: the file of the paper '{p.title}' "
                            f"({p.source_path or p.file_name}) was not found when the database "
                            "was upgraded; attach it again.")
    prev = previous_meeting(session, meeting)
    if prev is not None and not prev.minutes_locked:
        gaps.append(f"The minutes of {prev.starts_at:%d/%m/%Y} are not yet approved and signed.")
    if not meeting.items:
        gaps.append("The agenda has no items yet.")
    return gaps

