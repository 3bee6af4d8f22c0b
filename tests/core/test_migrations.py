"""Migrations: the models and the Alembic revisions agree; a newer database is refused; the
SQLite file is copied aside before an upgrade."""
from __future__ import annotations

import shutil
import sqlite3
import textwrap

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

import vrboard.store as store
from tests.conftest import build_demo_into
from vrboard.errors import DatabaseError
from vrboard.model import Base
from vrboard.store import current_revision, head_revision, open_database


def test_models_and_migrations_agree(any_url):
    db = open_database(any_url)
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True,
                                                         "compare_server_default": True})
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        assert current_revision(db.engine) == head_revision()
        assert set(inspect(db.engine).get_table_names()) == set(Base.metadata.tables) | {
            "alembic_version"}
    finally:
        db.close()


def test_a_fresh_database_is_created_at_head_without_a_copy(sqlite_url):
    db = open_database(sqlite_url)
    try:
        assert db.migration.before is None and db.migration.after == head_revision()
        assert db.migration.backup is None
    finally:
        db.close()
    again = open_database(sqlite_url)  # already at head: nothing to do, nothing copied
    try:
        assert again.migration.before == head_revision() and again.migration.backup is None
    finally:
        again.close()


def _stamp(url, revision):
    engine = create_engine(store.resolve_url(url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    engine.dispose()


def test_a_newer_database_is_refused(any_url, tmp_path):
    open_database(any_url).close()
    _stamp(any_url, "9f3e_future")
    with pytest.raises(DatabaseError) as err:
        open_database(any_url)
    msg = str(err.value)
    assert "was written by a newer version of vrboard (schema 9f3e_future)" in msg
    assert f"this version knows schemas up to {head_revision()}" in msg
    assert "Nothing was changed" in msg
    engine = create_engine(store.resolve_url(any_url))
    try:
        assert current_revision(engine) == "9f3e_future"
    finally:
        engine.dispose()
    assert not list(tmp_path.glob("*.bak"))


def test_a_database_of_someone_elses_tables_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(DatabaseError, match="holds tables that are not vrboard's"):
        open_database(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"customers"}


REVISION_0002 = '''
"""test upgrade: a probe table

Revision ID: 9999probe
Revises: {down}
"""
import sqlalchemy as sa
from alembic import op

revision = "9999probe"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("upgrade_probe", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade() -> None:
    op.drop_table("upgrade_probe")
'''


def test_sqlite_file_is_copied_aside_before_an_upgrade(tmp_path, monkeypatch):
    path = tmp_path / "board.sqlite3"
    url = f"sqlite:///{path}"
    db = open_database(url)
    build_demo_into(db)
    old_head = head_revision()
    db.close()

    scripts = tmp_path / "db"
    shutil.copytree(store.DB_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_probe.py").write_text(
        textwrap.dedent(REVISION_0002).replace("{down}", old_head), encoding="utf-8")
    monkeypatch.setattr(store, "DB_DIR", scripts)
    assert head_revision() == "9999probe"

    db = open_database(url)
    try:
        result = db.migration
        assert (result.before, result.after) == (old_head, "9999probe")
        assert result.backup is not None and result.backup.exists()
        assert result.backup.parent == path.parent
        assert result.backup.name.startswith("board.sqlite3.before-9999probe-")
        assert result.backup.suffix == ".bak"
        assert current_revision(db.engine) == "9999probe"
        assert "upgrade_probe" in inspect(db.engine).get_table_names()
    finally:
        db.close()
    with sqlite3.connect(result.backup) as conn:  # the copy holds the old schema and all the data
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (old_head,)
        assert conn.execute("SELECT count(*) FROM action").fetchone()[0] >= 60
        assert conn.execute("SELECT count(*) FROM audit_entry").fetchone()[0] > 500
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "upgrade_probe" not in names
