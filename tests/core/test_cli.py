"""The command line: exit codes 0/1/2, plain errors on stderr, --db and VRBOARD_DATABASE_URL,
--as and the OS login, and what init, meetings, actions, backup and restore print."""
from __future__ import annotations

import datetime as dt
import getpass
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.core.conftest import row_counts, table_rows
from vrboard.cli import main
from vrboard.model import Action, Base, Meeting
from vrboard.services.queries import ActionFilter, list_actions
from vrboard.store import ENV_URL, open_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def demo_file(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert run(capsys, "--db", url, "--as", "rkaplan", "init", "--demo")[0] == 0
    return url


def test_init_creates_the_board_and_maps_the_login(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "jsmith")
    path = tmp_path / "new.sqlite3"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, err) == (0, "")
    assert f"Initialised the board (empty) in {path}" in out
    assert "You (jsmith) are recorded as the board secretariat." in out
    code, out, err = run(capsys, "--db", str(path), "meetings")
    assert (code, out, err) == (0, "", "")
    code, out, err = run(capsys, "--db", str(path), "init")
    assert code == 1 and out == ""
    assert err == "vrboard: This database already holds a board; nothing was changed.\n"
    code, out, err = run(capsys, "--db", str(path), "init", "--if-needed")
    assert code == 0 and "already set up" in out


def test_meetings_lists_id_date_title_status(demo_file, capsys):
    code, out, err = run(capsys, "--db", demo_file, "--as", "hmarsh", "meetings")
    assert code == 0 and err == ""
    lines = out.splitlines()
    db = open_database(demo_file)
    try:
        with db.session() as s:
            meetings = s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
    finally:
        db.close()
    assert len(lines) == len(meetings) == 3
    for line, m in zip(lines, meetings, strict=True):
        assert line.split("\t") == [str(m.id), f"{m.starts_at:%d/%m/%Y %H:%M}", m.title, m.status.label]
    assert [ln.split("\t")[3] for ln in lines] == ["Held", "Held", "Planned"]


def test_actions_and_overdue(demo_file, capsys):
    code, out, _ = run(capsys, "--db", demo_file, "--as", "hmarsh", "actions")
    every = out.splitlines()
    code2, out2, _ = run(capsys, "--db", demo_file, "--as", "hmarsh", "actions", "--overdue")
    late = out2.splitlines()
    assert code == code2 == 0
    db = open_database(demo_file)
    try:
        with db.session() as s:
            expected = list_actions(s, ActionFilter(overdue=True), dt.date.today())
            total = len(s.scalars(select(Action)).all())
    finally:
        db.close()
    assert len(every) == total >= 60
    assert [ln.split("\t")[0] for ln in late] == [a.reference for a in expected] and late
    for line in late:
        ref, owner, due, status, rag = line.split("\t")
        assert "OVERDUE" in rag and status in ("Not started", "In progress")
        assert dt.datetime.strptime(due, "%d/%m/%Y").date() < dt.date.today()
    assert any("Green OVERDUE (shown green: check)" in ln for ln in late)
    assert sum("OVERDUE" in ln for ln in every) == len(late)


def test_env_variable_and_db_option(demo_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(ENV_URL, demo_file)
    code, out, _ = run(capsys, "--as", "rkaplan", "meetings")
    assert code == 0 and len(out.splitlines()) == 3
    other = tmp_path / "other.sqlite3"  # --db wins over the environment
    monkeypatch.setattr(getpass, "getuser", lambda: "x")
    assert run(capsys, "--db", str(other), "init")[0] == 0
    code, out, _ = run(capsys, "--db", str(other), "meetings")
    assert (code, out) == (0, "")


def test_os_login_is_the_default_user(demo_file, capsys, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "msantos")
    assert run(capsys, "--db", demo_file, "meetings")[0] == 0
    monkeypatch.setattr(getpass, "getuser", lambda: "stranger")
    code, out, err = run(capsys, "--db", demo_file, "meetings")
    assert code == 1 and out == ""
    assert err == ("vrboard: You are logged in to this computer as 'stranger', which is not linked to "
                   "anyone on this board. Ask the board secretariat to record 'stranger' as your login "
                   "against your name (Board page).\n")
    code, out, err = run(capsys, "--db", demo_file, "--as", "rkaplan", "meetings")
    assert code == 1 and out == ""  # --as does not stand in for an unknown login
    assert "only the board secretariat may record what someone else did" in err and "'stranger'" in err


def test_as_is_for_the_secretariat_only(demo_file, capsys, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "tfletcher")  # an action owner
    assert run(capsys, "--db", demo_file, "--as", "tfletcher", "meetings")[0] == 0  # themselves
    code, out, err = run(capsys, "--db", demo_file, "--as", "zadeyemi", "meetings")
    assert code == 1 and out == ""
    assert err == ("vrboard: --as zadeyemi: only the board secretariat may record what someone else did "
                   "(a clerk recording the chair's approval at the meeting); you are Tom Fletcher "
                   "(owner), so you act as yourself: leave out --as.\n")


def test_as_accepts_login_email_or_name(demo_file, capsys):
    for who in ("tfletcher", "TFLETCHER", "tfletcher@example.gov.uk", "Tom Fletcher"):
        assert run(capsys, "--db", demo_file, "--as", who, "meetings")[0] == 0, who
    code, _, err = run(capsys, "--db", demo_file, "--as", "Tom", "meetings")
    assert code == 1 and "'Tom'" in err


def test_no_board_yet(tmp_path, capsys):
    """A read command never creates the file it was pointed at (a typo stays a typo)."""
    path = tmp_path / "blank.sqlite3"
    code, _, err = run(capsys, "--db", str(path), "--as", "x", "actions")
    assert code == 1
    assert err == f"vrboard: There is no board at {path}; create it with `vrboard init`.\n"
    assert list(tmp_path.iterdir()) == []
    run(capsys, "--db", str(path), "init")  # a schema, a board ... and nothing else
    code, _, err = run(capsys, "--db", str(path), "--as", "x", "actions")
    assert code == 1 and "'x'" in err


@pytest.mark.parametrize("argv", [
    [], ["frobnicate"], ["actions", "--bogus"], ["backup"], ["restore"], ["--db"],
])
def test_usage_errors_exit_2(argv, capsys):
    try:
        code = main(argv)  # no command at all: help on stderr, exit 2
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    assert code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.startswith("usage: vrboard")


def test_backup_and_restore_commands(demo_file, tmp_path, capsys):
    # the secretariat backs up; restoring into a new file is for the board's secretariat too
    out_path = tmp_path / "board.json.gz"
    code, out, err = run(capsys, "--db", demo_file, "--as", "rkaplan", "backup", str(out_path))
    assert (code, err) == (0, "")

    tables = len(Base.metadata.tables)  # every table of the schema
    assert out.startswith("Backed up ") and f"to {out_path}" in out and f"{tables} tables" in out
    assert json.loads(gzip.decompress(out_path.read_bytes()))["format"] == "vrboard-backup"
    code, _, err = run(capsys, "--db", demo_file, "--as", "rkaplan", "backup", str(out_path))
    assert code == 1 and "already exists; choose another name or add --force" in err
    assert run(capsys, "--db", demo_file, "--as", "rkaplan", "backup", "--force", str(out_path))[0] == 0

    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    code, out, err = run(capsys, "--db", target, "--as", "rkaplan", "restore", str(out_path))
    assert (code, err) == (0, "") and out.startswith("Restored ")
    src, dst = open_database(demo_file), open_database(target)
    try:
        assert table_rows(dst) == table_rows(src)
    finally:
        src.close()
        dst.close()
    code, _, err = run(capsys, "--db", target, "--as", "rkaplan", "restore", str(out_path))
    assert code == 1 and "is not empty" in err


def test_restore_of_a_damaged_file_creates_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "vrboard-backup", "format_version": 1, "tab', encoding="utf-8")
    target = tmp_path / "never.sqlite3"
    code, out, err = run(capsys, "--db", str(target), "restore", str(bad))
    assert code == 1 and out == ""
    assert err.startswith("vrboard: bad.json is damaged or incomplete")
    assert not target.exists()


def _cli(*argv, env_extra=None):
    env = {k: v for k, v in os.environ.items() if k != ENV_URL}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "vrboard", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_python_dash_m_vrboard_in_a_subprocess(tmp_path):
    db = str(tmp_path / "sub.sqlite3")
    done = _cli("--db", db, "init", "--demo", env_extra={"LOGNAME": "rkaplan", "USER": "rkaplan"})
    assert done.returncode == 0, done.stderr
    assert "Initialised the board (with demo data)" in done.stdout and done.stderr == ""

    listed = _cli("--db", db, "meetings", env_extra={"LOGNAME": "rkaplan", "USER": "rkaplan"})
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 3

    stranger = _cli("--db", db, "meetings", env_extra={"LOGNAME": "nobody1", "USER": "nobody1"})
    assert stranger.returncode == 1 and stranger.stdout == ""
    assert stranger.stderr.startswith("vrboard: You are logged in to this computer as 'nobody1', which is "
                                      "not linked to anyone on this board")

    usage = _cli("--db", db, "no-such-command")
    assert usage.returncode == 2 and "invalid choice" in usage.stderr

    bad = tmp_path / "bad.json.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage")
    refused = _cli("--db", str(tmp_path / "empty.sqlite3"), "restore", str(bad))
    assert refused.returncode == 1 and "bad.json.gz is damaged" in refused.stderr

    missing = _cli("--db", str(tmp_path / "no" / "such" / "folder.sqlite3"), "meetings")
    assert missing.returncode == 1 and "There is no board at " in missing.stderr
    made = _cli("--db", str(tmp_path / "no" / "such" / "folder.sqlite3"), "init")
    assert made.returncode == 1 and "does not exist" in made.stderr

    unreachable = _cli("--db", "postgresql://alice:s3cret@127.0.0.1:1/board", "meetings")
    assert unreachable.returncode == 1
    assert "The server 127.0.0.1:1/board refused the connection" in unreachable.stderr
    assert "s3cret" not in unreachable.stderr

    for result in (stranger, usage, refused, missing, unreachable):
        assert "Traceback" not in result.stderr and "File \"" not in result.stderr


def test_newer_database_refused_on_the_command_line(demo_file, capsys):
    from sqlalchemy import create_engine, text

    engine = create_engine(demo_file)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99'"))
    engine.dispose()
    code, out, err = run(capsys, "--db", demo_file, "--as", "rkaplan", "actions")
    assert code == 1 and out == ""
    assert "written by a newer version of vrboard (schema zz99)" in err


@pytest.mark.postgres
def test_postgresql_url_on_the_command_line(pg_url, tmp_path, capsys, monkeypatch):
    plain = pg_url.replace("postgresql+psycopg://", "postgresql://", 1)
    # On a server the login is the person: the administrator's login sets up the board and is
    # recorded as its secretariat; --as is refused there.
    code, out, _ = run(capsys, "--db", plain, "init", "--demo")
    assert code == 0 and "You (postgres) are recorded as the board secretariat." in out
    code, out, _ = run(capsys, "--db", plain, "actions", "--overdue")
    assert code == 0 and "OVERDUE" in out
    code, out, err = run(capsys, "--db", plain, "--as", "zadeyemi", "actions")
    assert code == 1 and out == ""
    assert "On a shared server you act as your database login, postgres" in err
    path = tmp_path / "pg.json"
    assert run(capsys, "--db", plain, "backup", str(path))[0] == 0
    target = open_database(f"sqlite:///{tmp_path / 'from-pg.sqlite3'}")
    source = open_database(pg_url)
    try:
        for var in ("LOGNAME", "USER"):  # the server's secretariat restores it into a file
            monkeypatch.setenv(var, "postgres")
        code, out, err = run(capsys, "--db", target.url, "restore", str(path))
        assert code == 0, err
        assert row_counts(target) == row_counts(source)
    finally:
        target.close()
        source.close()
