"""The forward plan: items planned for future meetings before their agendas are built.

A planned item names its meeting, a title, a presenter, the minutes it needs and, optionally,
the workstream or action it reports on. Building the agenda (``place_planned_items``, also
run when a meeting is scheduled with its standing items) puts every item still planned for
that meeting onto its agenda, before the closing procedural items (any other business), and
records which agenda item it became. Deleting that agenda item returns it to the plan.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import RuleViolation, ValidationError
from ..model import Action, AgendaItem, Meeting, MeetingStatus, PlannedItem, Workstream
from . import common as c
from .audit import bind
from .context import Actor, Perm, require
from .cycle import pack_due

PLANNED_FIELDS = {"meeting_id", "title", "presenter", "minutes_allotted", "notes",
                  "workstream_id", "action_id"}
# Items that close an agenda: planned items go before them.
_CLOSING = {"any other business", "date of next meeting"}


def _future_meeting(session: Session, meeting_id: int) -> Meeting:
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    if meeting.status is not MeetingStatus.PLANNED:
        raise RuleViolation(
            f"The meeting of {meeting.starts_at:%d/%m/%Y} is {meeting.status.label.lower()}; "
            "items are planned for meetings still to come.")
    return meeting


def _values(session: Session, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - PLANNED_FIELDS
    if unknown:
        raise ValidationError(f"Unknown planned item field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k == "meeting_id":
            out[k] = _future_meeting(session, v).id
        elif k == "title":
            out[k] = c.text(v, "title of the planned item", required=True, max_len=300)
        elif k == "presenter":
            out[k] = c.text(v, "presenter", max_len=200)
        elif k == "notes":
            out[k] = c.text(v, "notes", max_len=5000)
        elif k == "minutes_allotted":
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 480:
                raise ValidationError("Minutes allotted must be a whole number from 0 to 480.", k)
            out[k] = v
        elif k == "workstream_id":
            out[k] = None if v is None else c.get(session, Workstream, v, "workstream").id
        elif k == "action_id":
            out[k] = None if v is None else c.get(session, Action, v, "action").id
    return out


def add_planned_item(session: Session, actor: Actor, meeting_id: int, **fields: Any) -> PlannedItem:
    """Plan an item for a future meeting. If that meeting's agenda is already built, use the
    agenda's "Add planned items" (``place_planned_items``) to bring it in."""
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    values = _values(session, {**fields, "meeting_id": meeting_id})
    if "title" not in values:
        raise ValidationError("A planned item needs a title.", "title")
    if values.get("action_id") and not values.get("workstream_id"):
        values["workstream_id"] = session.get(Action, values["action_id"]).workstream_id
    item = PlannedItem(**values)
    session.add(item)
    c.flush(session, item)
    return item


def update_planned_item(session: Session, actor: Actor, planned_id: int,
                        expected_version: int | None, changes: Mapping[str, Any]) -> PlannedItem:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    item = c.get(session, PlannedItem, planned_id, "planned item")
    c.check_version(item, expected_version)
    if item.agenda_item_id is not None:
        raise RuleViolation(
            f"'{item.title}' is already item {item.agenda_item.position} on the agenda of "
            f"{item.meeting.starts_at:%d/%m/%Y}; change it on that agenda.")
    for k, v in _values(session, changes).items():
        if getattr(item, k) != v:
            setattr(item, k, v)
    c.flush(session, item)
    return item


def remove_planned_item(session: Session, actor: Actor, planned_id: int) -> None:
    """Take an item out of the forward plan (an item already on an agenda stays there)."""
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    session.delete(c.get(session, PlannedItem, planned_id, "planned item"))
    c.flush(session)


def waiting(session: Session, meeting_id: int) -> list[PlannedItem]:
    """The items planned for ``meeting_id`` that are not on its agenda yet."""
    return list(session.scalars(select(PlannedItem).where(
        PlannedItem.meeting_id == meeting_id, PlannedItem.agenda_item_id.is_(None))
        .order_by(PlannedItem.id)))


def place_planned_items(session: Session, actor: Actor, meeting_id: int) -> list[AgendaItem]:
    """Build the agenda: every item still planned for the meeting joins it, in the order
    planned, before the closing items (any other business)."""
    from .meetings import add_item, move_item

    placed = []
    for planned in waiting(session, meeting_id):
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        closing = [i for i in meeting.items if i.part == 1 and i.title.strip().lower() in _CLOSING]
        item = add_item(session, actor, meeting_id, title=planned.title, presenter=planned.presenter,
                        minutes_allotted=planned.minutes_allotted,
                        workstream_id=planned.workstream_id)
        if closing:
            move_item(session, actor, item.id, min(i.position for i in closing))
        planned.agenda_item_id = item.id
        c.flush(session, planned)
        placed.append(item)
    return placed


@dataclass(frozen=True)
class PlanRow:
    planned_id: int | None  # None: an item put straight onto the agenda
    version: int | None
    title: str
    presenter: str
    minutes: int
    workstream: str
    action: str
    notes: str
    state: str  # "Planned" or "On the agenda (item 4)"


@dataclass(frozen=True)
class PlanMeeting:
    meeting_id: int
    title: str
    starts_at: dt.datetime
    venue: str
    pack_due: dt.date
    rows: tuple[PlanRow, ...]

    @property
    def label(self) -> str:
        return f"{self.title} {self.starts_at:%d/%m/%Y}"


def forward_plan(session: Session, actor: Actor, today: dt.date | None = None) -> list[PlanMeeting]:
    """Meetings still to come (from ``today``), each with its business: the agenda's items
    (less the procedural ones that need no paper) and the items still planned for it."""
    require(actor, Perm.READ)
    start = dt.datetime.combine(today or dt.date.today(), dt.time())
    meetings = session.scalars(select(Meeting).where(
        Meeting.starts_at >= start, Meeting.status == MeetingStatus.PLANNED)
        .options(selectinload(Meeting.items)).order_by(Meeting.starts_at)).all()
    planned = session.scalars(select(PlannedItem).where(
        PlannedItem.meeting_id.in_([m.id for m in meetings])).order_by(PlannedItem.id)).all()
    by_item = {p.agenda_item_id: p for p in planned if p.agenda_item_id is not None}
    out = []
    for m in meetings:
        rows = []
        for i in m.items:
            if i.no_paper:
                continue
            p = by_item.get(i.id)
            rows.append(PlanRow(p.id if p else None, p.version if p else None, i.title, i.presenter,
                                i.minutes_allotted, i.workstream.code if i.workstream else "",
                                _action(session, p), p.notes if p else "",
                                f"On the agenda (item {i.position}"
                                + (", Part 2)" if i.part == 2 else ")")))
        rows += [PlanRow(p.id, p.version, p.title, p.presenter, p.minutes_allotted,
                         p.workstream.code if p.workstream else "", _action(session, p), p.notes,
                         "Planned")
                 for p in planned if p.meeting_id == m.id and p.agenda_item_id is None]
        out.append(PlanMeeting(m.id, m.title, m.starts_at, m.venue, pack_due(m, session),
                               tuple(rows)))
    return out


def _action(session: Session, p: PlannedItem | None) -> str:
    if p is None or p.action_id is None:
        return ""
    a = session.get(Action, p.action_id)
    return a.reference if a is not None else ""


def write_forward_plan(session: Session, actor: Actor, out: str | Path,
                       today: dt.date | None = None) -> tuple[Path, int, int]:
    """Write the forward plan to ``out``: a PDF or an Excel workbook, by its ending. Returns
    the path, the number of meetings and of items."""
    from .board import the_board

    path = Path(out).expanduser()
    ending = path.suffix.lower()
    if ending not in (".pdf", ".xlsx"):
        raise ValidationError(f"{path.name}: the forward plan is written as .pdf or .xlsx.", "out")
    plan = forward_plan(session, actor, today)
    board = the_board(session)
    marking = board.classification.value
    if ending == ".pdf":
        from ..pdf.forward_plan import build_forward_plan

        build_forward_plan(plan, board.name, path, marking=marking, today=today)
    else:
        from ..excel.forward_plan import export_forward_plan

        export_forward_plan(plan, path, marking)
    return path, len(plan), sum(len(m.rows) for m in plan)
