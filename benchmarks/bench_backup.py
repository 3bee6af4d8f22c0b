"""Backup and restore at scale: the demo board plus 50,000 actions and 100,000 audit entries.

Prints the time of
  - ``vrboard.backup.backup`` to .json and to .json.gz, next to the plain library doing the
    same work (select every table, ``json.dumps`` it), and
  - ``vrboard.backup.restore`` into a new SQLite file (checks every value, one transaction),
    next to plain ``sqlite3`` executemany of the already-parsed rows with no checks at all,
  - and, when VRBOARD_TEST_POSTGRES_URL is set, restore into and backup from PostgreSQL.

    .venv/bin/python benchmarks/bench_backup.py [--actions 50000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from tests.conftest import build_demo_into  # noqa: E402
from vrboard.backup import backup, restore  # noqa: E402

try:  # restore_to: a fresh target built whole or not at all (absent before issue 10)
    from vrboard.backup import restore_to  # noqa: E402
except ImportError:  # pragma: no cover - comparing with an older checkout
    restore_to = None
from vrboard.model import Action, AuditEntry, Base, action_plan  # noqa: E402
from vrboard.services import chain  # noqa: E402
from vrboard.store import Database, open_database  # noqa: E402


def timed(label: str, fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    print(f"{label:62s} {took:7.2f} s")
    return took


def fill(db: Database, n: int) -> int:
    now = dt.datetime.now(dt.UTC)
    with db.engine.begin() as conn:
        conn.execute(insert(Action.__table__), [dict(
            reference=f"BG-{i:06d}", title=f"Bulk action {i}", description="Bulk",
            lead_organisation="Council", workstream_id=1 + i % 8, owner_id=1 + i % 18,
            status="in_progress", dropped_reason="", rag="amber",
            percent_complete=i % 100, due_date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 700),
            created_at=now, updated_at=now, version=1) for i in range(n)])
        ids = conn.execute(select(Action.id).where(Action.reference.like("BG-%"))).scalars().all()
        conn.execute(insert(action_plan), [{"action_id": i, "plan_id": 1 + i % 4} for i in ids])
        entries = [dict(
            at=now, actor_id=1, actor_name="Bulk", channel="app", source="", entity="action", entity_id=i,
            entity_label=f"BG-{i}", field="rag", old_value="green", new_value="amber") for i in ids * 2]
        chain.link(conn, entries)  # chained, as every audit entry is
        conn.execute(insert(AuditEntry.__table__), entries)
        return sum(conn.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=50_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = open_database(f"sqlite:///{folder / 'big.sqlite3'}")
        build_demo_into(db)
        total = fill(db, args.actions)
        print(f"rows in the database: {total:,} (22 tables)")
        mine = timed("vrboard backup -> .json", lambda: backup(db, folder / "b.json"))
        timed("vrboard backup -> .json.gz", lambda: backup(db, folder / "b.json.gz"))

        def plain_backup() -> None:
            with db.engine.connect() as conn:
                doc = {t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                       for t in Base.metadata.sorted_tables}
            (folder / "plain.json").write_text(json.dumps(doc, default=str), encoding="utf-8")

        plain = timed("plain: select every table + json.dumps(default=str)", plain_backup)
        print(f"  ratio backup/plain: {mine / plain:.2f}; sizes: .json "
              f"{(folder / 'b.json').stat().st_size / 1e6:.1f} MB, .json.gz "
              f"{(folder / 'b.json.gz').stat().st_size / 1e6:.1f} MB")

        target = open_database(f"sqlite:///{folder / 'restored.sqlite3'}")
        mine = timed("vrboard restore .json.gz -> new SQLite file",
                     lambda: restore(target, folder / "b.json.gz"))
        target.close()
        if restore_to is not None:
            timed("vrboard restore_to .json.gz -> new SQLite file (schema too)",
                  lambda: restore_to(str(folder / "fresh.sqlite3"), folder / "b.json.gz"))
        doc = json.loads((folder / "b.json").read_text(encoding="utf-8"))
        open_database(f"sqlite:///{folder / 'plain.sqlite3'}").close()

        def plain_restore() -> None:
            conn = sqlite3.connect(folder / "plain.sqlite3")
            conn.execute("PRAGMA foreign_keys=OFF")
            with conn:
                for t in Base.metadata.sorted_tables:
                    rows = doc["tables"][t.name]["rows"]
                    if rows:
                        cols = list(rows[0])
                        conn.executemany(
                            f'INSERT INTO "{t.name}" ({",".join(cols)}) VALUES ({",".join("?" * len(cols))})',
                            [tuple(r[c] for c in cols) for r in rows])
            conn.close()

        plain = timed("plain: sqlite3 executemany of parsed rows (no checks, no FKs)", plain_restore)
        print(f"  ratio restore/plain: {mine / plain:.2f}")

        pg = os.environ.get("VRBOARD_TEST_POSTGRES_URL", "")
        if pg:
            import psycopg

            name = f"vrboard_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(pg, autocommit=True) as c:
                c.execute(f'CREATE DATABASE "{name}"')
            try:
                url = pg.rsplit("/", 1)[0] + f"/{name}"
                pdb = open_database(url)
                timed("vrboard restore .json.gz -> PostgreSQL", lambda: restore(pdb, folder / "b.json.gz"))
                timed("vrboard backup PostgreSQL -> .json.gz", lambda: backup(pdb, folder / "pg.json.gz"))
                pdb.close()
            finally:
                with psycopg.connect(pg, autocommit=True) as c:
                    c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.close()


if __name__ == "__main__":
    main()
