"""The meeting cycle: by when a meeting's agenda and papers must be published.

Agendas and reports are open to inspection at least N clear days before the meeting (Local
Government Act 1972, s.100B: five). A clear day leaves out the day of publication and the
day of the meeting; like most councils, vrboard also leaves out weekends and the bank
holidays of England and Wales (from the maintained ``holidays`` library). N is the board's
``notice_clear_days`` (terms of reference; 5 unless changed).

Example: for a meeting on Friday 11/12/2026 the five clear days are Thu 10, Wed 9, Tue 8,
Mon 7 and Fri 4 December, so the pack is due by Thursday 03/12/2026.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

from sqlalchemy.orm import Session, object_session

from ..errors import ValidationError
from ..model import Board, Meeting
from . import common as c
from .audit import bind
from .board import the_board
from .context import Actor, Perm, require

DEFAULT_CLEAR_DAYS = 5
MAX_CLEAR_DAYS = 30


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    # England and Wales share their bank holidays ("ENG"); one-off days (a coronation, a
    # jubilee) are included by the library as they are proclaimed.
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def bank_holiday(day: dt.date) -> bool:
    return day in _bank_holidays(day.year)


def working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not bank_holiday(day)


def publication_deadline(meeting_day: dt.date, clear_days: int = DEFAULT_CLEAR_DAYS) -> dt.date:
    """The last working day on which the agenda can be published and still leave
    ``clear_days`` clear working days before ``meeting_day``."""
    if not 0 <= clear_days <= MAX_CLEAR_DAYS:
        raise ValidationError(f"The notice period must be between 0 and {MAX_CLEAR_DAYS} clear "
                              f"days, not {clear_days}.", "notice_clear_days")
    day, counted = meeting_day, 0
    while counted < clear_days:
        day -= dt.timedelta(days=1)
        if working_day(day):
            counted += 1
    day -= dt.timedelta(days=1)  # the day of publication is not a clear day
    while not working_day(day):
        day -= dt.timedelta(days=1)
    return day


def clear_days_between(published: dt.date, meeting_day: dt.date) -> int:
    """How many clear working days lie between publication and the meeting."""
    days = (meeting_day - published).days
    return sum(1 for n in range(1, days) if working_day(published + dt.timedelta(days=n)))


def _clear_days_of(meeting: Meeting, session: Session | None = None) -> int:
    session = session or object_session(meeting)
    if session is None:
        return DEFAULT_CLEAR_DAYS
    board = session.get(Board, meeting.board_id)
    return board.notice_clear_days if board is not None else DEFAULT_CLEAR_DAYS


def pack_due(meeting: Meeting, session: Session | None = None) -> dt.date:
    """The date by which ``meeting``'s agenda and papers must be published."""
    return publication_deadline(meeting.starts_at.date(), _clear_days_of(meeting, session))


def is_late(meeting: Meeting, when: dt.date | dt.datetime, session: Session | None = None) -> bool:
    """Whether publishing ``meeting``'s pack at ``when`` (a local date or time) is late, so
    that the issue must record the reason, as councils record late items."""
    day = when.date() if isinstance(when, dt.datetime) else when
    return day > pack_due(meeting, session)


def late_refusal(meeting: Meeting, today: dt.date, late_reason: str,
                 session: Session | None = None) -> str | None:
    """None when the pack may be issued ``today`` as it stands; otherwise why not: it is past
    the publication deadline and no reason for the late issue was given."""
    if not is_late(meeting, today, session) or late_reason.strip():
        return None
    due = pack_due(meeting, session)
    return (f"The pack for {meeting.label} was due by {due:%a %d/%m/%Y}, {(today - due).days} "
            f"day(s) ago; issuing it now is late. Give the reason it is late (for example: "
            "'report delayed by new data from the police'); it is recorded with the pack and in "
            "the audit trail.")


def due_text(day: dt.date) -> str:
    """'Pack due by Thu 03/12/2026'."""
    return f"Pack due by {day:%a %d/%m/%Y}"


def describe_due(meeting: Meeting, today: dt.date | None = None,
                 session: Session | None = None) -> str:
    """The line the dashboard and the Meetings page show for a planned meeting."""
    today = today or dt.date.today()
    due = pack_due(meeting, session)
    text = due_text(due)
    if meeting.pack_final:
        return text + " (issued)"
    if today > due:
        return text + f": {(today - due).days} day(s) late; issuing now asks for the reason"
    if today == due:
        return text + ": today"
    return text


def set_notice_period(session: Session, actor: Actor, clear_days: int) -> Board:
    """Change the terms of reference: how many clear days' notice the board gives."""
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    if isinstance(clear_days, bool) or not isinstance(clear_days, int) or not (
            0 <= clear_days <= MAX_CLEAR_DAYS):
        raise ValidationError(f"The notice period must be a whole number of clear days from 0 to "
                              f"{MAX_CLEAR_DAYS}, not {clear_days!r}.", "notice_clear_days")
    board = the_board(session)
    board.notice_clear_days = clear_days
    c.flush(session, board)
    return board
