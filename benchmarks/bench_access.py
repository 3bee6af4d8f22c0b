"""Need-to-know at scale: what the redaction of exempt material costs a reader who is not
entitled, against the same read by the secretariat (who sees everything, no redaction).

Builds a SQLite board (the demo, plus ``--rows`` actions and one audit entry per field of each,
about 6 per action, inserted with Core), adds actions raised from the demo's Part 2 decision,
then times, for the secretariat and for a viewer who is not a board member:
  - the Audit page's first batch: the count and the newest 500 entries;
  - the same with a text search ("review") and sorted by the new value;
  - the Actions page's rows (``action_rows``).
Prints each figure and the viewer/secretariat ratio (best of ``--runs``).

    .venv/bin/python benchmarks/bench_access.py [--rows 50000] [--runs 3]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("review referral pathways with schools and youth services agree data sharing train staff "
         "map community assets evaluate outreach report to the board").split()


def build(path: Path, rows: int) -> None:
    from sqlalchemy import insert, select

    from vrboard.demo import build_demo
    from vrboard.model import AccessRole, Action, AgendaItem, AuditEntry, Person, Workstream
    from vrboard.seed import init_board
    from vrboard.services import actions as act
    from vrboard.services import board as brd
    from vrboard.services.context import SYSTEM
    from vrboard.store import open_database

    db = open_database(f"sqlite:///{path}")
    with db.transaction() as s:
        init_board(s, "")
        build_demo(s, "")
    rng = random.Random(9)
    now = dt.datetime.now(dt.UTC)
    with db.transaction() as s:
        owners = list(s.scalars(select(Person.id)))
        ws = list(s.scalars(select(Workstream.id)))
        first = (s.scalar(select(Action.id).order_by(Action.id.desc()).limit(1)) or 0) + 1
        acts, audit = [], []
        for n in range(rows):
            aid = first + n
            values = {"reference": f"BX-{aid:06d}", "title": " ".join(rng.choices(WORDS, k=8)),
                      "description": " ".join(rng.choices(WORDS, k=20)), "workstream_id": rng.choice(ws),
                      "owner_id": rng.choice(owners), "status": "in_progress", "rag": "green",
                      "percent_complete": rng.randint(0, 95)}
            acts.append({"id": aid, "version": 1, "lead_organisation": "", "dropped_reason": "",
                         "created_at": now, "updated_at": now, **values})
            base = {"at": now - dt.timedelta(seconds=rows - n), "actor_id": None,
                    "actor_name": "Bench", "channel": "system", "source": "bench", "entity": "action",
                    "entity_id": aid, "entity_label": values["reference"]}
            audit.append({**base, "field": "created", "old_value": None,
                          "new_value": json.dumps({k: str(v) for k, v in values.items()})})
            for field in ("status", "rag", "percent_complete", "title", "description"):
                audit.append({**base, "field": field, "old_value": "x", "new_value": str(values[field])})
        s.execute(insert(Action), acts)
        s.execute(insert(AuditEntry), audit)
    with db.transaction() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == 2, AgendaItem.part == 2)).one()
        for n in range(50):
            act.create_action(s, SYSTEM, title=f"Part 2 follow-up {n}", workstream_id=ws[0],
                              owner_id=owners[n % len(owners)], decision_id=item.minute.decisions[0].id)
        brd.add_person(s, SYSTEM, name="Bench Viewer", login="benchviewer",
                       access_role=AccessRole.VIEWER)
    db.close()


def timed(fn, runs: int) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--db", type=Path, help="keep the built database here (and reuse it if it exists)")
    args = ap.parse_args()

    from vrboard.model import Channel
    from vrboard.services import audit_log
    from vrboard.services.action_rows import action_rows
    from vrboard.services.audit_log import AuditFilter
    from vrboard.services.context import resolve_actor
    from vrboard.store import open_database

    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.sqlite3"
        if not path.exists():
            t = time.perf_counter()
            build(path, args.rows)
            print(f"built {args.rows:,} actions and their audit entries in {time.perf_counter() - t:.1f} s")
        db = open_database(f"sqlite:///{path}")
        with db.session() as s:
            sec = resolve_actor(s, "rkaplan", Channel.APP)
            viewer = resolve_actor(s, "benchviewer", Channel.APP)
            total = audit_log.count(s, AuditFilter(), sec)
        print(f"audit trail: {total:,} entries")

        def page(who, f=AuditFilter(), sort="at"):  # noqa: ANN001, ANN202, B008
            def run() -> None:
                with db.session() as s:
                    scope = audit_log.scope_of(s, who)
                    audit_log.count(s, f, scope)
                    audit_log.search(s, f, scope, sort=sort, limit=500)
            return run

        def actions(who):  # noqa: ANN001, ANN202
            def run() -> None:
                with db.session() as s:
                    action_rows(s, who)
            return run

        cases = [
            ("Audit page: count + newest 500", lambda w: page(w)),
            ("Audit search 'review', sorted by new value",
             lambda w: page(w, AuditFilter(text="review"), "new")),
            ("Actions page rows", actions),
        ]
        print(f"{'read':46} {'secretariat':>12} {'viewer':>10} {'ratio':>7}")
        for name, make in cases:
            a = timed(make(sec), args.runs)
            b = timed(make(viewer), args.runs)
            print(f"{name:46} {a * 1000:10.0f} ms {b * 1000:7.0f} ms {b / a:6.2f}x")
        db.close()


if __name__ == "__main__":
    main()
