"""Every change writes its audit entries in the same transaction; a rolled-back change leaves
none; a flush without an acting user is refused."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import create_engine, func, select

from tests.conftest import actor
from tests.core.helpers import audit_count, first_action
from vrboard.model import ActionStatus, AuditEntry, Channel, Person, Plan
from vrboard.services import actions as act
from vrboard.services import meetings as mtg


def _entries_since(db, last_id):
    with db.session() as s:
        return s.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)).all()


def _last_id(db):
    with db.session() as s:
        return s.scalar(select(func.max(AuditEntry.id))) or 0


def test_update_records_who_what_old_and_new(demo_any):
    db = demo_any
    a = first_action(db, ActionStatus.IN_PROGRESS)
    sec = actor(db, "rkaplan")
    last = _last_id(db)
    with db.transaction() as s:
        act.update_action(s, sec, a.id, a.version, {"rag": "red", "plan_codes": ["VAWG", "KCAP"],
                                                    "revised_due_date": dt.date(2030, 3, 31)})
    entries = _entries_since(db, last)
    by_field = {e.field: e for e in entries}
    assert set(by_field) >= {"rag", "plans", "revised_due_date"}
    assert all(e.entity == "action" and e.entity_id == a.id and e.entity_label == a.reference
               for e in entries)
    assert (by_field["rag"].old_value, by_field["rag"].new_value) == (a.rag.value, "red")
    assert by_field["revised_due_date"].new_value == "2030-03-31"
    assert by_field["plans"].new_value == "KCAP, VAWG"
    e = by_field["rag"]
    assert (e.actor_id, e.actor_name, e.channel) == (sec.person_id, "Ruth Kaplan", Channel.APP)
    assert abs(e.at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    assert "version" not in by_field and "updated_at" not in by_field


def test_creation_and_deletion_are_recorded_with_a_snapshot(demo_db):
    sec = actor(demo_db, "rkaplan")
    last = _last_id(demo_db)
    with demo_db.transaction() as s:
        a = act.create_action(s, sec, title="Map youth provision by ward", workstream_id=2,
                              plan_codes=["BSC", "SLAP"], due_date=dt.date(2030, 1, 31))
        m = mtg.create_meeting(s, sec, dt.datetime(2030, 2, 3, 14, 0))
        item = mtg.add_item(s, sec, m.id, title="To be withdrawn")
    with demo_db.transaction() as s:
        mtg.delete_item(s, sec, item.id)
    entries = _entries_since(demo_db, last)
    created = next(e for e in entries if e.entity == "action" and e.field == "created")
    snap = json.loads(created.new_value)
    assert snap["title"] == "Map youth provision by ward" and snap["due_date"] == "2030-01-31"
    assert snap["plans"] == "BSC, SLAP" and created.entity_label == a.reference
    deleted = next(e for e in entries if e.field == "deleted")
    assert deleted.entity == "agenda_item" and json.loads(deleted.old_value)["title"] == "To be withdrawn"
    assert deleted.new_value is None


def test_channel_and_source_travel_with_the_actor(demo_db):
    a = first_action(demo_db, ActionStatus.IN_PROGRESS, owner_login="tfletcher")
    who = actor(demo_db, "tfletcher").via(Channel.IMPORT, "returns.xlsx row 7")
    last = _last_id(demo_db)
    with demo_db.transaction() as s:
        act.add_progress(s, who, a.id, "From the spreadsheet", percent=70)
    entries = _entries_since(demo_db, last)
    assert entries and all(e.channel is Channel.IMPORT and e.source == "returns.xlsx row 7"
                           for e in entries)
    assert {e.entity for e in entries} == {"progress_update", "action"}


def test_rolled_back_change_leaves_no_audit_entry(demo_any):
    db = demo_any
    a = first_action(db, ActionStatus.IN_PROGRESS)
    before = audit_count(db)
    with pytest.raises(RuntimeError, match="changed my mind"), db.transaction() as s:
        act.update_action(s, actor(db, "rkaplan"), a.id, None, {"title": "Never saved"})
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before + 1  # flushed...
        raise RuntimeError("changed my mind")
    assert audit_count(db) == before  # ... and gone with the change


def test_audit_entries_commit_with_the_change(demo_db, sqlite_url):
    """Another connection sees neither the change nor its entries until the commit."""
    a = first_action(demo_db, ActionStatus.IN_PROGRESS)
    before = audit_count(demo_db)
    other = create_engine(sqlite_url)
    try:
        with demo_db.session() as s:
            act.update_action(s, actor(demo_db, "rkaplan"), a.id, None, {"rag": "red"})
            with other.connect() as conn:
                assert conn.scalar(select(func.count()).select_from(AuditEntry)) == before
            s.commit()
        with other.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
    finally:
        other.dispose()


def test_flush_without_an_actor_is_refused(board_db):
    before = audit_count(board_db)
    with pytest.raises(RuntimeError, match="without an acting user"), board_db.transaction() as s:
        s.add(Person(name="Sneaked in"))
        s.flush()
    with pytest.raises(RuntimeError, match="without an acting user"), board_db.transaction() as s:
        s.scalars(select(Plan)).first().name = "Renamed quietly"
    with board_db.session() as s:
        assert s.scalar(select(Person).where(Person.name == "Sneaked in")) is None
    assert audit_count(board_db) == before


def test_reading_needs_no_actor(board_db):
    with board_db.transaction() as s:
        assert s.scalars(select(Plan)).all()
