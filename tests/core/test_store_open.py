"""Opening a database: the schema is built whole or not at all (a kill -9 during the first
open leaves nothing half-built), a schema an older vrboard left half-built is finished, read
commands never create or upgrade anything, and two ``init``s racing end cleanly."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from vrboard import schema
from vrboard.cli import main
from vrboard.errors import DatabaseError
from vrboard.model import Base
from vrboard.store import ENV_URL, OpenMode, head_revision, open_database, resolve_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop(ENV_URL, None)
    return env


# A first open that stops (and waits to be killed) after its tenth CREATE TABLE.
SLOW_FIRST_OPEN = textwrap.dedent('''
    import sys, time
    from sqlalchemy import event
    import vrboard.store as store

    made = store.make_engine

    def make_engine(url, timeouts=None):
        engine = made(url, timeouts)
        count = [0]

        @event.listens_for(engine, "before_cursor_execute")
        def before(conn, cursor, statement, *args):
            if statement.lstrip().upper().startswith("CREATE TABLE"):
                count[0] += 1
                if count[0] == 10:
                    open(sys.argv[2], "w").close()
                    time.sleep(60)
        return engine

    store.make_engine = make_engine
    store.open_database(sys.argv[1])
''')


def test_kill_during_the_first_open_leaves_no_half_built_schema(tmp_path, capsys):
    path, marker = tmp_path / "board.sqlite3", tmp_path / "tenth-table"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_FIRST_OPEN, str(path), str(marker)],
                            env=_env(), cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, "the first open ended before its tenth table"
            assert time.monotonic() < deadline, "the first open never reached its tenth table"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert _tables(path) == set(), "a killed first open left part of the schema"
    assert main(["--db", str(path), "--as", "sec", "init"]) == 0
    assert _tables(path) == set(Base.metadata.tables) | {"alembic_version"}
    assert "Initialised the board" in capsys.readouterr().out


def _half_built(path: Path, count: int = 10) -> None:
    """What an older vrboard left when killed during its first open: the first tables of the
    schema, made one by one, an empty alembic_version, no stamp."""
    engine = create_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine, tables=Base.metadata.sorted_tables[:count])
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"))
    engine.dispose()


@pytest.mark.parametrize("command", [["init"], ["init", "--if-needed"], ["init", "--demo"]])
def test_a_schema_left_half_built_is_finished_by_init(tmp_path, capsys, command):
    path = tmp_path / "old.sqlite3"
    _half_built(path)
    assert 5 < len(_tables(path)) < len(Base.metadata.tables)
    assert main(["--db", str(path), "--as", "sec", *command]) == 0, capsys.readouterr().err
    assert _tables(path) == set(Base.metadata.tables) | {"alembic_version"}
    db = open_database(str(path), mode=OpenMode.READ)
    try:
        assert db.migration.after == head_revision()
    finally:
        db.close()


def test_a_half_built_schema_holding_rows_is_refused_untouched(tmp_path):
    path = tmp_path / "odd.sqlite3"
    _half_built(path, 3)
    with sqlite3.connect(path) as conn:  # a row in one of them (the first whose checks allow 1s)
        for table in Base.metadata.sorted_tables[:3]:
            cols = [c.name for c in table.columns]
            try:
                conn.execute(f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES "
                             f"({', '.join('1' for _ in cols)})")
                break
            except sqlite3.IntegrityError:
                continue
        else:
            pytest.fail("no table of the half-built schema took a row")
    before = _tables(path)
    with pytest.raises(DatabaseError, match="holds part of vrboard's tables, with rows in"):
        open_database(str(path))
    assert _tables(path) == before


def test_a_half_built_schema_is_finished_on_postgresql(pg_url):
    engine = create_engine(resolve_url(pg_url))
    Base.metadata.create_all(engine, tables=Base.metadata.sorted_tables[:10])
    engine.dispose()
    db = open_database(pg_url)
    try:
        assert set(inspect(db.engine).get_table_names()) == set(Base.metadata.tables) | {
            "alembic_version"}
    finally:
        db.close()


# --- read commands create nothing -----------------------------------------------------------

READ_COMMANDS = [["actions"], ["meetings"], ["mappings"], ["backup", "{tmp}/b.json"],
                 ["export-members", "{tmp}/m.xlsx"], ["board-pack", "--meeting", "1", "--out", "{tmp}/p.pdf"]]


@pytest.mark.parametrize("argv", READ_COMMANDS + [["import-actions", "{tmp}/t.xlsx"]],
                         ids=lambda a: a[0])
def test_a_missing_board_file_is_not_created(tmp_path, capsys, argv):
    path = tmp_path / "typo.sqlite3"
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["--db", str(path), *argv]) == 1
    err = capsys.readouterr().err
    assert err == f"vrboard: There is no board at {path}; create it with `vrboard init`.\n"
    assert list(tmp_path.iterdir()) == []


def test_the_default_board_is_not_created_by_reading(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["actions"]) == 1
    assert "There is no board at " in capsys.readouterr().err
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("argv", READ_COMMANDS, ids=lambda a: a[0])
def test_a_read_command_creates_no_tables_in_an_empty_server_database(pg_url, tmp_path, capsys,
                                                                       argv):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(["--db", pg_url, *argv]) == 1
    err = capsys.readouterr().err
    assert "There is no board at postgresql" in err and "create it with `vrboard init`" in err
    engine = create_engine(resolve_url(pg_url))
    try:
        assert inspect(engine).get_table_names() == []
    finally:
        engine.dispose()


def test_read_mode_refuses_an_older_schema_without_upgrading_it(sqlite_url, monkeypatch):
    import vrboard.store as store

    open_database(sqlite_url).close()
    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_old'"))
    engine.dispose()
    known = store.known_revisions()
    monkeypatch.setattr(schema, "known_revisions", lambda: known | {"0000_old"})  # an older one
    with pytest.raises(DatabaseError, match=r"has an older schema \(0000_old.*vrboard init "
                                            r"--if-needed"):
        open_database(sqlite_url, mode=OpenMode.READ)
    engine = create_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0000_old"
    engine.dispose()


def test_a_foreign_database_is_named_as_such_by_a_read_command(tmp_path, capsys):
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    assert main(["--db", str(path), "actions"]) == 1
    assert "holds tables that are not vrboard's: it is not a board" in capsys.readouterr().err


# --- two inits at once --------------------------------------------------------------------


def _race(db: str, n: int = 3) -> list[subprocess.CompletedProcess[str]]:
    # On a server the connection's login sets the board up (--as is refused there).
    who = [] if "://" in db and not db.startswith("sqlite") else ["--as"]
    procs = [subprocess.Popen([sys.executable, "-m", "vrboard", "--db", db,
                               *(who and [*who, f"p{i}"]), "init"], env=_env(), cwd=ROOT, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(n)]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        out.append(subprocess.CompletedProcess(p.args, p.returncode, stdout, stderr))
    return out


def _check_race(results: list[subprocess.CompletedProcess[str]]) -> None:
    codes = sorted(r.returncode for r in results)
    assert codes == [0] + [1] * (len(results) - 1), [(r.returncode, r.stderr) for r in results]
    for r in results:
        if r.returncode:
            assert r.stderr == "vrboard: This database already holds a board; nothing was changed.\n"
        assert "Traceback" not in r.stderr


def test_inits_racing_on_one_new_file(tmp_path):
    path = tmp_path / "race.sqlite3"
    _check_race(_race(str(path)))
    db = open_database(str(path), mode=OpenMode.READ)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM board")).scalar() == 1
    finally:
        db.close()


@pytest.mark.slow
def test_inits_racing_on_one_server_database(pg_url):
    _check_race(_race(pg_url))
    db = open_database(pg_url, mode=OpenMode.READ)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM board")).scalar() == 1
    finally:
        db.close()
