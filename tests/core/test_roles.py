"""Roles: the secretariat does everything but sign-off and approval; the chair everything;
an owner updates only their own actions and only status, RAG, percent and progress; a viewer
only reads. Each refusal says who may do it, and changes nothing."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.conftest import table_rows
from tests.core.helpers import first_action, load
from vrboard.errors import PermissionDenied
from vrboard.model import RAG, AccessRole, Action, ActionStatus, Meeting, Person
from vrboard.services import actions as act
from vrboard.services import board as brd
from vrboard.services import indicators as ind
from vrboard.services import meetings as mtg
from vrboard.services.context import Perm, can


def test_role_permissions_table():
    from vrboard.services.context import Actor

    def a(role):
        return Actor(1, "x", role)

    for perm in Perm:
        assert can(a(AccessRole.SECRETARIAT), perm) and can(a(AccessRole.CHAIR), perm)
    assert {p for p in Perm if can(a(AccessRole.VIEWER), p)} == {Perm.READ}
    assert not can(a(AccessRole.OWNER), Perm.EDIT_ACTIONS)
    assert can(a(AccessRole.OWNER), Perm.UPDATE_OWN_ACTIONS)


def test_owner_updates_status_rag_percent_and_progress_of_own_action(demo_db):
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, owner_login="tfletcher")
    owner = actor(demo_db, "tfletcher")
    with demo_db.transaction() as s:
        act.update_action(s, owner, a.id, a.version, {"rag": "amber", "percent_complete": 60})
        act.add_progress(s, owner, a.id, "Half the sessions delivered", percent=65, rag=RAG.GREEN)
    after = load(demo_db, Action, a.id)
    assert (after.rag, after.percent_complete) == (RAG.GREEN, 65)
    with demo_db.transaction() as s:
        act.mark_complete(s, owner, a.id, None)
    assert load(demo_db, Action, a.id).status is ActionStatus.AWAITING_SIGN_OFF


@pytest.mark.parametrize("field, value", [
    ("title", "Something else"), ("due_date", dt.date(2030, 1, 1)), ("owner_id", None),
    ("plan_codes", ["VAWG"]), ("description", "Changed"),
])
def test_owner_may_not_change_other_fields(demo_db, field, value):
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, owner_login="tfletcher")
    before = table_rows(demo_db)
    with pytest.raises(PermissionDenied) as err, demo_db.transaction() as s:
        act.update_action(s, actor(demo_db, "tfletcher"), a.id, None, {field: value})
    msg = str(err.value)
    assert "Owners may change status, RAG and percent complete and add progress" in msg
    assert f"{field} may be changed only by the secretariat or the chair" in msg
    assert table_rows(demo_db) == before


def test_owner_may_not_touch_someone_elses_action(demo_db):
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, not_owner_login="tfletcher")
    owner = actor(demo_db, "tfletcher")
    with demo_db.session() as s:
        theirs = s.get(Action, a.id).owner.name
    before = table_rows(demo_db)
    for attempt in (lambda s: act.update_action(s, owner, a.id, None, {"rag": "red"}),
                    lambda s: act.add_progress(s, owner, a.id, "Not mine", percent=10),
                    lambda s: act.mark_complete(s, owner, a.id, None)):
        with pytest.raises(PermissionDenied) as err, demo_db.transaction() as s:
            attempt(s)
        assert f"{a.reference} belongs to {theirs}; owners may update only their own actions" \
            in str(err.value)
        assert "The secretariat or the chair may update any action" in str(err.value)
    assert table_rows(demo_db) == before


def test_owner_may_not_drop_or_create(demo_db):
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, owner_login="tfletcher")
    owner = actor(demo_db, "tfletcher")
    with pytest.raises(PermissionDenied, match="Only the secretariat or the chair may drop"), \
            demo_db.transaction() as s:
        act.update_action(s, owner, a.id, None, {"status": "dropped"})
    with pytest.raises(PermissionDenied, match="Only the secretariat or chair may create and edit any"), \
            demo_db.transaction() as s:
        act.create_action(s, owner, title="Mine", workstream_id=1)


READS_ONLY = "who may only read"


def test_viewer_only_reads(demo_db):
    a = first_action(demo_db, ActionStatus.IN_PROGRESS)
    viewer = actor(demo_db, "hmarsh")
    with demo_db.session() as s:
        m3 = s.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).first()
        person = s.scalars(select(Person)).first()
    before = table_rows(demo_db)
    attempts = {
        "update": (lambda s: act.update_action(s, viewer, a.id, None, {"rag": "red"}),
                   "Only the secretariat or the chair may update any action, and an owner their own"),
        "progress": (lambda s: act.add_progress(s, viewer, a.id, "x", percent=5), READS_ONLY),
        "create": (lambda s: act.create_action(s, viewer, title="x", workstream_id=1),
                   "Only the secretariat or chair may create and edit any action"),
        "meeting": (lambda s: mtg.add_item(s, viewer, m3.id, title="x"),
                    "Only the secretariat or chair may change meetings"),
        "person": (lambda s: brd.update_person(s, viewer, person.id, None, {"job_title": "x"}),
                   "Only the secretariat or chair may change the board's membership"),
        "indicator": (lambda s: ind.set_value(s, viewer, 1, "2019/20 Q1", 3.0),
                      "Only the secretariat or chair may"),
    }
    for what, (attempt, expected) in attempts.items():
        with pytest.raises(PermissionDenied) as err, demo_db.transaction() as s:
            attempt(s)
        assert expected in str(err.value), what
        assert "Helen Marsh (viewer)" in str(err.value), what
    assert table_rows(demo_db) == before


def test_secretariat_does_everything_but_sign_off_and_approval(demo_db):
    sec = actor(demo_db, "rkaplan")
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, not_owner_login="rkaplan")
    with demo_db.transaction() as s:
        act.update_action(s, sec, a.id, a.version, {"title": "Retitled by the secretariat",
                                                     "due_date": dt.date.today() + dt.timedelta(days=30)})
        act.add_progress(s, sec, a.id, "Reported at the board on the owner's behalf", percent=50)
        new = act.create_action(s, sec, title="New action", workstream_id=1, plan_codes=["KCAP"])
        assert new.reference.startswith("KC-")
        m3 = s.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).first()
        mtg.add_item(s, sec, m3.id, title="Extra item")
        p = brd.add_person(s, sec, name="Dr New Member", email="new@example.gov.uk")
        brd.add_membership(s, sec, p.id, role="member", term_start=dt.date.today())
        act.drop(s, sec, new.id, None, "Raised in error")
    awaiting = first_action(demo_db, ActionStatus.AWAITING_SIGN_OFF)
    with pytest.raises(PermissionDenied, match="may sign off actions"), demo_db.transaction() as s:
        act.sign_off(s, sec, awaiting.id, None)
    with pytest.raises(PermissionDenied, match="may approve and sign minutes"), \
            demo_db.transaction() as s:
        m = s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        mtg.approve_minutes(s, sec, m[1].id, m[2].id)


def test_chair_may_edit_too(demo_db):
    chair = actor(demo_db, "zadeyemi")
    a = first_action(demo_db, ActionStatus.IN_PROGRESS)
    with demo_db.transaction() as s:
        act.update_action(s, chair, a.id, None, {"rag": "red"})
    assert load(demo_db, Action, a.id).rag is RAG.RED


def test_refused_update_changes_nothing_even_in_a_session_that_carries_on(demo_db):
    """An importer may skip a refused row and go on in the same transaction: the refused
    change must not ride along with the next flush."""
    a = first_action(demo_db, ActionStatus.IN_PROGRESS)
    b = first_action(demo_db, ActionStatus.NOT_STARTED)
    sec = actor(demo_db, "rkaplan")
    from vrboard.errors import RuleViolation, ValidationError

    with demo_db.transaction() as s:
        with pytest.raises(RuleViolation):
            act.update_action(s, sec, a.id, None, {"title": "Should not stick", "status": "signed_off"})
        with pytest.raises(ValidationError, match="before the start date"):
            act.update_action(s, sec, a.id, None, {"rag": "red", "start_date": dt.date(2030, 1, 1),
                                                   "due_date": dt.date(2029, 1, 1)})
        with pytest.raises(ValidationError, match="reason the action is dropped"):
            act.update_action(s, sec, a.id, None, {"rag": "amber", "status": "dropped"})
        act.update_action(s, sec, b.id, None, {"rag": "amber"})
    after = load(demo_db, Action, a.id)
    assert (after.title, after.rag, after.status, after.version) == (a.title, a.rag, a.status, a.version)
    assert load(demo_db, Action, b.id).rag is RAG.AMBER


def test_a_login_matches_the_local_part_of_a_unique_email(board_db):
    from vrboard.services import board as brd
    from vrboard.services.context import SYSTEM, find_person

    with board_db.transaction() as s:
        brd.add_person(s, SYSTEM, name="Ada Byron", email="abyron@example.gov.uk")
        brd.add_person(s, SYSTEM, name="A. Smith", email="asmith@example.gov.uk")
        brd.add_person(s, SYSTEM, name="Al Smith", email="asmith@partner.org.uk")
        brd.add_person(s, SYSTEM, name="Under Score", email="u_s@example.gov.uk")
    with board_db.session() as s:
        assert find_person(s, "ABYRON").name == "Ada Byron"
        assert find_person(s, "asmith") is None  # two people: ambiguous, so nobody
        assert find_person(s, "u_s").name == "Under Score"
        assert find_person(s, "uxs") is None  # '_' is not a wildcard
        assert find_person(s, "aby") is None
