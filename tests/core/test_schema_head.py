"""The constant that lets a current database open without importing Alembic."""
from sqlalchemy import text

from vrboard.store import head_revision, open_database, schema_head, stamped_revision


def test_schema_head_read_from_files_matches_alembic():
    assert schema_head() == head_revision()


def test_opening_a_current_database_skips_alembic(sqlite_url):
    open_database(sqlite_url).close()  # creates and migrates
    db = open_database(sqlite_url)
    try:
        assert stamped_revision(db.engine) == schema_head()
        assert db.migration.before == db.migration.after == schema_head()
        assert db.migration.backup is None
    finally:
        db.close()


def test_an_unmigrated_database_has_no_stamp(tmp_path):
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    assert stamped_revision(engine) is None
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
    assert stamped_revision(engine) is None
    engine.dispose()


def test_opening_a_current_database_does_not_import_alembic(sqlite_url):
    import subprocess
    import sys

    open_database(sqlite_url).close()
    code = ("import sys; from vrboard.store import open_database; "
            f"open_database({sqlite_url!r}).close(); print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
