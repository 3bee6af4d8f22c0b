"""When the database cannot be used, the user reads why in plain words (exit 1, no SQL, no
traceback) and nothing is half-built: a server that accepts and never answers, a statement
past its time limit, a SQLite file another program is writing, a read-only file or folder,
a full disk, an unusable data folder."""
from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from vrboard.cli import main
from vrboard.errors import DatabaseError
from vrboard.store import ENV_URL, OpenMode, Timeouts, open_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop(ENV_URL, None)
    env.update(extra)
    return env


def _vrboard(*argv: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vrboard", *argv], env=_env(**env), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def _plain(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.startswith("vrboard: "), result.stderr
    for raw in ("Traceback", "unexpected error", "[SQL", "OperationalError", "sqlite3.Op"):
        assert raw not in result.stderr, result.stderr
    return result.stderr


# --- a server that never answers ------------------------------------------------------------


@pytest.fixture
def silent_server():
    """A listening socket on 127.0.0.1 that accepts connections and never says a word."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(srv.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield srv.getsockname()[1]
    stop.set()
    thread.join(5)
    for s in held:
        s.close()
    srv.close()


@pytest.mark.parametrize("command", [["actions"], ["init"], ["restore", "nothing.json"]])
def test_a_silent_server_is_named_within_the_connect_timeout(silent_server, command, tmp_path):
    url = f"postgresql://someone@127.0.0.1:{silent_server}/board"
    if command[0] == "restore":
        command = ["restore", str(tmp_path / "nothing.json")]
    started = time.monotonic()
    result = _vrboard("--db", url, *command, timeout=60, VRBOARD_CONNECT_TIMEOUT="2")
    took = time.monotonic() - started
    if command[0] == "restore":  # the file is checked first: refused before any connection
        assert "There is no file" in _plain(result)
        return
    assert _plain(result) == (f"vrboard: The server 127.0.0.1:{silent_server}/board did not "
                              "answer within 2 seconds. Check the address, that the server is "
                              "running, and your network or VPN.\n")
    assert took < 20, f"took {took:.1f} s"


def test_the_connect_timeout_defaults_to_ten_seconds_and_reads_the_environment(monkeypatch):
    monkeypatch.delenv("VRBOARD_CONNECT_TIMEOUT", raising=False)
    assert Timeouts.for_purpose("read").connect == 10
    assert Timeouts.for_purpose("bulk").statement == 1800
    monkeypatch.setenv("VRBOARD_CONNECT_TIMEOUT", "0.5")
    assert Timeouts.for_purpose("write").connect == 2  # libpq's smallest
    monkeypatch.setenv("VRBOARD_CONNECT_TIMEOUT", "soon")
    with pytest.raises(DatabaseError, match="is not a number of seconds"):
        Timeouts.for_purpose("read")


def test_a_refused_connection_is_plain(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    err = _plain(_vrboard("--db", f"postgresql://x@127.0.0.1:{port}/b", "actions"))
    assert f"The server 127.0.0.1:{port}/b refused the connection" in err


def test_a_statement_past_its_time_limit_is_plain(pg_url):
    open_database(pg_url).close()  # the schema, with the usual limits (a busy machine is slow)
    db = open_database(pg_url, mode=OpenMode.READ, timeouts=Timeouts(connect=5, statement=0.5))
    try:
        with pytest.raises(DatabaseError) as err, db.engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(5)"))
        assert "did not finish the work within 0.5 seconds" in str(err.value)
        assert "127.0.0.1:5432/vrboard_test_" in str(err.value)
    finally:
        db.close()


# --- SQLite: busy, read-only, full ----------------------------------------------------------


@pytest.fixture
def board_file(tmp_path) -> Path:
    path = tmp_path / "board.sqlite3"
    assert main(["--db", str(path), "--as", "sec", "init", "--demo"]) == 0
    return path


def test_a_file_locked_by_another_writer_says_the_board_is_busy(board_file, tmp_path):
    holder = sqlite3.connect(board_file, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    holder.execute("UPDATE person SET version = version")
    try:
        db = open_database(str(board_file), mode=OpenMode.MIGRATE,
                           timeouts=Timeouts(busy=0.3))
        try:
            with pytest.raises(DatabaseError) as err, db.transaction() as s:
                s.execute(text("UPDATE board SET name = name"))
        finally:
            db.close()
        assert str(err.value) == (
            f"The board is busy: another program is writing to {board_file}. Try again in a "
            "moment (close other copies of vrboard that are saving). Nothing was changed.")
        # and a reader is not held up by the writer (WAL): the listing still works
        result = _vrboard("--db", str(board_file), "--as", "rkaplan", "actions")
        assert result.returncode == 0 and result.stdout.count("\n") > 10, result.stderr
        result = _vrboard("--db", str(board_file), "--as", "rkaplan", "save-mapping", "m",
                          str(_mapping(tmp_path)), timeout=90)
        assert "The board is busy: another program is writing to" in _plain(result)
    finally:
        holder.rollback()
        holder.close()


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "m.json"
    path.write_text('{"Ref": "reference"}', encoding="utf-8")
    return path


@pytest.fixture
def as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def _tmpfs(folder: Path, size: str, *, read_only: bool = False):
    """A real small (or read-only) file system; only root can mount one."""
    folder.mkdir(exist_ok=True)
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    if made.returncode:
        pytest.skip("cannot mount a small file system here")
    try:
        yield folder
        if read_only:
            pass
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _make_read_only(path: Path, as_root: bool):
    """A read-only board file (or folder), for root too (a read-only bind mount)."""
    if not as_root:
        path.chmod(0o555 if path.is_dir() else 0o444)
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def bound():
        made = subprocess.run(["mount", "--bind", str(path), str(path)], capture_output=True)
        if made.returncode:
            pytest.skip("cannot make a read-only mount here")
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True)
            yield
        finally:
            subprocess.run(["umount", "-l", str(path)], check=False)
    return bound()


def test_a_read_only_board_folder(board_file, tmp_path, as_root):
    folder = board_file.parent
    with _make_read_only(folder, as_root):
        err = _plain(_vrboard("--db", str(board_file), "--as", "rkaplan", "save-mapping", "m",
                              str(_mapping(tmp_path.parent))))
        assert f"Cannot open the board file {board_file}: its folder is missing or not " \
               "writable" in err, err
        err = _plain(_vrboard("--db", str(folder / "new.sqlite3"), "init"))
        assert err == (f"vrboard: The folder {folder} is not writable, so no board can be created "
                       "there. Choose another place with --db FILE.\n")
    assert not (folder / "new.sqlite3").exists()


def test_a_read_only_board_file(board_file, tmp_path, as_root):
    mapping = _mapping(tmp_path / "..")
    for side in ("-wal", "-shm"):
        Path(f"{board_file}{side}").unlink(missing_ok=True)
    with _make_read_only(board_file, as_root):
        err = _plain(_vrboard("--db", str(board_file), "--as", "rkaplan", "save-mapping", "m",
                              str(mapping)))
        assert f"The board file {board_file} is read-only" in err, err


def test_a_full_disk_during_init_leaves_no_board(tmp_path, as_root):
    """A real 300 KB file system (root) fills during the demo board; without one, SQLite's
    own page limit gives the same SQLITE_FULL."""
    folder = tmp_path / "small"
    if as_root:
        with _tmpfs(folder, "300k"):
            path = folder / "board.sqlite3"
            err = _plain(_vrboard("--db", str(path), "--as", "sec", "init", "--demo"))
            assert f"The disk holding {path} is full" in err, err
            if path.exists():  # what is left holds no board, and says so when opened
                with pytest.raises(DatabaseError, match="There is no board at"):
                    open_database(str(path), mode=OpenMode.READ)
        return
    path = tmp_path / "board.sqlite3"
    db = open_database(str(path))
    try:
        with db.engine.connect() as conn:
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
        from sqlalchemy import event

        event.listen(db.engine, "connect", lambda c, _r: c.execute(
            f"PRAGMA max_page_count={pages + 2}"))
        db.engine.dispose()
        from vrboard.demo import build_demo
        from vrboard.seed import init_board

        with pytest.raises(DatabaseError, match="The disk holding .* is full"), \
                db.transaction() as s:
            init_board(s, "")
            build_demo(s, "sec")
    finally:
        db.close()


# --- the user's data folder ------------------------------------------------------------------


def test_an_unusable_data_folder_is_named(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    err = _plain(_vrboard("init", XDG_DATA_HOME=str(blocker), HOME=str(tmp_path)))
    assert f"Cannot create the folder {blocker}/vrboard for the board's file" in err, err
    assert "--db FILE" in err
    err = _plain(_vrboard("actions", XDG_DATA_HOME=str(blocker), HOME=str(tmp_path)))
    assert f"There is no board at {blocker}/vrboard/vrboard.sqlite3" in err, err


def test_home_is_a_file(tmp_path):
    env = {"HOME": "/etc/passwd", "XDG_DATA_HOME": ""}
    err = _plain(_vrboard("init", **env))
    assert "Cannot create the folder /etc/passwd/.local/share/vrboard" in err, err
    err = _plain(_vrboard("actions", **env))
    assert "There is no board at /etc/passwd/.local/share/vrboard/vrboard.sqlite3" in err, err


def test_a_file_that_is_not_a_database(tmp_path, capsys):
    path = tmp_path / "notes.sqlite3"
    path.write_text("my notes\n" * 200, encoding="utf-8")
    for command in (["actions"], ["init"], ["restore", str(path)]):
        assert main(["--db", str(path), *command]) == 1
        err = capsys.readouterr().err
        assert err.startswith("vrboard: "), err
        assert "not a SQLite database" in err or "notes.sqlite3 is not a vrboard backup" in err, err
    assert path.read_text(encoding="utf-8") == "my notes\n" * 200
