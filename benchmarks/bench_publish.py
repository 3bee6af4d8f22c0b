"""Benchmark: ``publish`` of a board with three years of meetings (36 meetings, 500 actions),
next to writing the same 36 public board packs alone.

The website lays out the public packs too, so the packs are most of its time; the figure to
watch is the ratio (what the pages, papers and charts add). Also prints the site without
the packs (``--no-packs``).

    .venv/bin/python benchmarks/bench_publish.py [--meetings 36] [--actions 500] [--runs 1]
"""
from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from vrboard.demo_papers import make_paper  # noqa: E402
from vrboard.model import (  # noqa: E402
    RAG,
    AccessRole,
    BoardRole,
    Channel,
    Classification,
    Meeting,
    MeetingStatus,
    Workstream,
)
from vrboard.seed import init_board  # noqa: E402
from vrboard.services import actions as act  # noqa: E402
from vrboard.services import board as brd  # noqa: E402
from vrboard.services import meetings as mtg  # noqa: E402
from vrboard.services import papers as pap  # noqa: E402
from vrboard.services.context import SYSTEM, Actor  # noqa: E402
from vrboard.store import Database, open_database  # noqa: E402

UPDATES = ["Scoping completed and partners identified; project plan agreed with the lead officer.",
           "Delivery under way; early feedback positive from schools and youth services.",
           "Slipped by two weeks because of staff vacancies; recovery plan in place."]


def build_database(path: Path, n_meetings: int, n_actions: int) -> tuple[Database, list[int]]:
    db = open_database(f"sqlite:///{path}")
    today = dt.date.today()
    with db.transaction() as s:
        init_board(s, "bench")
        sys_actor = SYSTEM.via(Channel.SYSTEM, "benchmark")
        people = []
        for n, name in enumerate(["Cllr Zoë Adeyemi", "Cllr Łukasz Nowak", "Nguyễn Thị Mai",
                                  "Tom Fletcher", "Maria Santos", "Owen Price"]):
            p = brd.add_person(s, sys_actor, name=name, job_title="Officer", login=f"u{n}",
                               access_role=AccessRole.CHAIR if n == 0 else AccessRole.OWNER)
            people.append(p)
            brd.add_membership(s, sys_actor, p.id, role=BoardRole.CHAIR if n == 0 else BoardRole.MEMBER,
                               term_start=today - dt.timedelta(days=1200))
        sec = Actor(None, "Benchmark secretariat", AccessRole.SECRETARIAT, Channel.SYSTEM, "benchmark")
        ws = list(s.scalars(select(Workstream).order_by(Workstream.position)))
        ids = []
        for k in range(n_meetings):  # monthly, the last one still to come
            day = today - dt.timedelta(days=30 * (n_meetings - 1 - k) - 10)
            held = day < today
            m = mtg.create_meeting(s, sec, dt.datetime.combine(day, dt.time(14)), venue="Committee Room 1",
                                   status=MeetingStatus.HELD if held else MeetingStatus.PLANNED)
            for n in range(8):
                item = mtg.add_item(s, sec, m.id, title=f"Report {n + 1}: workstream progress and risks",
                                    presenter="Lead officer", minutes_allotted=10, workstream_id=ws[n].id)
                if n < 3:
                    pap.attach_paper_data(s, sec, item.id, f"Report {n + 1}", f"item-{n + 1}.pdf",
                                          make_paper(f"Report {n + 1}", 2))
            mtg.add_item(s, sec, m.id, title="Case review themes", part=2, exempt_paragraph=1,
                         classification=Classification.OFFICIAL_SENSITIVE, presenter="Head of service")
            if held:
                for item in m.items:
                    mtg.save_minute(s, sec, item.id, "The board discussed the report and asked for an "
                                    "update at the next meeting.", ["The board NOTED the report."])
            ids.append(m.id)
        for n in range(n_actions):
            w = ws[n % 8]
            a = act.create_action(
                s, sec, title=f"Action {n + 1} for {w.name.lower()}: deliver the agreed milestone",
                workstream_id=w.id, owner_id=people[n % len(people)].id,
                raised_meeting_id=ids[n % len(ids)], start_date=today - dt.timedelta(days=300),
                due_date=today + dt.timedelta(days=(n % 90) - 30))
            act.add_progress(s, sec, a.id, UPDATES[n % 3], percent=10 + (n * 7) % 80,
                             rag=list(RAG)[n % 3], on_date=today - dt.timedelta(days=20))
    with db.transaction() as s:  # every held meeting but the last has signed minutes
        from vrboard.services.audit import bind

        bind(s, sec)
        held = list(s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD)
                              .order_by(Meeting.starts_at)))
        for m, nxt in zip(held, held[1:], strict=False):
            m.minutes_signed_at = dt.datetime.now(dt.UTC)
            m.minutes_approved_at_id = nxt.id
    return db, ids


def publish_seconds(db: Database, out: Path, packs: bool) -> tuple[float, object]:
    from vrboard.web import publish_site

    start = time.perf_counter()
    with db.session() as s:
        result = publish_site(s, out, packs=packs)
    return time.perf_counter() - start, result


def packs_seconds(db: Database, ids: list[int], out: Path) -> float:
    from vrboard.pdf import build_board_pack

    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    with db.session() as s:
        for mid in ids:
            build_board_pack(s, mid, out / f"pack-{mid}.pdf", public=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=36)
    ap.add_argument("--actions", type=int, default=500)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--keep", metavar="FOLDER", help="also copy the published site here, to look at")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db, ids = build_database(Path(tmp) / "bench.sqlite3", args.meetings, args.actions)
        print(f"set-up (not timed below): {args.meetings} meetings of 9 items (3 papers each), "
              f"{args.actions} actions in {time.perf_counter() - t0:.1f} s")
        packs_seconds(db, ids[:1], Path(tmp) / "warm")  # imports, fonts
        sites, packs, bare = [], [], []
        for _ in range(args.runs):  # interleaved, so a busy machine slows both alike
            sites.append(publish_seconds(db, Path(tmp) / "site", True))
            packs.append(packs_seconds(db, ids, Path(tmp) / "packs"))
            bare.append(publish_seconds(db, Path(tmp) / "bare", False))
        site_t, result = min(sites, key=lambda x: x[0])
        pack_t = min(packs)
        bare_t, bare_result = min(bare, key=lambda x: x[0])
        print(f"publish (site with packs): {site_t:7.2f} s  {result.meetings} meetings, {result.pages} "
              f"pages, {result.files} files, {result.size / 2**20:.1f} MB")
        print(f"the same public packs alone: {pack_t:5.2f} s  ({len(ids)} packs)")
        print(f"publish --no-packs:        {bare_t:7.2f} s  {bare_result.pages} pages, "
              f"{bare_result.files} files")
        print(f"ratio publish / packs alone: {site_t / pack_t:.2f}x")
        print(f"best of {args.runs} run(s) each; Python {sys.version.split()[0]}")
        if args.keep:
            shutil.copytree(Path(tmp) / "site", args.keep, dirs_exist_ok=True)
        db.close()


if __name__ == "__main__":
    main()
