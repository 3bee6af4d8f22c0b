"""``vrboard.explain``: database and operating-system errors, raised for real by SQLite,
PostgreSQL and the kernel, become plain messages without SQL; the command line uses it
for whatever escapes a command (no more "unexpected error: OperationalError ... [SQL: ...]")."""
from __future__ import annotations

import errno
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import actor
from vrboard.explain import BUSY, describe, explain, show_path
from vrboard.model import Action
from vrboard.store import Database

ROOT = Path(__file__).resolve().parents[2]


def _raised(fn) -> BaseException:  # noqa: ANN001
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        return exc
    raise AssertionError("nothing was raised")


def _plain(message: str | None) -> str:
    assert message is not None
    for raw in ("[SQL", "INSERT", "parameters", "OperationalError", "IntegrityError", "sqlalche.me"):
        assert raw not in message, message
    return message


def test_a_locked_sqlite_file_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.1})
    try:
        with engine.begin() as conn:
            exc = _raised(lambda: conn.execute(text("INSERT INTO t VALUES (1)")))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        engine.dispose()
    assert isinstance(exc, DBAPIError)
    assert _plain(describe(exc)) == BUSY


def test_a_read_only_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "b.sqlite3"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with engine.begin() as conn:
        exc = _raised(lambda: conn.execute(text("INSERT INTO t VALUES (1)")))
    engine.dispose()
    assert _plain(describe(exc)).startswith("The database cannot be written: the file, its folder")


def test_a_missing_folder_for_the_database(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'gone' / 'b.sqlite3'}")
    exc = _raised(lambda: engine.connect())
    assert _plain(describe(exc)).startswith("The database file cannot be opened")


def test_a_duplicate_in_sqlite_names_the_field(board_db: Database) -> None:
    from vrboard.services import actions as svc

    with board_db.transaction() as s:
        svc.create_action(s, actor(board_db, "sec"), title="A", workstream_id=1, reference="KC-001")
    with board_db.engine.begin() as conn:
        exc = _raised(lambda: conn.execute(insert(Action).values(reference="KC-001", title="B",
                                                                 workstream_id=1)))
    assert _plain(describe(exc)).startswith("There is already an action with this reference")


@pytest.mark.postgres
def test_postgresql_errors(pg_url: str) -> None:
    from vrboard.seed import init_board
    from vrboard.services import actions as svc
    from vrboard.store import open_database

    db = open_database(pg_url)
    try:
        with db.transaction() as s:
            init_board(s, s.execute(text("SELECT session_user")).scalar_one())  # the server's login
            svc.create_action(s, actor_in(s, None), title="A", workstream_id=1, reference="KC-001")
        with db.engine.begin() as conn:
            exc = _raised(lambda: conn.execute(insert(Action).values(reference="KC-001", title="B",
                                                                     workstream_id=1)))
        assert _plain(describe(exc)) == ("There is already an action with this reference KC-001; it "
                                         "must be unique. Nothing was saved; choose another, or "
                                         "reload to see the one saved already.")
        with db.engine.begin() as conn:
            conn.execute(text("SET TRANSACTION READ ONLY"))
            exc = _raised(lambda: conn.execute(text("UPDATE action SET title = 'C'")))
        assert " accepts only reading (it is a read-only copy or in recovery)" in _plain(describe(exc))
        with db.engine.begin() as conn:
            conn.execute(text("SET LOCAL lock_timeout = '50ms'"))
            with db.engine.begin() as other:
                other.execute(text("LOCK TABLE action IN ACCESS EXCLUSIVE MODE NOWAIT"))
                exc = _raised(lambda: conn.execute(text("SELECT count(*) FROM action")))
        assert re.fullmatch(r"The board on \S+ is busy: another user is changing the same records\. "
                            r"Try again in a moment\. Nothing was changed\.", _plain(describe(exc)))
    finally:
        db.close()


def actor_in(s, who="sec"):  # noqa: ANN001, ANN201
    from vrboard.model import Channel
    from vrboard.services.context import resolve_actor

    return resolve_actor(s, who, Channel.COMMAND_LINE)


def test_a_server_that_refuses_the_connection() -> None:
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/board",
                           connect_args={"connect_timeout": 3})
    exc = _raised(lambda: engine.connect())
    message = _plain(describe(exc))
    assert message.startswith("The database server 127.0.0.1:1 did not answer (connection refused)")


def test_a_full_disk_and_a_refused_file() -> None:
    with open("/dev/full", "wb", buffering=0) as f:
        exc = _raised(lambda: f.write(b"board"))
    assert exc.errno == errno.ENOSPC  # type: ignore[attr-defined]
    assert describe(exc).startswith("The disk holding vrboard's files is full.")  # type: ignore[union-attr]
    # As root (the test machine) no file refuses a write, so these are built as the kernel
    # reports them: errno, message, file name.
    denied = PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/srv/board/minutes.pdf")
    assert describe(denied) == ("Permission denied: /srv/board/minutes.pdf cannot be opened or "
                                "written by your account. Nothing was saved.")
    ro = OSError(errno.EROFS, os.strerror(errno.EROFS), "/media/usb/board.sqlite3")
    assert describe(ro).startswith("/media/usb/board.sqlite3 is on a read-only disk")  # type: ignore[union-attr]


def test_names_that_are_not_utf8_are_shown_by_name(tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/caf\xe9.xlsx"
    name = os.fsdecode(raw)  # what Python makes of the name: a lone surrogate for the \xe9 byte
    assert show_path(raw).endswith("/caf\\xe9.xlsx") and show_path(name) == show_path(raw)
    exc = _raised(lambda: open(name, "rb"))
    message = describe(exc)
    assert message is not None and "caf\\xe9.xlsx does not exist" in message
    message.encode("ascii")  # printable anywhere
    stored = _raised(lambda: sqlite3.connect(":memory:").execute("SELECT ?", (name,)))
    assert "caf\\xe9.xlsx is not valid text" in describe(stored)  # type: ignore[operator]


def test_unknown_errors_are_named_without_sql() -> None:
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        exc = _raised(lambda: conn.execute(text("SELECT * FROM nowhere WHERE x = :x"), {"x": 1}))
    assert describe(exc) is None
    assert explain(exc) == "unexpected error: OperationalError: no such table: nowhere"
    assert describe(ValueError("a bug")) is None


@pytest.mark.slow
def test_the_command_line_on_a_locked_database(demo_db: Database, tmp_path: Path) -> None:
    """The probe: "unexpected error: OperationalError ... database is locked [SQL: INSERT ...]"."""
    from tests.excel.conftest import col, edit, export

    src = export(demo_db, "rkaplan", tmp_path / "t.xlsx").path
    back = edit(src, tmp_path / "back.xlsx",
                {f"{col('progress')}3": "Progress typed while someone else saves."})
    path = demo_db.url.split("///", 1)[1]
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("VRBOARD_DATABASE_URL", None)
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "vrboard", "--db", demo_db.url, "--as", "rkaplan",
                               "import-actions", str(back)], capture_output=True, text=True, env=env,
                              timeout=120)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.returncode == 1
    assert done.stderr == (f"vrboard: The board is busy: another program is writing to {path}. Try "
                           "again in a moment (close other copies of vrboard that are saving). "
                           "Nothing was changed.\n"), done.stderr
    assert time.monotonic() - started < 60


@pytest.mark.postgres
def test_a_server_without_that_database_or_login(pg_url: str) -> None:
    base = pg_url.rsplit("/", 1)[0]
    for url, start in ((f"{base}/vrboard_no_such_db",
                        "The database server 127.0.0.1:5432 has no such database"),
                       (base.replace("postgres@", "no_such_role_x9@") + "/postgres",
                        "The database server did not accept your login")):
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        exc = _raised(lambda: engine.connect())  # noqa: B023
        engine.dispose()
        assert _plain(describe(exc)).startswith(start), describe(exc)
