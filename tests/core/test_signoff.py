"""Only the chair, or the vice-chair recorded as acting chair, signs off; only actions awaiting
sign-off; signed-off actions are read-only until the chair reopens them with a reason."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.helpers import audit_count, first_action, load
from vrboard.errors import PermissionDenied, RuleViolation, ValidationError
from vrboard.model import Action, ActionStatus, AuditEntry, Person, SignOff, SignOffKind
from vrboard.services import actions as act
from vrboard.services import board as brd

CHAIR_ONLY = "Only the chair (or the vice-chair recorded as acting chair) may sign off actions"


def _sign(db, who, action_id, note="Agreed complete"):
    with db.transaction() as s:
        return act.sign_off(s, actor(db, who), action_id, None, note)


def test_chair_signs_off_an_action_awaiting_sign_off(demo_db):
    a = first_action(demo_db, ActionStatus.AWAITING_SIGN_OFF)
    before = audit_count(demo_db)
    _sign(demo_db, "zadeyemi", a.id, "Evidence seen at the board")
    with demo_db.session() as s:
        done = s.get(Action, a.id)
        assert done.status is ActionStatus.SIGNED_OFF and done.version == a.version + 1
        last = done.sign_offs[-1]
        assert (last.kind, last.by.login, last.note) == (
            SignOffKind.SIGNED_OFF, "zadeyemi", "Evidence seen at the board")
        entries = s.scalars(select(AuditEntry).where(AuditEntry.id > 0).order_by(AuditEntry.id)).all()
        status = [e for e in entries if e.entity == "action" and e.entity_id == a.id
                  and e.field == "status"][-1]
        assert (status.old_value, status.new_value) == ("awaiting_sign_off", "signed_off")
        assert status.actor_name == "Cllr Zoë Adeyemi"
    assert audit_count(demo_db) == before + 2  # the status change and the new sign-off record


@pytest.mark.parametrize("who, reason", [
    ("rkaplan", "Ruth Kaplan is not the chair of the board"),
    ("tfletcher", "Tom Fletcher is not the chair of the board"),
    ("hmarsh", "Helen Marsh is not the chair of the board"),
    ("lnowak", "the vice-chair may do this only while recorded as acting chair"),
])
def test_others_may_not_sign_off(demo_db, who, reason):
    a = first_action(demo_db, ActionStatus.AWAITING_SIGN_OFF)
    before = audit_count(demo_db)
    with pytest.raises(PermissionDenied) as err:
        _sign(demo_db, who, a.id)
    assert CHAIR_ONLY in str(err.value) and reason in str(err.value)
    assert load(demo_db, Action, a.id).status is ActionStatus.AWAITING_SIGN_OFF
    assert audit_count(demo_db) == before


def test_vice_chair_signs_off_while_recorded_as_acting_chair(demo_db):
    a, b = [x.id for x in _awaiting(demo_db)[:2]]
    vice = actor(demo_db, "lnowak")
    with demo_db.transaction() as s:
        brd.set_acting_chair(s, actor(demo_db, "rkaplan"), vice.person_id)
    _sign(demo_db, "lnowak", a)
    assert load(demo_db, Action, a).status is ActionStatus.SIGNED_OFF
    with demo_db.transaction() as s:  # the chair is back: the record is cleared
        brd.set_acting_chair(s, actor(demo_db, "rkaplan"), None)
    with pytest.raises(PermissionDenied, match="only while recorded as acting chair"):
        _sign(demo_db, "lnowak", b)


def _awaiting(db):
    with db.session() as s:
        return s.scalars(select(Action).where(Action.status == ActionStatus.AWAITING_SIGN_OFF)
                         .order_by(Action.reference)).all()


def test_only_a_vice_chair_can_be_recorded_as_acting_chair(demo_db):
    member = actor(demo_db, "hmarsh")
    with pytest.raises(ValidationError, match="Only a current vice-chair"), demo_db.transaction() as s:
        brd.set_acting_chair(s, actor(demo_db, "rkaplan"), member.person_id)
    with pytest.raises(PermissionDenied, match="change the board's membership"), \
            demo_db.transaction() as s:
        brd.set_acting_chair(s, actor(demo_db, "tfletcher"), actor(demo_db, "lnowak").person_id)


def test_a_chair_whose_term_ended_may_not_sign_off(demo_db):
    import datetime as dt

    chair = actor(demo_db, "zadeyemi")
    with demo_db.transaction() as s:
        m = s.get(Person, chair.person_id).memberships[0]
        brd.end_membership(s, actor(demo_db, "rkaplan"), m.id, m.version,
                           dt.date.today() - dt.timedelta(days=1), "Stood down")
    a = first_action(demo_db, ActionStatus.AWAITING_SIGN_OFF)
    with pytest.raises(PermissionDenied, match="is not the chair"):
        _sign(demo_db, "zadeyemi", a.id)


@pytest.mark.parametrize("status", [ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED,
                                    ActionStatus.SIGNED_OFF, ActionStatus.DROPPED])
def test_only_actions_awaiting_sign_off_can_be_signed_off(demo_db, status):
    a = first_action(demo_db, status)
    with pytest.raises(RuleViolation, match="only actions that are complete and awaiting sign-off"):
        _sign(demo_db, "zadeyemi", a.id)
    assert load(demo_db, Action, a.id).status is status


def test_status_cannot_be_set_to_signed_off_directly(demo_db):
    a = first_action(demo_db, ActionStatus.AWAITING_SIGN_OFF)
    for who in ("rkaplan", "zadeyemi"):
        with pytest.raises(RuleViolation, match="only by the chair's sign-off"), \
                demo_db.transaction() as s:
            act.update_action(s, actor(demo_db, who), a.id, None, {"status": "signed_off"})
    with pytest.raises(RuleViolation, match="cannot start signed off"), demo_db.transaction() as s:
        act.create_action(s, actor(demo_db, "rkaplan"), title="x", workstream_id=1,
                          status="signed_off")


@pytest.mark.parametrize("who", ["rkaplan", "zadeyemi"])
def test_signed_off_actions_are_read_only(demo_db, who):
    a = first_action(demo_db, ActionStatus.SIGNED_OFF)
    attempts = [
        lambda s, u: act.update_action(s, u, a.id, None, {"title": "Rewritten"}),
        lambda s, u: act.update_action(s, u, a.id, None, {"rag": "red"}),
        lambda s, u: act.add_progress(s, u, a.id, "More news", percent=50),
        lambda s, u: act.drop(s, u, a.id, None, "No longer needed"),
    ]
    before = audit_count(demo_db)
    for attempt in attempts:
        with pytest.raises(RuleViolation) as err, demo_db.transaction() as s:
            attempt(s, actor(demo_db, who))
        msg = str(err.value)
        assert f"{a.reference} was signed off by Cllr Zoë Adeyemi on" in msg
        assert "only the chair can reopen it, giving a reason" in msg
    assert audit_count(demo_db) == before
    assert load(demo_db, Action, a.id).version == a.version


def test_the_chair_reopens_with_a_reason(demo_db):
    a = first_action(demo_db, ActionStatus.SIGNED_OFF)
    with pytest.raises(PermissionDenied, match="may reopen signed-off actions"), \
            demo_db.transaction() as s:
        act.reopen(s, actor(demo_db, "rkaplan"), a.id, None, "Secretariat wants it back")
    with pytest.raises(ValidationError, match="Reason is required"), demo_db.transaction() as s:
        act.reopen(s, actor(demo_db, "zadeyemi"), a.id, None, "   ")
    with demo_db.transaction() as s:
        act.reopen(s, actor(demo_db, "zadeyemi"), a.id, a.version,
                   "The evaluation report was not yet published")
    with demo_db.session() as s:
        again = s.get(Action, a.id)
        assert again.status is ActionStatus.IN_PROGRESS and again.completed_on is None
        last = again.sign_offs[-1]
        assert last.kind is SignOffKind.REOPENED and "evaluation report" in last.note
        kinds = [x.kind for x in s.scalars(select(SignOff).where(SignOff.action_id == a.id))]
        assert kinds == [SignOffKind.SIGNED_OFF, SignOffKind.REOPENED]
    with demo_db.transaction() as s:  # editable again
        act.add_progress(s, actor(demo_db, "rkaplan"), a.id, "Report due next month", percent=90)
    with pytest.raises(RuleViolation, match="is not signed off"), demo_db.transaction() as s:
        act.reopen(s, actor(demo_db, "zadeyemi"), a.id, None, "again")


def test_complete_then_sign_off_end_to_end(demo_db):
    """Owner completes their action; the chair signs it off; the trail shows both."""
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, owner_login="tfletcher")
    owner = actor(demo_db, "tfletcher")
    with demo_db.transaction() as s:
        act.mark_complete(s, owner, a.id, a.version, "Delivered; evidence sent.")
    done = load(demo_db, Action, a.id)
    assert done.status is ActionStatus.AWAITING_SIGN_OFF and done.percent_complete == 100
    assert done.completed_on is not None
    _sign(demo_db, "zadeyemi", a.id)
    with demo_db.session() as s:
        trail = s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "action", AuditEntry.entity_id == a.id,
            AuditEntry.field == "status").order_by(AuditEntry.id)).all()
        assert [(e.actor_name, e.new_value) for e in trail][-2:] == [
            ("Tom Fletcher", "awaiting_sign_off"), ("Cllr Zoë Adeyemi", "signed_off")]
