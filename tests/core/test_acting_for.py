"""On an embedded file the operating-system login is who acts; the secretariat may record what
someone else did (--as), and every entry made that way records both people."""
from __future__ import annotations

import getpass

import pytest
from sqlalchemy import select

from tests.conftest import actor, sit
from vrboard.errors import NotFound, PermissionDenied
from vrboard.model import Action, AuditEntry, Channel, Meeting, ProgressUpdate
from vrboard.services import action_batch as batch
from vrboard.services import actions as act
from vrboard.services import meetings as mtg
from vrboard.services.action_rows import action_detail
from vrboard.services.context import SYSTEM, resolve_actor


def _meetings(db):
    with db.session() as s:
        return s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()


def _as(db, who, login="rkaplan"):
    with db.session() as s:
        return resolve_actor(s, who, Channel.COMMAND_LINE)


def test_the_os_login_acts_and_as_records_both_people(demo_db, monkeypatch):
    me = _as(demo_db, None)
    assert (me.name, me.recorded_by_name, me.who()) == ("Ruth Kaplan", "", "Ruth Kaplan")
    same = _as(demo_db, "Ruth Kaplan")  # naming yourself is acting as yourself
    assert not same.on_behalf
    chair = _as(demo_db, "zadeyemi")
    assert chair.name == "Cllr Zoë Adeyemi" and chair.recorded_by_name == "Ruth Kaplan"
    assert chair.recorded_by_id == me.person_id
    assert chair.describe() == "Ruth Kaplan for Cllr Zoë Adeyemi (chair)"


@pytest.mark.parametrize("login", ["tfletcher", "zadeyemi", "hmarsh"])
def test_only_the_secretariat_may_use_as(demo_db, monkeypatch, login):
    monkeypatch.setattr(getpass, "getuser", lambda: login)
    assert _as(demo_db, None).recorded_by_name == ""
    with pytest.raises(PermissionDenied) as err:
        _as(demo_db, "rkaplan")
    assert "only the board secretariat may record what someone else did" in str(err.value)
    assert "leave out --as" in str(err.value)


def test_an_unknown_login_cannot_borrow_a_name(demo_db, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "intruder")
    with pytest.raises(NotFound, match="logged in to this computer as 'intruder'"):
        _as(demo_db, None)
    with pytest.raises(PermissionDenied, match="'intruder', which is not linked to anyone"):
        _as(demo_db, "rkaplan")
    monkeypatch.setattr(getpass, "getuser", lambda: "rkaplan")
    with pytest.raises(NotFound, match="'nobody' \\(given with --as\\)"):
        _as(demo_db, "nobody")


def test_minutes_approved_by_the_chair_as_recorded_by_the_clerk(demo_db, tmp_path):
    from vrboard.pdf import build_minutes

    _m1, m2, m3 = _meetings(demo_db)
    clerk_for_chair = _as(demo_db, "zadeyemi")
    sit(demo_db, m3.id)  # approved at the meeting, while it sits
    with demo_db.transaction() as s:
        mtg.approve_minutes(s, clerk_for_chair, m2.id, m3.id)
    with demo_db.session() as s:
        m = s.get(Meeting, m2.id)
        assert m.minutes_signed_by.login == "zadeyemi"
        assert mtg.signed_by(m) == "Cllr Zoë Adeyemi (recorded by Ruth Kaplan)"
        entries = s.scalars(select(AuditEntry).where(AuditEntry.entity == "meeting",
                                                     AuditEntry.entity_id == m2.id)).all()
        signed = [e for e in entries if e.field == "minutes_signed_by_id"]
        assert signed and all(e.actor_name == "Cllr Zoë Adeyemi" and e.recorded_by_name == "Ruth Kaplan"
                              and e.recorded_by_id == clerk_for_chair.recorded_by_id for e in signed)
        path = build_minutes(s, m2.id, tmp_path / "m.pdf").path
    from pypdf import PdfReader

    text = " ".join((p.extract_text() or "") for p in PdfReader(str(path)).pages).replace("\n", " ")
    assert "Cllr Zoë Adeyemi (recorded by Ruth Kaplan)" in text
    with pytest.raises(Exception, match=r"signed by Cllr Zoë Adeyemi \(recorded by Ruth Kaplan\)"), \
            demo_db.transaction() as s:
        mtg.save_minute(s, actor(demo_db, "rkaplan"), m.items[0].id, "Changed", [])


def test_the_batch_path_and_progress_record_both_people(demo_db):
    for_tom = _as(demo_db, "tfletcher")
    with demo_db.session() as s:
        mine = s.scalars(select(Action).where(Action.owner.has(login="tfletcher"),
                                              Action.status == "in_progress")).all()
        a, b = mine[0].id, mine[1].id
    with demo_db.transaction() as s:
        act.add_progress(s, for_tom, a, "Told the clerk on the phone.")
        done = batch.apply_updates(s, for_tom, [batch.ActionUpdate(1, b, None, {"percent_complete": 55},
                                                                   "Phoned in.", source="phone")])
        assert not done.refused
    with demo_db.session() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.recorded_by_name != "")).all()
        assert {(e.entity, e.field) for e in rows} >= {("progress_update", "created"),
                                                        ("action", "percent_complete")}
        assert all(e.actor_name == "Tom Fletcher" and e.recorded_by_name == "Ruth Kaplan" for e in rows)
        ups = s.scalars(select(ProgressUpdate).where(ProgressUpdate.text.in_(
            ["Told the clerk on the phone.", "Phoned in."]))).all()
        assert len(ups) == 2 and all(u.author_name == "Tom Fletcher" and u.recorded_by_name == "Ruth Kaplan"
                                     for u in ups)
        line = action_detail(s, a, SYSTEM).updates[0]
        assert line.author == "Tom Fletcher" and line.source.endswith("recorded by Ruth Kaplan")


def test_export_audit_names_both_people(demo_db, tmp_path):
    from python_calamine import CalamineWorkbook

    from vrboard.excel import export_audit

    with demo_db.transaction() as s:
        act.add_progress(s, _as(demo_db, "tfletcher"), _first_open(s), "By phone.")
    with demo_db.session() as s:
        path = export_audit(s, actor(demo_db, "rkaplan"), tmp_path / "audit.xlsx").path
    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_name("Audit log").to_python()
    assert any(r[1] == "Ruth Kaplan for Tom Fletcher" for r in rows)


def _first_open(s):
    return s.scalars(select(Action.id).where(Action.owner.has(login="tfletcher"),
                                             Action.status == "in_progress")).first()
