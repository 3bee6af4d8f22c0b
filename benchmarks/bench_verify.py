"""``vrboard verify`` over 1,000,000 audit entries, next to the plain work it cannot avoid.

Builds (with Core executemany, not the ORM) a board whose trail holds ``--entries`` chained
entries: 50,000 actions, each with its "created" entry and then changes of percent complete,
RAG and title, the table holding the last values. Then prints the time of
  - ``services.verify.verify`` (the chain's hashes and links, the replay of the trail, the
    comparison with every row of every audited table), and
  - a plain ``SELECT`` of the same audit rows through the driver with one SHA-256 each,
and the ratio. Target: within 3x.

    .venv/bin/python benchmarks/bench_verify.py [--entries 1000000] [--db FILE]

``--db FILE`` keeps the built board in FILE and reuses it when it exists. With
VRBOARD_TEST_POSTGRES_URL set, ``--postgres`` runs the same on a throwaway PostgreSQL database.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from vrboard.model import Action, AuditEntry  # noqa: E402
from vrboard.services import audit, chain  # noqa: E402
from vrboard.services.context import SYSTEM  # noqa: E402
from vrboard.store import Database, open_database  # noqa: E402

ACTIONS = 50_000
BLOCK = 2_500


def build(db: Database, entries: int) -> None:
    from vrboard.seed import init_board

    with db.transaction() as s:
        init_board(s, "bench")
    with db.session() as s:
        have = s.scalar(select(func.count()).select_from(AuditEntry)) or 0
    per_action = max(2, -(-(entries - have) // ACTIONS))  # rounded up: at least ``entries``
    changes = per_action - 1
    base = audit.entry_base(SYSTEM.via(SYSTEM.channel, "bench_verify"))
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    rags = ("green", "amber", "red")
    t = time.perf_counter()
    total = have
    with db.engine.begin() as conn:
        for block in range(0, ACTIONS, BLOCK):  # a block at a time: a million dicts would not fit
            rows, trail = [], []
            for i in range(block + 1, min(block + BLOCK, ACTIONS) + 1):
                ident = 100_000 + i
                first = {"reference": f"BV-{i:06d}", "title": f"Bulk action {i}", "description": "Bulk",
                         "workstream_id": 1 + i % 8, "lead_organisation": "Council", "status": "in_progress",
                         "dropped_reason": "", "rag": "green", "percent_complete": 0,
                         "due_date": dt.date(2027, 1, 1) + dt.timedelta(days=i % 700)}
                at = start + dt.timedelta(seconds=i)
                trail.append(audit.created_entry({**base, "at": at}, Action, ident, first))
                last = dict(first)
                for n in range(1, changes + 1):
                    field = ("percent_complete", "rag", "title")[n % 3]
                    new = {"percent_complete": n % 101, "rag": rags[n % 3],
                           "title": f"Bulk action {i} v{n}"}[field]
                    old = last[field]
                    last[field] = new
                    trail.append(audit.entry({**base, "at": at + dt.timedelta(minutes=n)}, "action", ident,
                                             first["reference"], field, audit.as_text(old),
                                             audit.as_text(new)))
                rows.append({**last, "id": ident, "version": 1 + changes, "created_at": at, "updated_at": at})
            conn.execute(insert(Action.__table__), rows)
            chain.link(conn, trail)
            conn.execute(insert(AuditEntry.__table__), trail)
            total += len(trail)
    print(f"built {ACTIONS:,} actions and {total:,} audit entries in {time.perf_counter() - t:.1f} s")


def plain(db: Database) -> int:
    """The same audit rows through the driver, one SHA-256 each."""
    cols = ", ".join(("id", "chain_format", "prev_hash", "entry_hash", *chain.FORMAT_FIELDS[1]))
    raw = db.engine.raw_connection()
    try:
        pg = db.engine.dialect.name == "postgresql"
        cur = raw.cursor(name="plain") if pg else raw.cursor()
        cur.execute(f"SELECT {cols} FROM audit_entry ORDER BY id")
        n = 0
        sha = hashlib.sha256
        while rows := cur.fetchmany(5000):
            for r in rows:
                sha(repr(r).encode()).hexdigest()
            n += len(rows)
        cur.close()
        raw.rollback()
        return n
    finally:
        raw.close()


def run(url: str, entries: int, fresh: bool) -> None:
    db = open_database(url)
    try:
        if fresh:
            build(db, entries)
        t = time.perf_counter()
        n = plain(db)
        base = time.perf_counter() - t
        t = time.perf_counter()
        with db.session() as s:
            result = verify_now(s)
        took = time.perf_counter() - t
        assert result.ok, result.findings[:3]
        assert result.entries == n
        print(f"{'plain SELECT of the audit rows + one SHA-256 each':58s} {base:7.2f} s")
        print(f"{'vrboard verify (' + result.summary + ')':58s} {took:7.2f} s")
        print(f"ratio {took / base:.2f}x (target within 3x)")
    finally:
        db.close()


def verify_now(s):  # noqa: ANN001, ANN201
    from vrboard.services.verify import verify

    return verify(s, SYSTEM)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entries", type=int, default=1_000_000)
    ap.add_argument("--db", type=Path, help="keep the built board here (reused when it exists)")
    ap.add_argument("--postgres", action="store_true", help="run on PostgreSQL (VRBOARD_TEST_POSTGRES_URL)")
    args = ap.parse_args()
    if args.postgres:
        import psycopg

        admin = os.environ["VRBOARD_TEST_POSTGRES_URL"]
        name = f"vrboard_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            run(admin.rsplit("/", 1)[0] + "/" + name, args.entries, True)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        return
    if args.db:
        run(f"sqlite:///{args.db.resolve()}", args.entries, not args.db.exists())
        return
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.entries, True)


if __name__ == "__main__":
    main()
