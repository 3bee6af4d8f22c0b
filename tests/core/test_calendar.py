"""Calendars: meetings with venue in Europe/London time, pack deadlines and an owner's due
dates, parsed back with icalendar; UIDs stable across exports; plain refusals."""
from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.conftest import actor
from vrboard.cli import main
from vrboard.errors import ValidationError
from vrboard.model import Action, AgendaItem, Meeting, Person
from vrboard.services import meetings as mtg
from vrboard.services.calendar import write_calendar
from vrboard.services.cycle import pack_due


def _events(path) -> list:
    cal = Calendar.from_ical(path.read_bytes())
    return [c for c in cal.walk("VEVENT")]


def test_meetings_deadlines_and_owner_actions_parse_back(demo_db, tmp_path) -> None:
    sec = actor(demo_db, "rkaplan")
    out = tmp_path / "board.ics"
    with demo_db.session() as s:
        owner = s.scalars(select(Person).where(Person.login == "tfletcher")).one()
        result = write_calendar(s, sec, out, owner="tfletcher")
        meetings = list(s.scalars(select(Meeting).order_by(Meeting.starts_at)))
        mine = [a for a in s.scalars(select(Action).where(Action.owner_id == owner.id))
                if a.status.is_open and a.effective_due]
        secret = s.scalars(select(AgendaItem.title).where(AgendaItem.part == 2)).first()
        planned = [m for m in meetings if m.status.value == "planned"]
        dues = {m.id: pack_due(m, s) for m in planned}
    events = _events(out)
    by_uid = {str(e["UID"]): e for e in events}
    assert len(by_uid) == len(events) == result.events
    assert result.meetings == len(meetings) and result.actions == len(mine) > 0
    cal = Calendar.from_ical(out.read_bytes())
    assert [str(t["TZID"]) for t in cal.walk("VTIMEZONE")] == ["Europe/London"]
    for m in meetings:
        ev = by_uid[f"meeting-{m.id}@vrb-1.vrboard"]
        start = ev.decoded("DTSTART")
        assert start == m.starts_at.replace(tzinfo=ZoneInfo("Europe/London"))
        assert start.tzinfo.key == "Europe/London" and ev["DTSTART"].params["TZID"] == "Europe/London"
        assert str(ev["LOCATION"]) == m.venue
        assert secret not in str(ev["DESCRIPTION"])  # exempt titles stay out of calendars
    for mid, due in dues.items():
        ev = by_uid[f"pack-due-{mid}@vrb-1.vrboard"]
        assert ev.decoded("DTSTART") == due and str(ev["SUMMARY"]).startswith("Pack due:")
    for a in mine:
        ev = by_uid[f"action-{a.id}-due@vrb-1.vrboard"]
        assert ev.decoded("DTSTART") == a.effective_due and a.reference in str(ev["SUMMARY"])

    # a second export after a change keeps every UID and raises the moved meeting's SEQUENCE
    m = planned[0]
    with demo_db.transaction() as s:
        mtg.update_meeting(s, sec, m.id, None, {"venue": "Council Chamber, Town Hall"})
    again = tmp_path / "again.ics"
    with demo_db.session() as s:
        write_calendar(s, sec, again, owner="tfletcher")
    by_uid2 = {str(e["UID"]): e for e in _events(again)}
    assert set(by_uid2) == set(by_uid)
    uid = f"meeting-{m.id}@vrb-1.vrboard"
    assert str(by_uid2[uid]["LOCATION"]) == "Council Chamber, Town Hall"
    assert int(by_uid2[uid]["SEQUENCE"]) > int(by_uid[uid]["SEQUENCE"])


def test_owner_without_actions_and_bad_names_are_refused_plainly(demo_db, tmp_path, capsys) -> None:
    from vrboard.services import board as brd

    out = tmp_path / "x.ics"
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        brd.add_person(s, sec, name="Priya Newcomer", email="priya.newcomer@example.org")
    with demo_db.session() as s:
        with pytest.raises(ValidationError, match="Priya Newcomer has no open actions with a due"):
            write_calendar(s, sec, out, owner="priya.newcomer@example.org")
        with pytest.raises(ValidationError, match="There is nobody called 'Nobody Here'"):
            write_calendar(s, sec, out, owner="Nobody Here")
        with pytest.raises(ValidationError, match="should end in .ics"):
            write_calendar(s, sec, tmp_path / "x.txt")
    assert not out.exists()
    assert main(["--as", "rkaplan", "--db", str(demo_db.url), "calendar", str(out),
                 "--owner", "Priya Newcomer"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vrboard: ") and "has no open actions" in err and "Traceback" not in err
    assert not out.exists()
    assert main(["--as", "rkaplan", "--db", str(demo_db.url), "calendar", str(out)]) == 0
    assert "Wrote 3 meetings, 1 pack deadlines to" in capsys.readouterr().out
    assert len(_events(out)) == 4
