"""Under the database's rules, each role's ordinary work still goes through vrboard on a shared
server: an owner's tracker round trip, the secretariat's minutes and actions, the chair's
sign-off and approval of minutes. Every change is audited in the actor's own name."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import sit
from tests.core.pgboard import PgBoard
from tests.excel.conftest import col, edit, export, import_file, row_of
from vrboard.model import ActionStatus, Channel, Meeting, MeetingStatus
from vrboard.services import actions as act
from vrboard.services import meetings as mtg
from vrboard.services.context import resolve_actor

pytestmark = pytest.mark.postgres


def _me(db):  # noqa: ANN001, ANN202
    with db.session() as s:
        return resolve_actor(s, None, Channel.APP)


def test_an_owners_tracker_round_trip(pgb: PgBoard, tmp_path: Path) -> None:
    tom = pgb.login("tfletcher")
    db = pgb.open("tfletcher")
    ref = pgb.admin_sql("SELECT reference FROM action WHERE owner_id = :p AND status IN "
                        "('not_started', 'in_progress') ORDER BY reference LIMIT 1",
                        p=pgb.person_id("tfletcher"))[0][0]
    last = pgb.admin_sql("SELECT max(id) FROM audit_entry")[0][0]
    src = tmp_path / "tracker.xlsx"
    export(db, tom, src, owner=tom)
    row = row_of(src, ref)
    back = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{row}": 65,
                                               f"{col('progress')}{row}": "Returned by Tom."})
    _, result = import_file(db, tom, back)
    assert result.applied == [row] and result.progress_added == 1
    assert pgb.admin_sql("SELECT percent_complete FROM action WHERE reference = :r", r=ref) == [(65,)]
    assert pgb.admin_sql("SELECT DISTINCT actor_name FROM audit_entry WHERE id > :n",
                         n=last) == [("Tom Fletcher",)]


def test_the_secretariat_writes_minutes_and_actions(pgb: PgBoard) -> None:
    db = pgb.open("rkaplan")
    me = _me(db)
    item = pgb.admin_sql("SELECT i.id FROM agenda_item i JOIN meeting m ON m.id = i.meeting_id "
                         "WHERE m.status = 'planned' ORDER BY m.starts_at, i.position LIMIT 1")[0][0]
    with db.transaction() as s:
        mtg.save_minute(s, me, item, "Discussed in full.", ["Agreed."])
        ws = pgb.admin_sql("SELECT id FROM workstream ORDER BY id LIMIT 1")[0][0]
        new = act.create_action(s, me, title="Set up the panel", workstream_id=ws,
                                owner_id=pgb.person_id("tfletcher"))
        act.update_action(s, me, new.id, None, {"title": "Set up the youth panel"})
    assert pgb.admin_sql("SELECT actor_name FROM audit_entry WHERE entity = 'action' AND "
                         "entity_id = :i AND field = 'title'", i=new.id) == [("Ruth Kaplan",)]


def test_the_chair_signs_off_and_approves_minutes(pgb: PgBoard) -> None:
    db = pgb.open("zadeyemi")
    me = _me(db)
    waiting = pgb.admin_sql("SELECT id FROM action WHERE status = 'awaiting_sign_off' ORDER BY id "
                            "DESC LIMIT 1")[0][0]
    with db.transaction() as s:
        act.sign_off(s, me, waiting, None, "Well done.")
    assert pgb.admin_sql("SELECT status FROM action WHERE id = :i", i=waiting) == [
        (ActionStatus.SIGNED_OFF.value,)]
    with db.session() as s:
        meetings = s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        held = next(m for m in meetings if m.status is MeetingStatus.HELD and not m.minutes_locked
                    and any(i.minute for i in m.items))
        later = next(m for m in meetings if m.starts_at > held.starts_at)
    sit(pgb.open("rkaplan"), later.id)  # the secretariat records the next meeting as sitting
    with db.transaction() as s:
        mtg.approve_minutes(s, me, held.id, later.id)
    assert pgb.admin_sql("SELECT minutes_signed_by_id FROM meeting WHERE id = :i", i=held.id) == [
        (me.person_id,)]
