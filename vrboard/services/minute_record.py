"""What makes minutes a formal record, and what goes on the front of a pack.

- Minute numbers run through the calendar year across the board's held meetings, written
  "12/26": minute 12 of 2026. Each agenda item of a held meeting is one minute, Part 2 items
  included (a public version shows their numbers too), in agenda order; cancelled and not yet
  held meetings take no numbers. Once the earlier meetings of the year are held, a meeting's
  numbers no longer change.
- Before Part 2 the board resolves to exclude the press and public under section 100A(4)
  of the Local Government Act 1972, naming the paragraphs of Schedule 12A; the minutes
  record the resolution and the agenda recommends it.
- A meeting that has not been held has no minutes: ``minutes_refusal`` says so plainly.
- The pack's cover names the contact officer (terms of reference; by default the board's
  secretariat) and the date the pack was published (or is due to be).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..model import AgendaItem, BoardRole, DocumentKind, Meeting, MeetingStatus
from .board import the_board


def minute_numbers(session: Session, meeting: Meeting) -> list[str]:
    """The minute number of each of ``meeting``'s items, in agenda order ("" for a meeting
    not held)."""
    if meeting.status is not MeetingStatus.HELD:
        return [""] * len(meeting.items)
    year = meeting.starts_at.year
    start = dt.datetime(year, 1, 1)
    earlier = session.scalar(
        select(func.count(AgendaItem.id)).join(Meeting, AgendaItem.meeting_id == Meeting.id).where(
            Meeting.board_id == meeting.board_id, Meeting.status == MeetingStatus.HELD,
            Meeting.starts_at >= start, Meeting.starts_at < meeting.starts_at)) or 0
    return [f"{earlier + n}/{year % 100:02d}" for n in range(1, len(meeting.items) + 1)]


def _paragraphs(paragraphs: Iterable[int | None]) -> str:
    found = sorted({p for p in paragraphs if p is not None})
    if not found:
        return "the paragraph(s) of Part 1 of Schedule 12A to the Act shown against each item"
    words = [str(p) for p in found]
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"paragraph{'s' if len(words) > 1 else ''} {listed} of Part 1 of Schedule 12A to the Act"


def exclusion_resolution(paragraphs: Iterable[int | None], *, recommended: bool = False) -> str:
    """The resolution to exclude the press and public before Part 2 (s100A(4), LGA 1972);
    ``recommended``: as the agenda puts it, before the board has passed it."""
    lead = ("The board is recommended to resolve that" if recommended else "RESOLVED: That")
    return (f"{lead} under section 100A(4) of the Local Government Act 1972 the press and public "
            "be excluded from the meeting for the following item(s) of business on the grounds "
            "that they involve the likely disclosure of exempt information as defined in "
            f"{_paragraphs(paragraphs)}.")


def minutes_refusal(meeting: Meeting) -> str:
    """Why ``meeting`` has no minutes to produce ("" when it has)."""
    if meeting.status is MeetingStatus.PLANNED:
        return (f"The meeting of {meeting.starts_at:%d/%m/%Y} has not been held yet, so there "
                "are no minutes to produce. Mark it as held on the day (Meetings, Edit details) "
                "and record the minutes; before the meeting, produce the board pack instead.")
    if meeting.status is MeetingStatus.CANCELLED:
        return (f"The meeting of {meeting.starts_at:%d/%m/%Y} was cancelled, so it has no "
                "minutes.")
    return ""


def contact_officer(session: Session) -> str:
    """'Name, e-mail, phone' of the board's contact officer; the secretariat by default."""
    board = the_board(session)
    parts = [board.contact_name, board.contact_email, board.contact_phone]
    if not board.contact_name.strip():
        sec = next((m.person for m in board.memberships if m.role is BoardRole.SECRETARIAT), None)
        if sec is None:
            return "The board secretariat"
        parts = [f"{sec.name} (board secretariat)", sec.email, ""]
    return ", ".join(p.strip() for p in parts if p and p.strip())


def publication(session: Session, meeting: Meeting, public: bool,
                published: dt.date | None = None) -> str:
    """The cover's publication line: the date given (issuing now), else the date the pack
    was last issued, else when it is due."""
    from .cycle import pack_due
    from .documents import latest

    if published is None:
        kind = DocumentKind.PUBLIC_PACK if public else DocumentKind.PACK
        doc = latest(session, meeting.id, kind)
        if doc is not None:
            published = doc.issued_at.astimezone().date()
    if published is not None:
        return f"{published:%A %d/%m/%Y}"
    if meeting.status is MeetingStatus.PLANNED:
        return f"Not yet published: due by {pack_due(meeting, session):%A %d/%m/%Y}"
    return "Not issued from vrboard"
