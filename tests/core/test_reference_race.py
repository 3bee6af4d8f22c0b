"""Generated action references never collide: two processes creating actions at the same
moment (SQLite and the PostgreSQL server) both succeed with distinct references, a user who
typed no reference never reads that theirs is taken, and one who typed a reference someone
else took first is told so plainly."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.conftest import actor
from vrboard.errors import ValidationError
from vrboard.model import AccessRole, Action, AuditEntry, Person, Workstream
from vrboard.services import actions as svc
from vrboard.store import Database, open_database

ROOT = Path(__file__).resolve().parents[2]
PER_PROCESS = 25

WORKER = r"""
import json, sys
from sqlalchemy import select
from vrboard.errors import VrboardError
from vrboard.model import Channel, Workstream
from vrboard.services import actions as svc
from vrboard.services.context import resolve_actor
from vrboard.store import open_database

url, n, name = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = open_database(url)
with db.session() as s:
    who = resolve_actor(s, None, Channel.COMMAND_LINE)  # the OS login, or the server's login
    ws = s.scalars(select(Workstream.id).where(Workstream.code == "WS1")).one()
print("ready", flush=True)
sys.stdin.readline()  # both start together
made, refused = [], []
for i in range(n):
    try:
        with db.transaction() as s:
            made.append(svc.create_action(s, who, title=f"{name} {i}", workstream_id=ws).reference)
    except VrboardError as exc:
        refused.append(str(exc))
    except Exception as exc:  # what the user would have seen as "unexpected error"
        refused.append(f"{type(exc).__name__}: {exc}"[:300])
db.close()
print(json.dumps({"made": made, "refused": refused}), flush=True)
"""


def _board(url: str) -> Database:
    from vrboard.seed import init_board
    from vrboard.services.context import os_login

    db = open_database(url)
    with db.transaction() as s:  # the person who sets it up is the one acting
        server = s.get_bind().dialect.name == "postgresql"
        init_board(s, s.execute(text("SELECT session_user")).scalar_one() if server else os_login())
    return db


def _race(url: str) -> list[dict[str, list[str]]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, url, str(PER_PROCESS), f"p{i}"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=env) for i in range(2)]
    try:
        for p in procs:
            assert p.stdout is not None and p.stdout.readline().strip() == "ready"
        for p in procs:
            assert p.stdin is not None
            p.stdin.write("go\n")
            p.stdin.flush()
        outs = [p.communicate(timeout=120) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    return [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]


@pytest.mark.slow
def test_two_processes_creating_actions_at_once(any_url: str) -> None:
    db = _board(any_url)
    try:
        results = _race(any_url)
        refused = [m for r in results for m in r["refused"]]
        made = [ref for r in results for ref in r["made"]]
        assert refused == []  # before: "UNIQUE constraint failed" / "Reference WS1-007 is already used"
        assert len(made) == len(set(made)) == 2 * PER_PROCESS
        assert sorted(made) == [f"WS1-{n:03d}" for n in range(1, 2 * PER_PROCESS + 1)]
        with db.session() as s:
            created = s.scalars(select(AuditEntry.entity_label).where(
                AuditEntry.entity == "action", AuditEntry.field == "created")).all()
        assert sorted(created) == sorted(made)  # each audited once: no trace of a retried insert
    finally:
        db.close()


def _ws1(db: Database) -> int:
    with db.session() as s:
        return s.scalars(select(Workstream.id).where(Workstream.code == "WS1")).one()


def _waiting_on_a_lock(db: Database) -> bool:
    """PostgreSQL: is another connection blocked on a lock (the second INSERT)?"""
    with db.engine.connect() as conn:
        return bool(conn.scalar(text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'")))


def _hold_then_race(db: Database, typed: str | None) -> tuple[str, object]:
    """Session A creates an action and holds its transaction open while B creates one; A then
    commits. Returns A's reference and B's result (a reference, or the error)."""
    with db.session() as s:  # whoever set the board up (see _board)
        login = s.scalars(select(Person.login).where(Person.access_role == AccessRole.SECRETARIAT)).first()
    sec = actor(db, login)
    ws = _ws1(db)
    extra = {"reference": typed} if typed else {}
    outcome: list[object] = []

    def second() -> None:
        try:
            with db.transaction() as s:
                outcome.append(svc.create_action(s, sec, title="B", workstream_id=ws, **extra).reference)
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    with db.transaction() as s:
        first = svc.create_action(s, sec, title="A", workstream_id=ws, **extra).reference
        t = threading.Thread(target=second)
        t.start()
        deadline = time.monotonic() + 10
        if db.is_sqlite:
            time.sleep(0.3)  # B waits for the write lock (busy timeout); nothing to observe
        else:
            while not _waiting_on_a_lock(db) and time.monotonic() < deadline:
                time.sleep(0.02)
    t.join(30)
    assert not t.is_alive()
    return first, outcome[0]


def test_a_generated_reference_taken_meanwhile_is_replaced_by_the_next(any_url: str) -> None:
    db = _board(any_url)
    try:
        first, second = _hold_then_race(db, None)
        assert (first, second) == ("WS1-001", "WS1-002")
    finally:
        db.close()


def test_a_typed_reference_taken_meanwhile_is_refused_plainly(any_url: str) -> None:
    db = _board(any_url)
    try:
        first, second = _hold_then_race(db, "KC-500")
        assert first == "KC-500"
        assert isinstance(second, ValidationError), second
        assert str(second).startswith("Reference KC-500 ")
        assert "choose another, or leave it blank for the next free one" in str(second)
        with db.session() as s:
            assert s.scalars(select(Action.title).where(Action.reference == "KC-500")).all() == ["A"]
    finally:
        db.close()
