"""Two people editing the same record: the second save is refused as a conflict and nothing
is overwritten, on SQLite and on the real PostgreSQL server, with two sessions."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.helpers import audit_count, first_action, load
from vrboard.errors import ConflictError
from vrboard.model import Action, ActionStatus, Meeting
from vrboard.services import actions as act
from vrboard.services import meetings as mtg


def test_second_save_from_an_older_copy_is_refused(demo_any):
    """Both sessions load the record; the first saves; the second's flush finds the version
    moved on (UPDATE ... WHERE version = old matches no row)."""
    db = demo_any
    a = first_action(db, ActionStatus.IN_PROGRESS)
    sec, chair = actor(db, "rkaplan"), actor(db, "zadeyemi")
    first, second = db.session(), db.session()
    try:
        mine = first.get(Action, a.id)
        theirs = second.get(Action, a.id)
        assert mine.version == theirs.version == a.version
        act.update_action(first, sec, a.id, a.version, {"title": "Ruth's wording"})
        first.commit()
        before = audit_count(db)
        with pytest.raises(ConflictError) as err:
            act.update_action(second, chair, a.id, a.version, {"title": "Zoë's wording"})
        second.rollback()
        assert "was changed by someone else while you were saving" in str(err.value)
        assert "nothing was overwritten" in str(err.value)
        assert audit_count(db) == before
    finally:
        first.close()
        second.close()
    saved = load(db, Action, a.id)
    assert saved.title == "Ruth's wording" and saved.version == a.version + 1


def test_save_based_on_a_stale_version_number_is_refused(demo_any):
    """The app keeps the version it showed; a fresh session still refuses an old one."""
    db = demo_any
    a = first_action(db, ActionStatus.IN_PROGRESS)
    with db.transaction() as s:
        act.update_action(s, actor(db, "rkaplan"), a.id, a.version, {"rag": "amber"})
    with pytest.raises(ConflictError) as err, db.transaction() as s:
        act.add_progress(s, actor(db, "zadeyemi"), a.id, "Late news", percent=80,
                         expected_version=a.version)
    msg = str(err.value)
    assert f"your copy is version {a.version}, the saved one is version {a.version + 1}" in msg
    assert err.value.entity == "action" and err.value.entity_id == a.id
    assert load(db, Action, a.id).percent_complete == a.percent_complete


def test_conflict_on_a_meeting(demo_any):
    db = demo_any
    with db.session() as s:
        m = s.scalars(select(Meeting).order_by(Meeting.starts_at.desc())).first()
    first, second = db.session(), db.session()
    try:
        first.get(Meeting, m.id), second.get(Meeting, m.id)
        mtg.update_meeting(first, actor(db, "rkaplan"), m.id, m.version, {"venue": "Room A"})
        first.commit()
        with pytest.raises(ConflictError):
            mtg.update_meeting(second, actor(db, "zadeyemi"), m.id, m.version, {"venue": "Room B"})
        second.rollback()
    finally:
        first.close()
        second.close()
    assert load(db, Meeting, m.id).venue == "Room A"
