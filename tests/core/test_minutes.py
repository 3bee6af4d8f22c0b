"""Signed minutes are locked: agenda, papers, attendance, declarations and minutes of that
meeting; only the chair (or acting chair) approves, at a later meeting, minutes of a held one."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor, sit
from tests.core.conftest import table_rows
from tests.core.helpers import audit_count
from vrboard.errors import PermissionDenied, RuleViolation
from vrboard.model import AttendanceStatus, Meeting, MeetingStatus
from vrboard.services import board as brd
from vrboard.services import meetings as mtg


def _meetings(db):
    with db.session() as s:
        return s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()


def test_demo_has_the_earliest_minutes_signed(demo_db):
    m1, m2, m3 = _meetings(demo_db)
    assert m1.minutes_locked and m1.minutes_approved_at_id == m2.id
    assert not m2.minutes_locked and not m3.minutes_locked


def test_everything_about_a_signed_meeting_is_locked(demo_db):
    m1 = _meetings(demo_db)[0]
    with demo_db.session() as s:
        m = s.get(Meeting, m1.id)
        item = m.items[3]
        paper = next(p for i in m.items for p in i.papers)
        decl = m.declarations[0]
        person = m.attendance[0].person_id
        minute_item = next(i for i in m.items if i.minute is not None)
        ids = (item.id, item.version, paper.id, decl.id, minute_item.id)
    item_id, item_version, paper_id, decl_id, minute_item_id = ids
    attempts = {
        "update the meeting": lambda s, u: mtg.update_meeting(s, u, m1.id, None, {"venue": "Elsewhere"}),
        "add an item": lambda s, u: mtg.add_item(s, u, m1.id, title="Late item"),
        "edit an item": lambda s, u: mtg.update_item(s, u, item_id, item_version, {"title": "New"}),
        "move an item": lambda s, u: mtg.move_item(s, u, item_id, 1),
        "delete an item": lambda s, u: mtg.delete_item(s, u, item_id),
        "attach a paper": lambda s, u: mtg.attach_paper(s, u, item_id, "Late paper", "late.pdf"),
        "remove a paper": lambda s, u: mtg.remove_paper(s, u, paper_id),
        "change attendance": lambda s, u: mtg.set_attendance(s, u, m1.id, person,
                                                             AttendanceStatus.ABSENT),
        "add a declaration": lambda s, u: mtg.add_declaration(s, u, m1.id, person, "Late interest"),
        "remove a declaration": lambda s, u: mtg.remove_declaration(s, u, decl_id),
        "rewrite the minutes": lambda s, u: mtg.save_minute(s, u, minute_item_id, "Rewritten", []),
        "sign them again": lambda s, u: mtg.approve_minutes(s, u, m1.id, _meetings(demo_db)[2].id),
    }
    before = table_rows(demo_db)
    for what, attempt in attempts.items():
        who = "zadeyemi" if what == "sign them again" else "rkaplan"
        with pytest.raises(RuleViolation) as err, demo_db.transaction() as s:
            attempt(s, actor(demo_db, who))
        msg = str(err.value)
        assert f"The minutes of {m1.starts_at:%d/%m/%Y} were signed by Cllr Zoë Adeyemi" in msg, what
        assert "are locked" in msg, what
    assert table_rows(demo_db) == before


def test_other_meetings_stay_editable(demo_db):
    _m1, m2, m3 = _meetings(demo_db)
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        mtg.update_meeting(s, sec, m2.id, m2.version, {"venue": "Council Chamber"})
        mtg.add_item(s, sec, m3.id, title="Matters arising from the Youth Panel")


def _approve(db, who, meeting_id, at_id):
    sit(db, at_id)
    with db.transaction() as s:
        return mtg.approve_minutes(s, actor(db, who), meeting_id, at_id)


@pytest.mark.parametrize("who", ["rkaplan", "tfletcher", "hmarsh", "lnowak"])
def test_only_the_chair_approves_minutes(demo_db, who):
    _m1, m2, m3 = _meetings(demo_db)
    with pytest.raises(PermissionDenied) as err:
        _approve(demo_db, who, m2.id, m3.id)
    assert "Only the chair (or the vice-chair recorded as acting chair) may approve and sign minutes" \
        in str(err.value)


def test_chair_approves_and_the_meeting_locks(demo_db):
    _m1, m2, m3 = _meetings(demo_db)
    sit(demo_db, m3.id)
    before = audit_count(demo_db)
    _approve(demo_db, "zadeyemi", m2.id, m3.id)
    with demo_db.session() as s:
        m = s.get(Meeting, m2.id)
        assert m.minutes_locked and m.minutes_signed_by.login == "zadeyemi"
        assert m.minutes_approved_at_id == m3.id
        first_item = m.items[0].id
        assert abs(m.minutes_signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert audit_count(demo_db) == before + 3
    with pytest.raises(RuleViolation, match="are locked"), demo_db.transaction() as s:
        mtg.save_minute(s, actor(demo_db, "rkaplan"), first_item, "Changed", [])


def test_acting_vice_chair_approves(demo_db):
    _m1, m2, m3 = _meetings(demo_db)
    with demo_db.transaction() as s:
        brd.set_acting_chair(s, actor(demo_db, "rkaplan"), actor(demo_db, "lnowak").person_id)
    _approve(demo_db, "lnowak", m2.id, m3.id)
    with demo_db.session() as s:
        assert s.get(Meeting, m2.id).minutes_signed_by.login == "lnowak"


def test_approval_rules(demo_db):
    _m1, m2, m3 = _meetings(demo_db)
    with pytest.raises(RuleViolation, match="approved at a later meeting"):
        _approve(demo_db, "zadeyemi", m2.id, m2.id)
    with pytest.raises(RuleViolation, match="meeting that was held"):
        _approve(demo_db, "zadeyemi", m3.id, m3.id)
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:  # a held meeting with no minutes written yet
        empty = mtg.create_meeting(s, sec, m2.starts_at + dt.timedelta(days=7),
                                   status=MeetingStatus.HELD)
        mtg.add_item(s, sec, empty.id, title="Welcome and apologies")
    with pytest.raises(RuleViolation, match="has no minutes yet"):
        _approve(demo_db, "zadeyemi", empty.id, m3.id)
