"""Meetings: agenda order, Part 2 items, attendance, substitutes, quorum and declarations."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.helpers import load
from vrboard.errors import NotFound, ValidationError
from vrboard.model import AgendaItem, AttendanceStatus, Meeting, Person
from vrboard.services import meetings as mtg


@pytest.fixture
def planned(demo_db):
    with demo_db.session() as s:
        return s.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).first()


def test_agenda_order_and_moves(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        item = mtg.add_item(s, sec, planned.id, title="Youth Panel recommendations", minutes_allotted=15)
        n = len(s.get(Meeting, planned.id).items)
        mtg.move_item(s, sec, item.id, 2)
    with demo_db.session() as s:
        items = s.get(Meeting, planned.id).items
        assert [i.position for i in items] == list(range(1, n + 1))
        assert items[1].title == "Youth Panel recommendations"
    with demo_db.transaction() as s:
        mtg.delete_item(s, sec, items[1].id)
    with demo_db.session() as s:
        items = s.get(Meeting, planned.id).items
        assert [i.position for i in items] == list(range(1, n))
        assert "Youth Panel recommendations" not in [i.title for i in items]


def test_part_two_needs_an_exempt_paragraph(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    before = len(load_items(demo_db, planned.id))
    with pytest.raises(ValidationError, match="is in Part 2: give the exempt-information paragraph"), \
            demo_db.transaction() as s:
        mtg.add_item(s, sec, planned.id, title="Case review", part=2)
    with pytest.raises(ValidationError, match="must be 1 to 7"), demo_db.transaction() as s:
        mtg.add_item(s, sec, planned.id, title="Case review", part=2, exempt_paragraph=9)
    with pytest.raises(ValidationError, match="Part 1 \\(public\\) or Part 2"), demo_db.transaction() as s:
        mtg.add_item(s, sec, planned.id, title="Case review", part=3)
    with demo_db.transaction() as s:
        ok = mtg.add_item(s, sec, planned.id, title="Case review", part=2, exempt_paragraph=1,
                          classification="OFFICIAL-SENSITIVE")
        public = mtg.add_item(s, sec, planned.id, title="Public item", exempt_paragraph=3)
    assert load(demo_db, AgendaItem, ok.id).is_exempt
    assert load(demo_db, AgendaItem, public.id).exempt_paragraph is None  # Part 1 carries none
    assert len(load_items(demo_db, planned.id)) == before + 2


def load_items(db, meeting_id):
    with db.session() as s:
        return list(s.get(Meeting, meeting_id).items)


def test_refused_item_edit_is_not_left_in_the_session(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    item = [i for i in load_items(demo_db, planned.id) if i.part == 1][-1]
    with demo_db.transaction() as s:
        with pytest.raises(ValidationError, match="is in Part 2"):
            mtg.update_item(s, sec, item.id, None, {"part": 2, "title": "Renamed"})
        with pytest.raises(ValidationError, match="is in Part 2"):
            mtg.add_item(s, sec, planned.id, title="Half-made", part=2)
        mtg.update_meeting(s, sec, planned.id, None, {"venue": "Room 3"})  # carries on, commits
    again = load(demo_db, AgendaItem, item.id)
    assert (again.title, again.part, again.version) == (item.title, item.part, item.version)
    assert "Half-made" not in [i.title for i in load_items(demo_db, planned.id)]


def test_attendance_substitutes_and_quorum(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    with demo_db.session() as s:
        people = {p.login: p.id for p in s.scalars(select(Person))}
    with demo_db.transaction() as s:
        m = s.get(Meeting, planned.id)
        assert mtg.quorum(s, m).present == 0 and not mtg.quorum(s, m).met
        mtg.set_attendance(s, sec, m.id, people["zadeyemi"], "present")
        mtg.set_attendance(s, sec, m.id, people["gokafor"], "present")
        mtg.set_attendance(s, sec, m.id, people["praman"], AttendanceStatus.APOLOGIES,
                           substitute_id=people["abello"], note="Director attends instead")
        mtg.set_attendance(s, sec, m.id, people["rkaplan"], "present")  # secretariat: not counted
        q = mtg.quorum(s, m)
        assert (q.present, q.required, q.met) == (3, m.quorum, 3 >= m.quorum)
        assert q.describe().startswith(f"{m.quorum} needed; 3 present")
        mtg.set_attendance(s, sec, m.id, people["praman"], "present")  # corrected: one row each
        assert len([a for a in m.attendance if a.person_id == people["praman"]]) == 1
    with pytest.raises(ValidationError, match="is present, so nobody substitutes"), \
            demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["gokafor"], "present", people["abello"])
    with pytest.raises(ValidationError, match="cannot substitute for themselves"), \
            demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["gokafor"], "apologies", people["gokafor"])
    with pytest.raises(ValidationError, match="Attendance must be one of present, apologies, absent"), \
            demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["gokafor"], "late")
    with pytest.raises(NotFound, match="no person with id 9999"), demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, 9999, "present")


def test_declarations(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    with demo_db.session() as s:
        other = s.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
        foreign_item = other.items[0].id
        person = s.scalars(select(Person).where(Person.login == "dbrooks")).one().id
    with demo_db.transaction() as s:
        d = mtg.add_declaration(s, sec, planned.id, person, "Board member of a housing trust",
                                "Other registrable", item_id=load_items(demo_db, planned.id)[4].id,
                                dispensation="Will leave the room for the item")
    with pytest.raises(ValidationError, match="belongs to another meeting"), demo_db.transaction() as s:
        mtg.add_declaration(s, sec, planned.id, person, "x", item_id=foreign_item)
    with pytest.raises(ValidationError, match="Nature of the interest is required"), \
            demo_db.transaction() as s:
        mtg.add_declaration(s, sec, planned.id, person, "  ")
    with demo_db.transaction() as s:
        mtg.remove_declaration(s, sec, d.id)


def test_meeting_values_are_checked(demo_db):
    sec = actor(demo_db, "rkaplan")
    when = dt.datetime(2030, 5, 1, 14, 0)
    for fields, message in [
        ({"quorum": 0}, "quorum must be a whole number from 1 to 50"),
        ({"status": "postponed"}, "Status must be one of planned, held, cancelled"),
        ({"classification": "SECRET"}, "Classification must be one of OFFICIAL, OFFICIAL-SENSITIVE"),
        ({"title": " "}, "Title is required"),
        ({"colour": "blue"}, "Unknown meeting field"),
    ]:
        with pytest.raises(ValidationError, match=message), demo_db.transaction() as s:
            mtg.create_meeting(s, sec, when, **fields)
    with pytest.raises(ValidationError, match="needs a date and time"), demo_db.transaction() as s:
        mtg.create_meeting(s, sec, "next Tuesday")
