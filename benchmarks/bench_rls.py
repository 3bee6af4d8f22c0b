"""Row-level security's cost: listing 50,000 actions on PostgreSQL as an owner (RLS on, their
login's policies apply) against the same listing as the administrator (who owns the tables, so
RLS does not apply). Target: the owner within 1.5x of the administrator.

Prints, best of 5 (taken in turn), for each reader:
  - the Actions page's query (``services.action_rows.action_rows``),
  - ``services.queries.list_actions`` (the ORM listing the CLI and exports use),
  - plain ``SELECT * FROM action`` through psycopg (the library alone),
  - the Audit page's count of 100,000+ entries (``services.audit_log.count``), whose policy
    checks each entry about a paper, minute, decision or declaration,
and the ratio owner / administrator.

    VRBOARD_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/bench_rls.py [--actions 50000]

It creates a database and roles of its own (prefix ``vrbbench<hex>_``) and drops them all.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["VRBOARD_PG_ROLE_PREFIX"] = f"vrbbench{uuid.uuid4().hex[:6]}_"

import psycopg  # noqa: E402
from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from tests.conftest import build_demo_into  # noqa: E402
from vrboard.model import Action, AuditEntry, action_plan  # noqa: E402
from vrboard.services.action_rows import action_rows  # noqa: E402
from vrboard.services.audit_log import AuditFilter, count  # noqa: E402
from vrboard.services.context import SYSTEM  # noqa: E402
from vrboard.services.queries import list_actions  # noqa: E402
from vrboard.services.users_sync import sync_users  # noqa: E402
from vrboard.store import Database, open_database  # noqa: E402


def best_of_pair(a: Callable[[], Any], b: Callable[[], Any], n: int = 5
                 ) -> tuple[float, Any, float, Any]:
    """Best of ``n`` runs of each, taken in turn (a, b, a, b, ...) so that load from other work
    on the machine falls on both alike."""
    ta, tb, out_a, out_b = [], [], None, None
    for _ in range(n):
        start = time.perf_counter()
        out_a = a()
        ta.append(time.perf_counter() - start)
        start = time.perf_counter()
        out_b = b()
        tb.append(time.perf_counter() - start)
    return min(ta), out_a, min(tb), out_b


def fill(db: Database, n: int) -> None:
    now = dt.datetime.now(dt.UTC)
    with db.engine.begin() as conn:
        people = conn.execute(text("SELECT id FROM person ORDER BY id")).scalars().all()
        conn.execute(insert(Action.__table__), [dict(
            reference=f"BG-{i:06d}", title=f"Bulk action {i}", description="Bulk",
            lead_organisation="Council", workstream_id=1 + i % 8, owner_id=people[i % len(people)],
            status="in_progress", dropped_reason="", rag="amber",
            percent_complete=i % 100, due_date=dt.date(2020, 1, 1) + dt.timedelta(days=i % 700),
            created_at=now, updated_at=now, version=1) for i in range(n)])
        ids = conn.execute(select(Action.id).where(Action.reference.like("BG-%"))).scalars().all()
        conn.execute(insert(action_plan), [{"action_id": i, "plan_id": 1 + i % 4} for i in ids])
        minutes = conn.execute(text("SELECT id FROM minute")).scalars().all()
        rows = [dict(at=now, actor_id=None, actor_name="Bulk", channel="system", source="",
                     entity="action", entity_id=i, entity_label=f"BG-{i}", field="rag",
                     old_value="green", new_value="amber") for i in ids * 2]
        rows += [dict(at=now, actor_id=None, actor_name="Bulk", channel="system", source="",
                      entity="minute", entity_id=minutes[i % len(minutes)], entity_label="Minute",
                      field="discussion", old_value="", new_value="text") for i in range(n // 10)]
        conn.execute(insert(AuditEntry.__table__), rows)
        conn.execute(text("ANALYZE"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--actions", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    base = os.environ.get("VRBOARD_TEST_POSTGRES_URL")
    if not base:
        sys.exit("set VRBOARD_TEST_POSTGRES_URL to a PostgreSQL server (a superuser's login)")
    prefix = os.environ["VRBOARD_PG_ROLE_PREFIX"]
    name = f"vrboard_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    admin_url = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name)
    owner_login = f"{prefix}tfletcher"
    dbs: list[Database] = []
    try:
        admin = open_database(admin_url.render_as_string(hide_password=False))
        dbs.append(admin)
        build_demo_into(admin)
        fill(admin, args.actions)
        with admin.engine.begin() as conn:
            conn.execute(text("UPDATE person SET login = :p || login WHERE login IS NOT NULL"),
                         {"p": prefix})
            sync_users(conn, admin.url)
        owner = open_database(admin_url.set(username=owner_login).render_as_string(hide_password=False))
        dbs.append(owner)
        total = admin.engine.connect().execute(text("SELECT count(*) FROM action")).scalar()
        audit_total = admin.engine.connect().execute(text("SELECT count(*) FROM audit_entry")).scalar()
        print(f"PostgreSQL, {total:,} actions, {audit_total:,} audit entries; owner login {owner_login} "
              "(RLS on) vs the administrator (table owner)")

        def plain(db: Database) -> Callable[[], int]:
            raw = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)

            def go() -> int:
                with psycopg.connect(raw) as c:
                    return len(c.execute("SELECT * FROM action ORDER BY reference").fetchall())
            return go

        def page(db: Database) -> Callable[[], int]:
            def go() -> int:
                with db.session() as s:
                    return len(action_rows(s, SYSTEM))  # the database's rules do the filtering
            return go

        def orm(db: Database) -> Callable[[], int]:
            def go() -> int:
                with db.session() as s:
                    return len(list_actions(s))
            return go

        def audit(db: Database) -> Callable[[], int]:
            def go() -> int:
                with db.session() as s:
                    return count(s, AuditFilter())
            return go

        print(f"{'':44s} {'owner':>9s} {'admin':>9s} {'ratio':>6s}")
        for label, make in (("Actions page query (action_rows)", page),
                            ("list_actions (ORM)", orm),
                            ("plain psycopg SELECT * FROM action", plain),
                            ("Audit page count (audit_log.count)", audit)):
            t_owner, n_owner, t_admin, n_admin = best_of_pair(make(owner), make(admin), args.repeat)
            print(f"{label:44s} {t_owner:8.3f}s {t_admin:8.3f}s {t_owner / t_admin:5.2f}x"
                  f"   rows {n_owner:,} / {n_admin:,}")
    finally:
        for db in dbs:
            db.close()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            roles = [r[0] for r in conn.execute(
                "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,))]
            groups = {prefix + g for g in ("admin", "secretariat", "chair", "owner", "viewer")}
            for role in sorted(roles, key=lambda r: (r in groups, r.endswith("_admin"))):
                conn.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(role)))


if __name__ == "__main__":
    main()
