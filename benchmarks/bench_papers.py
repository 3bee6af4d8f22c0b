"""Benchmark: a board pack with 20 PDF papers of 10 pages each.

Each figure comes from a fresh process (time, and peak resident memory of that process):

- ``bare``: the pack of the same meeting with no papers attached;
- ``pack``: the pack with the 20 papers merged (divider pages, page numbers, markings);
- ``concat-pikepdf`` / ``concat-pypdf``: a plain concatenation of the 20 papers with the
  library alone;
- ``place-pikepdf`` / ``place-pypdf``: placing 200 paper pages under 200 pages of a pack
  (what vrboard's merge does), with each library: how the library was chosen.

Target: pack within 1.5x of bare + concat with the chosen library (pikepdf).

    .venv/bin/python benchmarks/bench_papers.py [--papers 20] [--pages 10]
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _papers(n: int, pages: int) -> list[bytes]:
    from vrboard.demo_papers import make_paper

    return [make_paper(f"Paper {i + 1}: workstream report", pages) for i in range(n)]


def _db(folder: Path, n: int, pages: int) -> tuple[str, int, int]:
    from vrboard.model import AccessRole, Channel
    from vrboard.seed import init_board
    from vrboard.services import meetings as mtg
    from vrboard.services import papers as pap
    from vrboard.services.context import Actor
    from vrboard.store import open_database

    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    db = open_database(url)
    sec = Actor(None, "Benchmark secretariat", AccessRole.SECRETARIAT, Channel.SYSTEM, "bench")
    papers = _papers(n, pages)
    with db.transaction() as s:
        init_board(s, "")
        ids = []
        for day in (10, 20):
            m = mtg.create_meeting(s, sec, dt.datetime(2026, 12, day, 14), venue="Room 1")
            for i in range(n):
                item = mtg.add_item(s, sec, m.id, title=f"Report {i + 1}", presenter="Lead")
                if day == 20:
                    pap.attach_paper_data(s, sec, item.id, f"Report {i + 1}", f"report-{i + 1}.pdf",
                                          papers[i])
            ids.append(m.id)
    db.close()
    return url, ids[0], ids[1]


def one(kind: str, url: str, meeting: int, folder: Path, n: int, pages: int) -> dict[str, float]:
    """Run one measurement in this process."""
    import os

    os.environ["VRBOARD_NO_LIBREOFFICE"] = "1"
    papers = _papers(n, pages) if kind.startswith(("concat", "place")) else []
    out = folder / f"{kind}.pdf"
    import pikepdf  # noqa: F401 - imports are not timed (each library's own start-up)
    import pypdf  # noqa: F401
    import reportlab.platypus  # noqa: F401
    t0 = time.perf_counter()
    if kind in ("bare", "pack"):
        from vrboard.pdf import build_board_pack
        from vrboard.store import open_database

        db = open_database(url)
        t0 = time.perf_counter()
        with db.session() as s:
            pages_out = build_board_pack(s, meeting, out).pages
        db.close()
    elif kind == "concat-pikepdf":
        import pikepdf

        with pikepdf.new() as pdf:
            srcs = [pikepdf.open(io.BytesIO(b)) for b in papers]
            for src in srcs:
                pdf.pages.extend(src.pages)
            pdf.save(out)
            pages_out = len(pdf.pages)
    elif kind == "concat-pypdf":
        from pypdf import PdfReader, PdfWriter

        w = PdfWriter()
        for b in papers:
            w.append(PdfReader(io.BytesIO(b)))
        w.write(out)
        pages_out = len(w.pages)
    elif kind in ("place-pikepdf", "place-pypdf"):
        from reportlab.pdfgen.canvas import Canvas

        base = folder / f"blank-{kind}.pdf"
        c = Canvas(str(base))
        for _ in range(n * pages):
            c.drawString(50, 20, "furniture")
            c.showPage()
        c.save()
        t0 = time.perf_counter()
        if kind == "place-pikepdf":
            import pikepdf

            with pikepdf.open(base) as pdf:
                srcs = [pikepdf.open(io.BytesIO(b)) for b in papers]
                box = pikepdf.Rectangle(42, 60, 553, 785)
                for i, page in enumerate(pdf.pages):
                    page.add_underlay(srcs[i // pages].pages[i % pages], box)
                pdf.save(out)
                pages_out = len(pdf.pages)
        else:
            from pypdf import PdfReader, PdfWriter, Transformation

            w = PdfWriter(clone_from=str(base))
            srcs = [PdfReader(io.BytesIO(b)) for b in papers]
            for i, page in enumerate(w.pages):
                src = srcs[i // pages].pages[i % pages]
                scale = min(511 / float(src.mediabox.width), 725 / float(src.mediabox.height))
                page.merge_transformed_page(
                    src, Transformation().scale(scale).translate(42, 60), over=False)
            w.write(out)
            pages_out = len(w.pages)
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": rss, "pages": pages_out}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--papers", type=int, default=20)
    ap.add_argument("--pages", type=int, default=10)
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--url", help=argparse.SUPPRESS)
    ap.add_argument("--meeting", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--folder", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.url, args.meeting, Path(args.folder), args.papers,
                             args.pages)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, bare_id, pack_id = _db(folder, args.papers, args.pages)
        res: dict[str, dict[str, float]] = {}
        for kind, meeting in (("bare", bare_id), ("pack", pack_id), ("concat-pikepdf", 0),
                              ("concat-pypdf", 0), ("place-pikepdf", 0), ("place-pypdf", 0)):
            proc = subprocess.run(
                [sys.executable, __file__, "--one", kind, "--url", url, "--meeting", str(meeting),
                 "--folder", tmp, "--papers", str(args.papers), "--pages", str(args.pages)],
                capture_output=True, text=True, check=False)
            if proc.returncode:
                raise SystemExit(f"{kind} failed:\n{proc.stderr}")
            res[kind] = json.loads(proc.stdout.strip().splitlines()[-1])
            r = res[kind]
            print(f"{kind:15} {r['seconds']:7.2f} s  peak {r['peak_mb']:6.0f} MB  "
                  f"{int(r['pages'])} pages")
    base = res["bare"]["seconds"] + res["concat-pikepdf"]["seconds"]
    print(f"\npack with papers / (bare pack + pikepdf concatenation): "
          f"{res['pack']['seconds']:.2f} / {base:.2f} s = {res['pack']['seconds'] / base:.2f}x "
          "(target 1.5x)")
    print(f"placing pages: pikepdf {res['place-pikepdf']['seconds']:.2f} s, pypdf "
          f"{res['place-pypdf']['seconds']:.2f} s; concatenation: pikepdf "
          f"{res['concat-pikepdf']['seconds']:.2f} s, pypdf {res['concat-pypdf']['seconds']:.2f} s")


if __name__ == "__main__":
    main()
