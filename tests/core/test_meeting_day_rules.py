"""Rules the screen used to let a secretary break: quorum counting a person twice, substitutes
standing in twice or while present, a future meeting marked held, minutes approved at a meeting
that has not happened, and Part 2 items taken before Part 1."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor
from vrboard.errors import RuleViolation, ValidationError
from vrboard.model import Attendance, AttendanceStatus, Meeting, MeetingStatus, Person
from vrboard.services import meetings as mtg
from vrboard.services.audit import bind


@pytest.fixture
def planned(demo_db):
    with demo_db.session() as s:
        return s.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).first()


@pytest.fixture
def people(demo_db):
    with demo_db.session() as s:
        return {p.login: p.id for p in s.scalars(select(Person))}


def test_one_substitute_stands_in_for_one_member(demo_db, planned, people):
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["praman"], "apologies", people["abello"])
    with pytest.raises(ValidationError, match="already substitutes for .* one substitute stands in "
                                              "for one member"), demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["gokafor"], "apologies", people["abello"])


def test_a_member_present_cannot_also_substitute(demo_db, planned, people):
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["gokafor"], "present")
    with pytest.raises(ValidationError, match="present in their own right, so they cannot also "
                                              "stand in"), demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["praman"], "apologies", people["gokafor"])
    # ...and the other way round: a substitute recorded first cannot then be marked present.
    with demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["praman"], "apologies", people["abello"])
    with pytest.raises(ValidationError, match="is recorded as the substitute for"), \
            demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["abello"], "present")


def test_quorum_counts_each_person_once(demo_db, planned, people):
    """Even rows written before the rules (or straight into the database) count people once."""
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        mtg.set_attendance(s, sec, planned.id, people["zadeyemi"], "present")
        mtg.set_attendance(s, sec, planned.id, people["praman"], "apologies", people["abello"])
    with demo_db.session() as s:
        m = s.get(Meeting, planned.id)
        assert mtg.quorum(s, m).present == 2
        # A second absent member pointing at the same substitute, forced past the service
        # (never committed).
        bind(s, sec)
        m.attendance.append(Attendance(person_id=people["gokafor"], status=AttendanceStatus.ABSENT,
                                       substitute_id=people["abello"]))
        s.flush()
        assert mtg.quorum(s, m).present == 2
        s.rollback()


def test_a_future_meeting_cannot_be_marked_held(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    assert planned.starts_at > dt.datetime.now()
    with pytest.raises(ValidationError, match="has not started yet, so it cannot be marked as held"), \
            demo_db.transaction() as s:
        mtg.update_meeting(s, sec, planned.id, None, {"status": "held"})
    with pytest.raises(ValidationError, match="has not started yet"), demo_db.transaction() as s:
        mtg.create_meeting(s, sec, dt.datetime.now() + dt.timedelta(days=3), status="held")
    with demo_db.transaction() as s:  # the refused change is not left behind
        mtg.update_meeting(s, sec, planned.id, None, {"venue": "Committee Room 2"})
    with demo_db.session() as s:
        assert s.get(Meeting, planned.id).status is MeetingStatus.PLANNED
    past = dt.datetime.now() - dt.timedelta(days=2)
    with demo_db.transaction() as s:
        assert mtg.create_meeting(s, sec, past, status="held").status is MeetingStatus.HELD


def test_minutes_are_not_approved_at_a_meeting_yet_to_come(demo_db, planned):
    chair = actor(demo_db, "zadeyemi")
    with demo_db.session() as s:
        held = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD,
                                               Meeting.minutes_signed_at.is_(None))
                         .order_by(Meeting.starts_at.desc())).first()
    assert held is not None and planned.starts_at > dt.datetime.now()
    with pytest.raises(RuleViolation, match="has not taken place yet: minutes are approved at a "
                                            "meeting while it sits"), demo_db.transaction() as s:
        mtg.approve_minutes(s, chair, held.id, planned.id)


def test_part_two_items_come_after_part_one(demo_db, planned):
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        secret = mtg.add_item(s, sec, planned.id, title="Case review", part=2, exempt_paragraph=1)
        later = mtg.add_item(s, sec, planned.id, title="Added after the Part 2 item")
    with demo_db.session() as s:
        items = s.get(Meeting, planned.id).items
        parts = [i.part for i in items]
        assert parts == sorted(parts), parts
        assert [i.position for i in items] == list(range(1, len(items) + 1))
        assert items[-1].title == "Case review" or items[-1].part == 2
        assert next(i for i in items if i.id == later.id).position < \
            next(i for i in items if i.id == secret.id).position
    with demo_db.transaction() as s:  # moving a Part 2 item to the top keeps it in Part 2
        mtg.move_item(s, sec, secret.id, 1)
        mtg.update_item(s, sec, later.id, None, {"part": 2, "exempt_paragraph": 3})
    with demo_db.session() as s:
        items = s.get(Meeting, planned.id).items
        assert [i.part for i in items] == sorted(i.part for i in items)
        assert [i.position for i in items] == list(range(1, len(items) + 1))
