"""Calendars (.ics, with the ``icalendar`` library): the board's meetings (venue, Europe/London
time), the date each meeting's pack is due, and, for one owner, their open actions' due
dates. Each event keeps the same UID in every export, so importing a newer file updates the
events already in Outlook or Thunderbird instead of adding copies; SEQUENCE follows the
meeting's version so a moved meeting replaces the old time.

Exempt (Part 2) item titles never go into a calendar: a calendar is easily shared.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationError
from ..model import Action, Meeting, MeetingStatus, Person
from .board import the_board
from .context import Actor, Perm, find_person, require
from .cycle import pack_due

TZ = "Europe/London"
DEFAULT_LENGTH = dt.timedelta(hours=2)


@dataclass(frozen=True)
class CalendarResult:
    path: Path
    meetings: int
    deadlines: int
    actions: int
    owner: str = ""

    @property
    def events(self) -> int:
        return self.meetings + self.deadlines + self.actions


def _london():  # noqa: ANN202 - an icalendar Timezone
    """Europe/London as Outlook itself writes it: two yearly rules (last Sunday of March at
    01:00 GMT to BST, last Sunday of October at 02:00 BST back to GMT)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

    tz = Timezone()
    tz.add("tzid", TZ)
    summer = TimezoneDaylight()
    summer.add("dtstart", dt.datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    summer.add("tzoffsetfrom", dt.timedelta(0))
    summer.add("tzoffsetto", dt.timedelta(hours=1))
    summer.add("tzname", "BST")
    winter = TimezoneStandard()
    winter.add("dtstart", dt.datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    winter.add("tzoffsetfrom", dt.timedelta(hours=1))
    winter.add("tzoffsetto", dt.timedelta(0))
    winter.add("tzname", "GMT")
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _domain(session: Session) -> str:
    board = the_board(session)
    slug = re.sub(r"[^a-z0-9]+", "-", (board.short_name or board.name).lower()).strip("-")
    return f"{slug or 'board'}-{board.id}.vrboard"


def build_calendar(session: Session, actor: Actor, owner: str | None = None,
                   now: dt.datetime | None = None) -> tuple[bytes, CalendarResult]:
    """The calendar's bytes and what it holds. With ``owner`` (login, e-mail or name), that
    owner's open actions with a due date are added; an owner with none is refused plainly."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    require(actor, Perm.READ)
    tz = ZoneInfo(TZ)
    now = now or dt.datetime.now(dt.UTC)
    domain = _domain(session)
    board = the_board(session)
    person: Person | None = None
    actions: list[Action] = []
    if owner:
        person = find_person(session, owner)
        if person is None:
            raise ValidationError(f"There is nobody called '{owner}' (give a login, e-mail "
                                  "address or full name).", "owner")
        actions = [a for a in session.scalars(
            select(Action).where(Action.owner_id == person.id).order_by(Action.reference))
            if a.status.is_open and a.effective_due is not None]
        if not actions:
            raise ValidationError(f"{person.name} has no open actions with a due date, so there "
                                  "is nothing of theirs to put in a calendar. No file was written.",
                                  "owner")

    cal = Calendar()
    cal.add("prodid", "-//vrboard//Violence Reduction Board//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{board.name}" + (f": {person.name}" if person else ""))
    cal.add("x-wr-timezone", TZ)
    cal.add_component(_london())  # before the events that use it, as Outlook expects

    meetings = list(session.scalars(select(Meeting).options(selectinload(Meeting.items))
                                    .order_by(Meeting.starts_at)))
    n_meetings = n_deadlines = 0
    for m in meetings:
        ev = Event()
        ev.add("uid", f"meeting-{m.id}@{domain}")
        ev.add("dtstamp", now)
        ev.add("sequence", m.version)
        start = m.starts_at.replace(tzinfo=tz)
        minutes = sum(i.minutes_allotted for i in m.items)
        ev.add("dtstart", start)
        ev.add("dtend", start + (dt.timedelta(minutes=minutes) if minutes else DEFAULT_LENGTH))
        ev.add("summary", f"{m.title}" + (" (cancelled)" if m.status is MeetingStatus.CANCELLED
                                          else ""))
        if m.venue:
            ev.add("location", m.venue)
        lines = [f"{i.position}. {i.title}" if i.part == 1 else
                 f"{i.position}. Part 2 item (exempt)" for i in m.items]
        ev.add("description", "Agenda:\n" + "\n".join(lines) if lines else "Agenda to follow.")
        ev.add("status", "CANCELLED" if m.status is MeetingStatus.CANCELLED else "CONFIRMED")
        ev.add("transp", "OPAQUE")
        cal.add_component(ev)
        n_meetings += 1
        if m.status is MeetingStatus.PLANNED:
            due = pack_due(m, session)
            d = Event()
            d.add("uid", f"pack-due-{m.id}@{domain}")
            d.add("dtstamp", now)
            d.add("sequence", m.version)
            d.add("dtstart", due)
            d.add("dtend", due + dt.timedelta(days=1))
            d.add("summary", f"Pack due: {m.title} {m.starts_at:%d/%m/%Y}")
            d.add("description", f"The agenda and papers for the meeting of "
                                 f"{m.starts_at:%d/%m/%Y} must be published by the end of today "
                                 f"({board.notice_clear_days} clear days' notice).")
            d.add("transp", "TRANSPARENT")
            cal.add_component(d)
            n_deadlines += 1
    for a in actions:
        due = a.effective_due
        assert due is not None
        ev = Event()
        ev.add("uid", f"action-{a.id}-due@{domain}")
        ev.add("dtstamp", now)
        ev.add("sequence", a.version)
        ev.add("dtstart", due)
        ev.add("dtend", due + dt.timedelta(days=1))
        ev.add("summary", f"Action {a.reference} due: {a.title}"[:250])
        ev.add("description", f"{a.reference}: {a.title}\nStatus: {a.status.label}; RAG: "
                              f"{a.rag.label}; {a.percent_complete}% complete.")
        ev.add("transp", "TRANSPARENT")
        cal.add_component(ev)
    return cal.to_ical(), CalendarResult(Path(), n_meetings, n_deadlines, len(actions),
                                         person.name if person else "")


def write_calendar(session: Session, actor: Actor, out: str | os.PathLike[str],
                   owner: str | None = None, now: dt.datetime | None = None) -> CalendarResult:
    """Write the calendar to ``out`` (an .ics file), whole or not at all."""
    path = Path(out)
    if path.suffix.lower() != ".ics":
        raise ValidationError(f"{path.name}: a calendar file name should end in .ics.", "out")
    if path.is_dir() or not path.parent.is_dir():
        raise ValidationError(f"Cannot write {path}: give a file name in an existing folder.",
                              "out")
    data, result = build_calendar(session, actor, owner, now)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ValidationError(f"Cannot write {path}: {exc.strerror or exc}.", "out") from None
    return CalendarResult(path, result.meetings, result.deadlines, result.actions, result.owner)


def own_calendar(session: Session, actor: Actor, out: str | os.PathLike[str],
                 now: dt.datetime | None = None) -> CalendarResult:
    """The app's "Add to calendar": the meetings and pack deadlines, with the acting person's
    own open actions when they have any."""
    owner = None
    if actor.person_id is not None:
        person = session.get(Person, actor.person_id)
        has = person is not None and any(
            a.status.is_open and a.effective_due is not None
            for a in session.scalars(select(Action).where(Action.owner_id == person.id)))
        owner = person.email or person.name if has and person is not None else None
    return write_calendar(session, actor, out, owner=owner, now=now)
