"""The meeting cycle: publication deadlines in clear working days, across weekends and the
bank holidays of England and Wales; late issue; the notice period in the terms of reference."""
from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import actor
from vrboard.errors import PermissionDenied, ValidationError
from vrboard.services import cycle
from vrboard.services import meetings as mtg

D = dt.date


@pytest.mark.parametrize(("meeting", "clear", "due"), [
    # Fri 11/12/2026: Thu 10, Wed 9, Tue 8, Mon 7, Fri 4 are clear; due Thu 03/12
    (D(2026, 12, 11), 5, D(2026, 12, 3)),
    # Thu 10/12/2026: Wed 9 .. Thu 3 clear; due Wed 02/12
    (D(2026, 12, 10), 5, D(2026, 12, 2)),
    # Mon 07/12/2026: Fri 4, Thu 3, Wed 2, Tue 1, Mon 30/11 clear; due Fri 27/11 (weekend skipped)
    (D(2026, 12, 7), 5, D(2026, 11, 27)),
    # Tue 29/12/2026: Christmas (Fri 25) and Boxing Day substitute (Mon 28) are not clear days:
    # clear Thu 24, Wed 23, Tue 22, Mon 21, Fri 18; due Thu 17/12
    (D(2026, 12, 29), 5, D(2026, 12, 17)),
    # Wed 08/04/2026: Easter Monday 06/04 and Good Friday 03/04 left out:
    # clear Tue 7, Thu 2, Wed 1, Tue 31/3, Mon 30/3; due Fri 27/03
    (D(2026, 4, 8), 5, D(2026, 3, 27)),
    # Tue 26/05/2026, after the spring bank holiday (Mon 25/05): clear Fri 22 .. Mon 18; due Fri 15
    (D(2026, 5, 26), 5, D(2026, 5, 15)),
    # a longer notice period in the terms of reference
    (D(2026, 12, 11), 10, D(2026, 11, 26)),
    # no clear days: the working day before the meeting
    (D(2026, 12, 14), 0, D(2026, 12, 11)),
])
def test_publication_deadline(meeting, clear, due) -> None:
    got = cycle.publication_deadline(meeting, clear)
    assert got == due
    assert cycle.working_day(got)
    assert cycle.clear_days_between(got, meeting) == clear
    # a day later would leave too few clear days (unless it is not a working day anyway)
    later = got + dt.timedelta(days=1)
    assert cycle.clear_days_between(later, meeting) < clear or not cycle.working_day(later)


def test_bank_holidays_of_england_and_wales() -> None:
    assert cycle.bank_holiday(D(2026, 12, 28))  # Boxing Day substitute
    assert cycle.bank_holiday(D(2026, 8, 31))  # summer bank holiday (England, not Scotland)
    assert not cycle.bank_holiday(D(2026, 8, 3))  # Scotland's summer bank holiday
    assert not cycle.bank_holiday(D(2026, 11, 30))  # St Andrew's Day (Scotland only)


def test_due_text_and_late_issue(board_db) -> None:
    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        m = mtg.create_meeting(s, sec, dt.datetime(2026, 12, 11, 14, 0))
        assert cycle.due_text(cycle.pack_due(m)) == "Pack due by Thu 03/12/2026"
        assert not cycle.is_late(m, dt.datetime(2026, 12, 3, 23, 59))
        assert cycle.is_late(m, D(2026, 12, 4))
        assert cycle.describe_due(m, D(2026, 12, 1)) == "Pack due by Thu 03/12/2026"
        assert cycle.describe_due(m, D(2026, 12, 3)) == "Pack due by Thu 03/12/2026: today"
        assert "1 day(s) late" in cycle.describe_due(m, D(2026, 12, 4))
        cycle.set_notice_period(s, sec, 3)
        assert cycle.pack_due(m) == D(2026, 12, 7)
        assert not cycle.is_late(m, D(2026, 12, 4))


def test_notice_period_is_checked_and_restricted(board_db) -> None:
    sec = actor(board_db, "sec")
    for bad in (-1, 31, 2.5, "5", True):
        with pytest.raises(ValidationError, match="notice period"), board_db.transaction() as s:
            cycle.set_notice_period(s, sec, bad)
    from vrboard.model import AccessRole, Channel
    from vrboard.services.context import Actor

    viewer = Actor(None, "Viewer", AccessRole.VIEWER, Channel.APP, "test")
    with pytest.raises(PermissionDenied), board_db.transaction() as s:
        cycle.set_notice_period(s, viewer, 4)


def test_dashboard_and_meeting_detail_show_when_the_pack_is_due(board_db) -> None:
    from vrboard.services import dashboard
    from vrboard.services.meeting_views import meeting_detail

    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        m = mtg.create_meeting(s, sec, dt.datetime(2026, 12, 11, 14, 0))
        mid = m.id
    with board_db.session() as s:
        got = dashboard.summary(s, sec, D(2026, 11, 20), dt.datetime(2026, 11, 20, 9, 0))
        assert got.next_meeting is not None
        assert got.next_meeting.pack_due == "Pack due by Thu 03/12/2026"
        assert meeting_detail(s, mid, sec).pack_due.startswith("Pack due by Thu 03/12/2026")


def test_terms_of_reference_are_checked(board_db) -> None:
    from vrboard.services.standing import DEFAULT_STANDING, set_terms, terms

    sec = actor(board_db, "sec")
    with board_db.session() as s:
        assert terms(s).standing == DEFAULT_STANDING and terms(s).notice_clear_days == 5
    for kw, message in (({"quorum": 0}, "Quorum must be a whole number from 1 to 50"),
                        ({"notice_clear_days": 40}, "Notice period must be a whole number"),
                        ({"standing": [("", "Chair", 5)]}, "Title of standing item 1 is required"),
                        ({"standing": [("AOB", "Chair", 0)]}, "Minutes of standing item 1")):
        args = {"quorum": 3, "notice_clear_days": 5, "standing": DEFAULT_STANDING, **kw}
        with pytest.raises(ValidationError, match=message), board_db.transaction() as s:
            set_terms(s, sec, **args)
    with board_db.transaction() as s:
        set_terms(s, sec, quorum=4, notice_clear_days=3, standing=[("Welcome", "Chair", 5)])
    with board_db.session() as s:
        assert terms(s).standing == (("Welcome", "Chair", 5, False),) and terms(s).quorum == 4


def test_plans_add_edit_close(board_db) -> None:
    from vrboard.errors import ConflictError
    from vrboard.services.setup import add_plan, close_plan, update_plan

    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        p = add_plan(s, sec, code="sva", name="Serious Violence Duty strategy", period="2026-29",
                     period_start=D(2026, 4, 1), reference_prefix="sv")
        pid, version = p.id, p.version
        assert (p.code, p.reference_prefix) == ("SVA", "SV")
    with pytest.raises(ValidationError, match="Plan code SVA is already used"), \
            board_db.transaction() as s:
        add_plan(s, sec, code="SVA", name="Again")
    with pytest.raises(ValidationError, match="would end .* before it starts"), \
            board_db.transaction() as s:
        close_plan(s, sec, pid, D(2026, 1, 1))
    with board_db.transaction() as s:
        update_plan(s, sec, pid, version, {"name": "Serious Violence Duty strategy 2026-29"})
    with pytest.raises(ConflictError), board_db.transaction() as s:
        update_plan(s, sec, pid, version, {"name": "Stale"})
    with board_db.transaction() as s:
        assert close_plan(s, sec, pid, D(2029, 3, 31)).period_end == D(2029, 3, 31)
