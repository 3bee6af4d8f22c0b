"""Meetings: scheduling, agenda, papers, attendance, declarations, minutes, approval."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from ..errors import RuleViolation, ValidationError
from ..model import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Classification,
    Decision,
    Declaration,
    Meeting,
    MeetingStatus,
    Minute,
    Paper,
    Person,
    Workstream,
    utcnow,
)
from . import common as c
from .audit import bind
from .board import the_board
from .context import Actor, Perm, recorded_note, require, require_chair
from .quorum import Quorum, parse_fraction, quorum  # noqa: F401 - Quorum and quorum live there now

MEETING_FIELDS = {"title", "starts_at", "ends_at", "venue", "status", "classification", "quorum",
                  "quorum_fraction", "pack_final", "chaired_by_id"}
ITEM_FIELDS = {"title", "presenter", "minutes_allotted", "part", "exempt_paragraph",
               "classification", "workstream_id", "no_paper"}

# Schedule 12A to the Local Government Act 1972: the exempt-information paragraphs.
EXEMPT_PARAGRAPHS = {
    1: "Information relating to any individual",
    2: "Information which is likely to reveal the identity of an individual",
    3: "Information relating to the financial or business affairs of any particular person",
    4: "Information relating to consultations or negotiations in connection with labour "
       "relations matters",
    5: "Information in respect of which a claim to legal professional privilege could be "
       "maintained",
    6: "Information which reveals that the authority proposes to give a notice or make an order",
    7: "Information relating to the prevention, investigation or prosecution of crime",
}


def signed_by(meeting: Meeting) -> str:
    """Who signed the minutes, and who recorded it for them: "Cllr Zoë Adeyemi (recorded by
    Ruth Kaplan)" when the secretariat recorded the chair's signature."""
    if meeting.minutes_signed_by is None:
        return ""
    name = meeting.minutes_signed_by.name
    return name + recorded_note(meeting.minutes_signed_recorded_by, name)


def _require_unlocked(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        by = signed_by(meeting) or "the chair"
        raise RuleViolation(
            f"The minutes of {meeting.starts_at:%d/%m/%Y} were signed by {by} on "
            f"{meeting.minutes_signed_at:%d/%m/%Y} and are locked; the record of that meeting "
            "can no longer be changed."
        )


def _meeting_values(session: Session, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise ValidationError(f"Unknown meeting field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k == "title":
            out[k] = c.text(v, "title", required=True, max_len=200)
        elif k == "venue":
            out[k] = c.text(v, "venue", max_len=200)
        elif k == "starts_at":
            if not isinstance(v, dt.datetime):
                raise ValidationError("The meeting needs a date and time.", k)
            out[k] = v.replace(tzinfo=None, second=0, microsecond=0)
        elif k == "ends_at":
            if v is not None and not isinstance(v, dt.datetime):
                raise ValidationError("The time the meeting closed must be a date and time.", k)
            out[k] = None if v is None else v.replace(tzinfo=None, second=0, microsecond=0)
        elif k == "status":
            out[k] = c.choice(MeetingStatus, v, "status")
        elif k == "classification":
            out[k] = c.choice(Classification, v, "classification")
        elif k == "quorum":
            if not isinstance(v, int) or isinstance(v, bool) or not 1 <= v <= 50:
                raise ValidationError("The quorum must be a whole number from 1 to 50.", k)
            out[k] = v
        elif k == "quorum_fraction":
            out[k] = parse_fraction(v or "")
        elif k == "pack_final":
            out[k] = bool(v)
        elif k == "chaired_by_id":
            out[k] = None if v is None else c.get(session, Person, v, "person").id
    return out


# Procedural items that need no paper unless the secretariat says otherwise.
PROCEDURAL = frozenset({
    "welcome and apologies", "apologies", "welcome", "declarations of interest",
    "any other business", "date of next meeting",
    "minutes of the previous meeting and matters arising",
})


def procedural(title: str) -> bool:
    return title.strip().lower() in PROCEDURAL


def _now() -> dt.datetime:
    """Local wall-clock time, as meetings' start times are stored."""
    return dt.datetime.now().replace(second=0, microsecond=0)


def _check_meeting(meeting: Meeting) -> None:
    end = meeting.ends_at
    if end is not None and not (meeting.starts_at < end and end.date() == meeting.starts_at.date()):
        raise ValidationError(
            f"The meeting closed at {end:%H:%M} on {end:%d/%m/%Y}, which is not after it began "
            f"({meeting.starts_at:%d/%m/%Y %H:%M}) on the same day.", "ends_at")
    if meeting.status is MeetingStatus.HELD and meeting.starts_at > _now():
        raise ValidationError(
            f"The meeting of {meeting.starts_at:%d/%m/%Y %H:%M} has not started yet, so it cannot "
            "be marked as held. Mark it held on the day.", "status")


def create_meeting(session: Session, actor: Actor, starts_at: dt.datetime, **fields: Any) -> Meeting:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    board = the_board(session)
    fields.setdefault("title", board.name)
    fields.setdefault("quorum", board.default_quorum)
    fields.setdefault("quorum_fraction", board.quorum_fraction)
    fields.setdefault("classification", board.classification)
    meeting = Meeting(board_id=board.id, **_meeting_values(session, {**fields, "starts_at": starts_at}))
    _check_meeting(meeting)
    session.add(meeting)
    c.flush(session, meeting)
    return meeting


def update_meeting(session: Session, actor: Actor, meeting_id: int, expected_version: int | None,
                   changes: Mapping[str, Any]) -> Meeting:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    c.check_version(meeting, expected_version)
    _require_unlocked(meeting)
    values = _meeting_values(session, changes)
    if "starts_at" in values and "ends_at" not in values and meeting.ends_at is not None:
        # a meeting moved keeps its length: the closing time moves with it (and is cleared,
        # to be entered again, when that would take it past midnight)
        end = meeting.ends_at + (values["starts_at"] - meeting.starts_at)
        values["ends_at"] = end if end.date() == values["starts_at"].date() else None
    with c.revert_on_error(session, meeting):
        for k, v in values.items():
            setattr(meeting, k, v)
        _check_meeting(meeting)
    c.flush(session, meeting)
    return meeting


def _item_values(session: Session, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValidationError(f"Unknown agenda item field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k == "title":
            out[k] = c.text(v, "title", required=True, max_len=300)
        elif k == "presenter":
            out[k] = c.text(v, "presenter", max_len=200)
        elif k == "minutes_allotted":
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 480:
                raise ValidationError("Minutes allotted must be a whole number from 0 to 480.", k)
            out[k] = v
        elif k == "part":
            if v not in (1, 2):
                raise ValidationError("An item is in Part 1 (public) or Part 2 (exempt).", k)
            out[k] = v
        elif k == "exempt_paragraph":
            if v is not None and v not in EXEMPT_PARAGRAPHS:
                raise ValidationError("The exempt paragraph must be 1 to 7 (Schedule 12A).", k)
            out[k] = v
        elif k == "classification":
            out[k] = c.choice(Classification, v, "classification")
        elif k == "workstream_id":
            out[k] = None if v is None else c.get(session, Workstream, v, "workstream").id
        elif k == "no_paper":
            out[k] = bool(v)
    return out


def _check_item(item: AgendaItem) -> None:
    if item.part == 2 and item.exempt_paragraph is None:
        raise ValidationError(
            f"Item '{item.title}' is in Part 2: give the exempt-information paragraph (1-7) "
            "that allows the public to be excluded.", "exempt_paragraph")
    if item.part == 1:
        item.exempt_paragraph = None


def _renumber(items: Sequence[AgendaItem]) -> None:
    """Number the agenda 1, 2, ... keeping the given order within each part, Part 1 first:
    the public leave before Part 2, so its items are taken (and timed) last."""
    ordered = sorted(items, key=lambda i: i.part)  # stable: keeps the order within a part
    for n, it in enumerate(ordered, start=1):
        if it.position != n:
            it.position = n


def add_item(session: Session, actor: Actor, meeting_id: int, **fields: Any) -> AgendaItem:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    _require_unlocked(meeting)
    values = _item_values(session, fields)
    values.setdefault("part", 1)
    values.setdefault("no_paper", procedural(values.get("title", "")))
    item = AgendaItem(position=len(meeting.items) + 1, **values)
    _check_item(item)  # before it joins the meeting: a refused item leaves nothing behind
    meeting.items.append(item)
    _renumber(sorted(meeting.items, key=lambda i: i.position))
    c.flush(session, item)
    return item


def update_item(session: Session, actor: Actor, item_id: int, expected_version: int | None,
                changes: Mapping[str, Any]) -> AgendaItem:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    item = c.get(session, AgendaItem, item_id, "agenda item")
    c.check_version(item, expected_version)
    _require_unlocked(item.meeting)
    values = _item_values(session, changes)
    with c.revert_on_error(session, item):
        for k, v in values.items():
            setattr(item, k, v)
        _check_item(item)
    if "part" in values:
        _renumber(sorted(item.meeting.items, key=lambda i: i.position))
    c.flush(session, item)
    return item


def move_item(session: Session, actor: Actor, item_id: int, new_position: int) -> AgendaItem:
    """Move an item to ``new_position`` (1-based); the others renumber around it."""
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    item = c.get(session, AgendaItem, item_id, "agenda item")
    meeting = item.meeting
    _require_unlocked(meeting)
    items = sorted(meeting.items, key=lambda i: i.position)
    items.remove(item)
    new_position = max(1, min(new_position, len(items) + 1))
    items.insert(new_position - 1, item)
    _renumber(items)
    c.flush(session, item)
    return item


def delete_item(session: Session, actor: Actor, item_id: int) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    item = c.get(session, AgendaItem, item_id, "agenda item")
    meeting = item.meeting
    _require_unlocked(meeting)
    meeting.items.remove(item)
    _renumber(sorted(meeting.items, key=lambda i: i.position))
    c.flush(session)


def attach_paper(session: Session, actor: Actor, item_id: int, title: str, path: str,
                 classification: Classification = Classification.OFFICIAL) -> Paper:
    """Attach the file at ``path``: its bytes are stored in the database (services/papers)."""
    from .papers import attach_paper as attach

    return attach(session, actor, item_id, title, path, classification)


def remove_paper(session: Session, actor: Actor, paper_id: int) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    paper = c.get(session, Paper, paper_id, "paper")
    _require_unlocked(paper.item.meeting)
    paper.item.papers.remove(paper)
    c.flush(session)


def set_attendance(session: Session, actor: Actor, meeting_id: int, person_id: int,
                   status: AttendanceStatus | str, substitute_id: int | None = None,
                   note: str = "") -> Attendance:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    _require_unlocked(meeting)
    person = c.get(session, Person, person_id, "person")
    status = c.choice(AttendanceStatus, status, "attendance")
    others = [a for a in meeting.attendance if a.person_id != person_id]
    if substitute_id is not None:
        if status is AttendanceStatus.PRESENT:
            raise ValidationError(f"{person.name} is present, so nobody substitutes for them.",
                                  "substitute_id")
        if substitute_id == person_id:
            raise ValidationError("A member cannot substitute for themselves.", "substitute_id")
        sub = c.get(session, Person, substitute_id, "person")
        for a in others:
            if a.person_id == substitute_id and a.status is AttendanceStatus.PRESENT:
                raise ValidationError(
                    f"{sub.name} is present in their own right, so they cannot also stand in "
                    f"for {person.name}.", "substitute_id")
            if a.substitute_id == substitute_id:
                raise ValidationError(
                    f"{sub.name} already substitutes for {a.person.name} at this meeting; "
                    "one substitute stands in for one member.", "substitute_id")
    if status is AttendanceStatus.PRESENT:
        standing_in = next((a for a in others if a.substitute_id == person_id), None)
        if standing_in is not None:
            raise ValidationError(
                f"{person.name} is recorded as the substitute for {standing_in.person.name}; "
                "take that off before recording them as present in their own right.", "status")
    row = next((a for a in meeting.attendance if a.person_id == person_id), None)
    if row is None:
        row = Attendance(person_id=person_id)
        meeting.attendance.append(row)
    row.status = status
    row.substitute_id = substitute_id
    row.note = c.text(note, "note", max_len=300)
    c.flush(session, row)
    return row


def add_declaration(session: Session, actor: Actor, meeting_id: int, person_id: int, nature: str,
                    interest_type: str = "Other registrable", item_id: int | None = None,
                    dispensation: str = "") -> Declaration:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    _require_unlocked(meeting)
    c.get(session, Person, person_id, "person")
    if item_id is not None and c.get(session, AgendaItem, item_id, "agenda item").meeting_id != meeting.id:
        raise ValidationError("That agenda item belongs to another meeting.", "agenda_item_id")
    d = Declaration(person_id=person_id, agenda_item_id=item_id,
                    nature=c.text(nature, "nature of the interest", required=True, max_len=2000),
                    interest_type=c.text(interest_type, "interest type", required=True, max_len=60),
                    dispensation=c.text(dispensation, "dispensation", max_len=300))
    meeting.declarations.append(d)
    c.flush(session, d)
    return d


def remove_declaration(session: Session, actor: Actor, declaration_id: int) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    d = c.get(session, Declaration, declaration_id, "declaration")
    _require_unlocked(d.meeting)
    d.meeting.declarations.remove(d)
    c.flush(session)


def save_minute(session: Session, actor: Actor, item_id: int, discussion: str,
                decisions: Sequence[str], expected_version: int | None = None) -> Minute:
    """Write an item's minute and decisions. Decisions are matched by position, so a
    decision that an action was created from keeps its identity when reworded."""
    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    item = c.get(session, AgendaItem, item_id, "agenda item")
    _require_unlocked(item.meeting)
    minute = item.minute
    if minute is None:
        minute = Minute(discussion="")
        item.minute = minute
    else:
        c.check_version(minute, expected_version)
    minute.discussion = c.text(discussion, "discussion", max_len=100000)
    texts = [c.text(d, "decision", max_len=5000) for d in decisions]
    texts = [t for t in texts if t]
    existing = list(minute.decisions)
    for n, t in enumerate(texts, start=1):
        if n <= len(existing):
            if existing[n - 1].text != t:
                existing[n - 1].text = t
        else:
            minute.decisions.append(Decision(position=n, text=t))
    for d in existing[len(texts):]:
        minute.decisions.remove(d)
    c.flush(session, minute)
    return minute


def approval_venue_refusal(starts_at: dt.datetime, status: MeetingStatus) -> str | None:
    """None when minutes may be approved at a meeting starting then, else why not: approval
    happens at a meeting that sits, so not at one still to come or one that was cancelled."""
    if status is MeetingStatus.CANCELLED:
        when = "was cancelled"
    elif starts_at > _now():
        when = "has not taken place yet"
    else:
        return None
    return (f"The meeting of {starts_at:%d/%m/%Y} {when}: minutes are approved at a meeting "
            "while it sits, so record the approval on the day.")


def approve_minutes(session: Session, actor: Actor, meeting_id: int, at_meeting_id: int,
                    expected_version: int | None = None) -> Meeting:
    """The chair signs ``meeting_id``'s minutes as a correct record at ``at_meeting_id``."""
    bind(session, actor)
    require_chair(session, actor, "approve and sign minutes")
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    c.check_version(meeting, expected_version)
    _require_unlocked(meeting)
    at = c.get(session, Meeting, at_meeting_id, "meeting")
    if meeting.status is not MeetingStatus.HELD:
        raise RuleViolation("Only the minutes of a meeting that was held can be approved.")
    if at.starts_at <= meeting.starts_at:
        raise RuleViolation("Minutes are approved at a later meeting than the one they record.")
    refusal = approval_venue_refusal(at.starts_at, at.status)
    if refusal is not None:
        raise RuleViolation(refusal)
    if not any(i.minute and (i.minute.discussion or i.minute.decisions) for i in meeting.items):
        raise RuleViolation(f"The meeting of {meeting.starts_at:%d/%m/%Y} has no minutes yet.")
    meeting.minutes_approved_at_id = at.id
    meeting.minutes_signed_by_id = actor.person_id
    meeting.minutes_signed_recorded_by = actor.recorded_by_name
    meeting.minutes_signed_at = utcnow()
    c.flush(session, meeting)
    return meeting
