"""``vrboard verify`` catches tampering by direct SQL, each with the right finding, on SQLite
and PostgreSQL; a record changed only through vrboard verifies; the check in docs/ works."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select, text

from tests.conftest import actor
from vrboard.cli import main
from vrboard.model import Action, ActionStatus, AuditEntry, ProgressUpdate
from vrboard.services import actions as act
from vrboard.services import meetings as mt
from vrboard.services.verify import Finding, VerifyResult, verify
from vrboard.store import Database

ROOT = Path(__file__).resolve().parents[2]


def _tampered(db: Database, *statements: tuple[str, dict]) -> VerifyResult:
    """Verify after ``statements`` run by direct SQL in the same transaction, then undo them."""
    who = actor(db, "hmarsh")  # a viewer may check
    with db.session() as s:
        for sql, params in statements:
            s.connection().execute(text(sql), params)
        result = verify(s, who)
        s.rollback()
    return result


def _one_action(db: Database) -> Action:
    with db.session() as s:
        return s.scalars(select(Action).where(Action.status == ActionStatus.IN_PROGRESS)
                         .order_by(Action.id)).first()


def _middle_entry(db: Database) -> AuditEntry:
    with db.session() as s:
        ids = s.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
        return s.get(AuditEntry, ids[len(ids) // 2])


def test_tampering_by_direct_sql_is_caught_with_the_right_finding(demo_any: Database):
    db = demo_any
    clean = _tampered(db)
    assert clean.ok, clean.findings[:3]
    assert clean.entries > 500 and re.fullmatch(r"Verified [\d,]+ audit entries, 0 issued documents, "
                                                r"0 signed minutes", clean.summary)
    a = _one_action(db)
    entry = _middle_entry(db)
    with db.session() as s:
        next_id = s.scalar(select(AuditEntry.id).where(AuditEntry.id > entry.id).order_by(AuditEntry.id))

    # a value changed
    r = _tampered(db, ("UPDATE action SET title = 'Forged' WHERE id = :i", {"i": a.id}))
    (f,) = r.findings
    assert (f.kind, f.table, f.row_id, f.field, f.expected, f.found) == ("row", "action", a.id, "title",
                                                                          a.title, "Forged")
    assert "changed outside vrboard" in f.message and a.reference in f.message

    # an entry deleted
    r = _tampered(db, ("DELETE FROM audit_entry WHERE id = :i", {"i": entry.id}))
    f = r.findings[0]
    assert (f.kind, f.entry_id) == ("chain", next_id) and "does not follow" in f.message

    # an entry's text changed
    r = _tampered(db, ("UPDATE audit_entry SET actor_name = 'Someone Else' WHERE id = :i", {"i": entry.id}))
    f = r.findings[0]
    assert (f.kind, f.entry_id) == ("chain", entry.id) and "changed after it was written" in f.message

    # an entry rewritten with a freshly computed hash of its own: the next entry no longer follows
    r = _tampered(db, ("UPDATE audit_entry SET entry_hash = :h WHERE id = :i", {"h": "a" * 64,
                                                                                "i": entry.id}))
    assert [f.entry_id for f in r.findings[:2]] == [entry.id, next_id]

    # a row inserted without its entry
    r = _tampered(db, ("INSERT INTO domain (position, name, version) VALUES (99, 'Smuggled in', 1)", {}))
    (f,) = r.findings
    assert (f.kind, f.table) == ("row", "domain") and "Smuggled in" in f.message
    assert "no audit entry that created it" in f.message

    # a row deleted without its entry
    with db.session() as s:
        pu = s.scalars(select(ProgressUpdate).order_by(ProgressUpdate.id.desc())).first()
    r = _tampered(db, ("DELETE FROM progress_update WHERE id = :i", {"i": pu.id}))
    (f,) = r.findings
    assert (f.kind, f.table, f.row_id) == ("row", "progress_update", pu.id) and "deleted outside" in f.message

    # the newest entries deleted (the chain still links): the record no longer matches the trail
    with db.transaction() as s:
        act.update_action(s, actor(db, "rkaplan"), a.id, None, {"lead_organisation": "Changed in vrboard"})
    with db.session() as s:
        last = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    r = _tampered(db, ("DELETE FROM audit_entry WHERE id = :i", {"i": last}))
    (f,) = r.findings
    assert (f.table, f.row_id, f.field, f.found) == ("action", a.id, "lead_organisation",
                                                     "Changed in vrboard")

    # an action's plans changed behind vrboard's back
    with db.session() as s:
        plan_id = s.execute(text("SELECT id FROM plan WHERE id NOT IN (SELECT plan_id FROM action_plan "
                                 "WHERE action_id = :a) ORDER BY id"), {"a": a.id}).scalar()
    r = _tampered(db, ("INSERT INTO action_plan (action_id, plan_id) VALUES (:a, :p)", {"a": a.id,
                                                                                        "p": plan_id}))
    (f,) = r.findings
    assert (f.table, f.row_id, f.field) == ("action", a.id, "plans")


def test_what_the_database_does_by_itself_after_a_deletion_is_not_a_finding(demo_any: Database):
    """Deleting an agenda item clears the reference of an action raised at it (ON DELETE SET
    NULL), which writes no entry: the trail records the item's deletion, so that is fine."""
    db = demo_any
    sec = actor(db, "rkaplan")
    with db.transaction() as s:
        m = mt.create_meeting(s, sec, dt.datetime(2031, 3, 4, 14, 0, tzinfo=dt.UTC))
        item = mt.add_item(s, sec, m.id, title="Knife crime update")
        a = act.create_action(s, sec, title="Raised at the item", workstream_id=_one_action(db).workstream_id,
                              raised_meeting_id=m.id, raised_item_id=item.id)
        item_id, action_id = item.id, a.id
    with db.transaction() as s:
        mt.delete_item(s, sec, item_id)
    with db.session() as s:
        assert s.get(Action, action_id).raised_item_id is None
        result = verify(s, sec)
    assert result.ok, result.findings[:3]


def test_the_command_line_names_the_first_finding_and_exits_1(demo_db: Database, capsys):
    url = demo_db.url
    assert main(["--db", url, "--as", "rkaplan", "verify"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"Verified [\d,]+ audit entries, 0 issued documents, 0 signed minutes\n"
                    r"Chain head: [0-9a-f]{64}\n",
                    out)
    a = _one_action(demo_db)
    demo_db.close()
    path = url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # as someone with the sqlite3 shell would
        conn.execute("UPDATE action SET rag = 'green', title = 'Forged' WHERE id = ?", (a.id,))
    assert main(["--db", url, "--as", "rkaplan", "verify"]) == 1
    cap = capsys.readouterr()
    assert cap.out == ""
    assert cap.err.startswith(f"vrboard: the record does not prove itself: action {a.id} ({a.reference}) "
                              "was changed outside vrboard: its ")
    assert "Traceback" not in cap.err
    assert main(["--db", url, "--as", "rkaplan", "verify", "--all"]) == 1
    assert "'Forged', the audit trail expects" in capsys.readouterr().err


def test_the_check_in_the_docs_works_without_vrboard(demo_db: Database, tmp_path: Path):
    docs = (ROOT / "docs" / "audit-chain.md").read_text("utf-8")
    (code,) = re.findall(r"```python\n(.*?)```", docs, re.S)
    script = tmp_path / "check_chain.py"
    script.write_text(code, "utf-8")
    path = demo_db.url.removeprefix("sqlite:///")
    with demo_db.session() as s:
        head = verify(s, actor(demo_db, "rkaplan")).head
        n = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()))
    demo_db.close()
    ok = subprocess.run([sys.executable, "-I", str(script), path], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and ok.stdout == f"{n} entries chained; head {head}\n", ok.stderr
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE audit_entry SET new_value = 'x' WHERE id = 10")
    bad = subprocess.run([sys.executable, "-I", str(script), path], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 1 and bad.stderr == "entry 10 was changed after it was written\n"


def test_a_document_checker_plugs_in(demo_db: Database):
    def documents(session, progress):
        return {"issued documents": 12, "signed minutes": 1}, ["Minutes of 3 March 2031 no longer match"]

    with demo_db.session() as s:
        r = verify(s, actor(demo_db, "rkaplan"), documents=documents)
    assert r.summary.endswith(", 12 issued documents, 1 signed minute")
    assert r.findings == [Finding("document", "Minutes of 3 March 2031 no longer match")]
