"""People and memberships: one chair at a time, sensible terms, unique logins, the acting chair."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.helpers import load
from vrboard.errors import NotFound, PermissionDenied, ValidationError
from vrboard.model import BoardRole, Channel, Membership, Person
from vrboard.services import board as brd
from vrboard.services.context import find_person, resolve_actor

TODAY = dt.date.today()


def test_one_chair_at_a_time(demo_db):
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        p = brd.add_person(s, sec, name="Cllr New Chair", login="nchair", access_role="chair")
    with pytest.raises(ValidationError, match="Zoë Adeyemi is already chair from .*one chair at a time"), \
            demo_db.transaction() as s:
        brd.add_membership(s, sec, p.id, role="chair", term_start=TODAY)
    with demo_db.transaction() as s:  # end the old term first, then the new chair may start
        old = s.scalars(select(Membership).where(Membership.role == BoardRole.CHAIR)).one()
        brd.end_membership(s, sec, old.id, old.version, TODAY - dt.timedelta(days=1), "Stood down")
        brd.add_membership(s, sec, p.id, role="chair", term_start=TODAY)
    from tests.core.helpers import first_action
    from vrboard.model import ActionStatus
    from vrboard.services import actions as act

    a = first_action(demo_db, ActionStatus.AWAITING_SIGN_OFF)
    with demo_db.transaction() as s:
        act.sign_off(s, actor(demo_db, "nchair"), a.id, None)


def test_membership_terms(demo_db):
    sec = actor(demo_db, "rkaplan")
    with demo_db.session() as s:
        marsh = s.scalars(select(Person).where(Person.login == "hmarsh")).one()
        m = marsh.memberships[0]
    with pytest.raises(ValidationError, match="already has a membership from"), demo_db.transaction() as s:
        brd.add_membership(s, sec, marsh.id, role="member", term_start=TODAY)
    with pytest.raises(ValidationError, match="The term ends .* before it starts"), \
            demo_db.transaction() as s:
        brd.update_membership(s, sec, m.id, None, {"term_end": m.term_start - dt.timedelta(days=1)})
    with pytest.raises(ValidationError, match="cannot be their own substitute"), demo_db.transaction() as s:
        brd.update_membership(s, sec, m.id, None, {"named_substitute_id": marsh.id})
    with pytest.raises(ValidationError, match="is not a board role"), demo_db.transaction() as s:
        brd.update_membership(s, sec, m.id, None, {"role": "treasurer"})
    assert load(demo_db, Membership, m.id).version == m.version


def test_refused_membership_change_is_not_left_in_the_session(demo_db):
    sec = actor(demo_db, "rkaplan")
    with demo_db.session() as s:
        m = s.scalars(select(Membership).where(Membership.role == BoardRole.MEMBER)).first()
    with demo_db.transaction() as s:
        with pytest.raises(ValidationError, match="already chair"):
            brd.update_membership(s, sec, m.id, None, {"role": "chair", "notes": "Promoted"})
        brd.add_person(s, sec, name="Someone Else")  # the session carries on and commits
    again = load(demo_db, Membership, m.id)
    assert (again.role, again.notes, again.version) == (m.role, m.notes, m.version)


def test_people(demo_db):
    sec = actor(demo_db, "rkaplan")
    with pytest.raises(ValidationError, match="The login 'TFLETCHER' is already Tom Fletcher's"), \
            demo_db.transaction() as s:
        brd.add_person(s, sec, name="Tom Fletcher II", login="TFLETCHER")
    with pytest.raises(ValidationError, match="is not an e-mail address"), demo_db.transaction() as s:
        brd.add_person(s, sec, name="No Mail", email="not an address")
    with pytest.raises(ValidationError, match="is not an access role"), demo_db.transaction() as s:
        brd.add_person(s, sec, name="Boss", access_role="admin")
    with demo_db.transaction() as s:
        p = brd.add_person(s, sec, name="Temp Officer", login="tofficer", access_role="owner")
        brd.update_person(s, sec, p.id, None, {"active": False})
    with demo_db.session() as s:
        assert find_person(s, "TOFFICER").name == "Temp Officer"
        with pytest.raises(PermissionDenied, match="marked inactive"):
            resolve_actor(s, "tofficer", Channel.APP)
        with pytest.raises(NotFound, match="No person on this board has the login"):
            resolve_actor(s, "ghost", Channel.APP)
