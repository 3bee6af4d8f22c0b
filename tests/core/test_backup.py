"""Backup and restore: the document, and moving a board between SQLite and PostgreSQL."""
from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from sqlalchemy import select

from tests.conftest import actor
from tests.core.conftest import row_counts, table_rows
from vrboard.backup import FORMAT, backup, read_backup, restore
from vrboard.model import Action, AuditEntry, Base, Meeting
from vrboard.progress import Cancelled
from vrboard.services import actions as act
from vrboard.services import board as brd
from vrboard.store import head_revision, open_database


def test_backup_document_shape(demo_db, tmp_path):
    path = tmp_path / "board.json"
    result = backup(demo_db, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == FORMAT == "vrboard-backup"
    assert doc["format_version"] == 2
    assert list(doc)[-1] == "checksum" and doc["checksum"].startswith("sha256:")
    assert doc["schema_revision"] == head_revision()
    created = dt.datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00"))
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)
    names = {t.name for t in Base.metadata.sorted_tables}
    assert set(doc["tables"]) == names
    assert {"action_plan", "audit_entry"} <= names and "alembic_version" not in doc["tables"]
    counts = row_counts(demo_db)
    for name, table in doc["tables"].items():
        assert len(table["rows"]) == counts[name] == result.counts[name]
        assert table["columns"] == [c.name for c in Base.metadata.tables[name].columns]
        for row in table["rows"]:
            assert list(row) == table["columns"]
    assert result.total_rows == sum(counts.values()) > 1000
    assert len(doc["tables"]["action_plan"]["rows"]) > 60
    # JSON-safe values: dates ISO, UTC timestamps with Z, local meeting times without a zone.
    a = doc["tables"]["action"]["rows"][0]
    assert dt.date.fromisoformat(a["due_date"])
    assert a["created_at"].endswith("Z") and a["status"] in {s.value for s in act.ActionStatus}
    m = doc["tables"]["meeting"]["rows"][0]
    assert "Z" not in m["starts_at"] and dt.datetime.fromisoformat(m["starts_at"]).tzinfo is None
    assert m["minutes_signed_at"].endswith("Z")
    v = doc["tables"]["indicator_value"]["rows"][0]
    assert isinstance(v["value"], float)
    assert doc["tables"]["person"]["rows"][0]["active"] is True
    audit = doc["tables"]["audit_entry"]["rows"]
    assert audit and all(r["at"].endswith("Z") for r in audit)


def test_gzip_when_name_ends_in_gz(demo_db, tmp_path):
    plain, packed = tmp_path / "b.json", tmp_path / "b.json.gz"
    backup(demo_db, plain)
    backup(demo_db, packed)
    assert packed.read_bytes()[:2] == b"\x1f\x8b"
    assert plain.read_bytes()[:1] == b"{"
    # The papers' PDFs (already compressed, base64 in the file) gain little from gzip.
    assert packed.stat().st_size < plain.stat().st_size / 2
    a, b = json.loads(gzip.decompress(packed.read_bytes())), read_backup(plain)
    for doc in (a, b):
        doc.pop("created_at"), doc.pop("checksum")
    assert a == b


def test_sqlite_to_sqlite_row_for_row(demo_db, tmp_path):
    path = tmp_path / "board.json.gz"
    backup(demo_db, path)
    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        result = restore(target, path)
        assert result.counts == row_counts(demo_db)
        assert table_rows(target) == table_rows(demo_db)
    finally:
        target.close()


@pytest.mark.postgres
def test_sqlite_to_postgresql_every_row_and_audit_entry(demo_db, pg_url, tmp_path):
    """The issue's promise: move the board from the SQLite file to the PostgreSQL server
    with nothing lost, and keep working there."""
    path = tmp_path / "board.json.gz"
    backup(demo_db, path)
    pg = open_database(pg_url)
    try:
        restore(pg, path)
        source, copied = table_rows(demo_db), table_rows(pg)
        for name in source:
            assert copied[name] == source[name], f"table {name} differs"
        assert len(copied["audit_entry"]) > 500
        with pg.session() as s:  # the self reference survived: meeting 1 approved at meeting 2
            m1 = s.scalars(select(Meeting).order_by(Meeting.starts_at)).first()
            assert m1.minutes_approved_at_id is not None and m1.minutes_locked
        _new_rows_get_fresh_ids(pg)
        # ... and back again: PostgreSQL -> SQLite is just as faithful.
        back_path = tmp_path / "back.json"
        backup(pg, back_path)
        back = open_database(f"sqlite:///{tmp_path / 'back.sqlite3'}")
        try:
            restore(back, back_path)
            assert table_rows(back) == table_rows(pg)
        finally:
            back.close()
    finally:
        pg.close()


def _new_rows_get_fresh_ids(db):
    """Sequences were moved past the restored ids: new rows insert without clashing."""
    sec = actor(db, "rkaplan")
    with db.transaction() as s:
        before = s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
        top = s.scalar(select(Action.id).order_by(Action.id.desc()).limit(1))
        ws = s.scalars(select(act.Workstream)).first()
        a = act.create_action(s, sec, title="Made after the move", workstream_id=ws.id)
        p = brd.add_person(s, sec, name="New Starter")
        assert a.id == top + 1 and p.id is not None
    with db.session() as s:
        assert s.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) > before


def test_insert_after_restore_on_sqlite(demo_db, tmp_path):
    path = tmp_path / "b.json"
    backup(demo_db, path)
    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        restore(target, path)
        _new_rows_get_fresh_ids(target)
    finally:
        target.close()


def test_progress_is_reported(demo_db, tmp_path):
    calls = []
    path = tmp_path / "b.json"
    backup(demo_db, path, progress=lambda done, total, msg="": calls.append((done, total, msg)))
    total = sum(row_counts(demo_db).values())
    assert calls[-1][:2] == (total, total)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)
    calls.clear()
    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        restore(target, path, progress=lambda done, total, msg="": calls.append((done, total, msg)))
    finally:
        target.close()
    size = path.stat().st_size  # a restore streams the file: progress is how far through it
    assert calls[-1][:2] == (size, size) and any("audit_entry" in c[2] for c in calls)
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


def test_cancelled_backup_leaves_no_file(demo_db, tmp_path):
    def cancel(done, total, msg=""):
        if done > 300:
            raise Cancelled()

    path = tmp_path / "b.json"
    with pytest.raises(Cancelled):
        backup(demo_db, path, progress=cancel)
    assert not path.exists() and not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


def test_cancelled_restore_writes_nothing(demo_db, tmp_path):
    path = tmp_path / "b.json"
    backup(demo_db, path)

    def cancel(done, total, msg=""):
        if done > 500:
            raise Cancelled()

    target = open_database(f"sqlite:///{tmp_path / 'copy.sqlite3'}")
    try:
        with pytest.raises(Cancelled):
            restore(target, path, progress=cancel)
        assert sum(row_counts(target).values()) == 0
        restore(target, path)  # and the database is still usable for a real restore
        assert table_rows(target) == table_rows(demo_db)
    finally:
        target.close()


def test_backup_refuses_a_missing_folder(demo_db, tmp_path):
    from vrboard.errors import ValidationError

    with pytest.raises(ValidationError, match="does not exist"):
        backup(demo_db, tmp_path / "no" / "such" / "b.json")


def test_backup_refuses_a_database_at_another_schema(demo_db, sqlite_url, tmp_path):
    from sqlalchemy import text

    from vrboard.errors import DatabaseError

    with demo_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'old1'"))
    stale = open_database(sqlite_url, migrate_schema=False)
    try:
        with pytest.raises(DatabaseError, match="has schema old1, not .*No backup was written"):
            backup(stale, tmp_path / "b.json")
    finally:
        stale.close()
    assert not (tmp_path / "b.json").exists()


def test_backup_refuses_a_folder_or_an_unwritable_place(demo_db, tmp_path):
    from vrboard.errors import ValidationError

    with pytest.raises(ValidationError, match="is a folder"):
        backup(demo_db, tmp_path)
    (tmp_path / ".b.json.partial").mkdir()  # the file cannot be written where it must go
    with pytest.raises(ValidationError, match="Cannot write .*b.json: .*No backup was written"):
        backup(demo_db, tmp_path / "b.json")
    assert not (tmp_path / "b.json").exists()
