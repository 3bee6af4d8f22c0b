"""Publishing the board's public record as a static website (``vrboard publish``).

Built only from the public (filtered) data the public pack is built from
(``services.pack_data.pack_data`` and ``minutes_data`` with ``public=True``, which ask
``services.access`` what is exempt), so nothing exempt can reach a page or a file. A meeting
classified OFFICIAL-SENSITIVE as a whole is left out altogether; minutes are published only
once approved and signed.

The site is written into a temporary folder beside the target and renamed into place at the
end: a failed or cancelled run leaves the target as it was. A target that exists must be
empty or a site vrboard published before (which is replaced).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import VrboardError
from ..model import Classification, Meeting
from ..progress import Progress, report
from ..services.pack_data import minutes_data, pack_data
from ..services.pack_rows import PackData
from .charts import bar_chart
from .markup import Shell, static_text
from .pages import (
    FileLink,
    MeetingSite,
    accessibility_page,
    actions_page,
    index_page,
    meeting_page,
    minutes_page,
    rag_totals,
)

GENERATOR = '<meta name="generator" content="vrboard">'


@dataclass(frozen=True)
class PublishResult:
    path: Path
    meetings: int
    pages: int   # HTML pages written
    files: int   # every file written
    size: int    # bytes written


def check_folder(out_dir: str | os.PathLike[str]) -> Path:
    """The target folder, or a plain refusal: it is a file, its parent is missing, or it holds
    files that are not a site published before."""
    out = Path(out_dir).expanduser()
    if out.exists() and not out.is_dir():
        raise VrboardError(f"{out} is a file; give a folder for the website, such as {out.parent / 'site'}.")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise VrboardError(f"The folder {parent} does not exist; create it or choose another.")
    if out.is_dir():
        try:
            entries = list(out.iterdir())
        except OSError as exc:
            raise VrboardError(f"Cannot read the folder {out}: {exc.strerror or exc}.") from None
        if entries and not is_published_site(out):
            raise VrboardError(f"{out} already holds other files; give a new or empty folder (a site "
                               "vrboard published before is replaced).")
    return out


def is_published_site(folder: Path) -> bool:
    index = folder / "index.html"
    try:
        return index.is_file() and GENERATOR in index.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return False


def publish_site(session: Session, out_dir: str | os.PathLike[str], *, progress: Progress | None = None,
                 today: dt.date | None = None, packs: bool = True) -> PublishResult:
    """Write the public website of the board to ``out_dir``. ``packs``: also build each
    meeting's public board pack PDF (slow: the layout of every pack)."""
    out = check_folder(out_dir)
    today = today or dt.date.today()
    meetings = list(session.scalars(
        select(Meeting).where(Meeting.classification != Classification.OFFICIAL_SENSITIVE)
        .order_by(Meeting.starts_at.desc(), Meeting.id)))
    parent = out.absolute().parent
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-", suffix=".part", dir=parent))
    except OSError as exc:
        raise VrboardError(f"Cannot write in {parent}: {exc.strerror or exc}.") from None
    try:
        result = _write(session, tmp, meetings, progress, today, packs)
        report(progress, len(meetings) + 1, len(meetings) + 2, "Putting the website in place")
        _swap(tmp, out)
        report(progress, len(meetings) + 2, len(meetings) + 2, "Done")
        return PublishResult(out, *result)
    except PermissionError as exc:
        raise VrboardError(f"Cannot write the website in {parent}: {exc.strerror or exc}.") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(session: Session, root: Path, meetings: list[Meeting], progress: Progress | None,
           today: dt.date, packs: bool) -> tuple[int, int, int, int]:
    sites: list[MeetingSite] = []
    shell: Shell | None = None
    written = [0, 0, 0]  # pages, files, bytes

    def put(rel: str, data: bytes | str) -> int:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        written[0] += rel.endswith(".html")
        written[1] += 1
        written[2] += len(raw)
        return len(raw)

    total = len(meetings) + 2
    for n, meeting in enumerate(meetings):
        report(progress, n, total, f"Publishing the meeting of {meeting.starts_at:%d/%m/%Y}")
        data = pack_data(session, meeting.id, public=True, today=today)
        minutes = (minutes_data(session, meeting.id, public=True, today=today)
                   if meeting.minutes_locked else None)
        site = MeetingSite(f"meetings/{meeting.starts_at:%Y-%m-%d}-{meeting.id}", data, minutes)
        if shell is None:
            shell = Shell(data.board, data.council, data.secretariat, f"{today:%d/%m/%Y}")
        used: set[str] = set()
        for p in data.papers:
            if p.data is None:
                continue
            name = _file_name(f"item-{p.item_number}-{p.file_name}", used)
            put(f"{site.folder}/papers/{name}", p.data)
            site.papers[p.id] = FileLink(f"papers/{name}", p.size or len(p.data), p.pages)
        if packs:
            site.pack_file = _pack(session, meeting.id, root / site.folder, data)
            written[1] += 1
            written[2] += site.pack_file.size
        put(f"{site.folder}/rag.svg", bar_chart("Open actions by RAG status", rag_totals(data)))
        put(f"{site.folder}/index.html", meeting_page(shell, site))
        put(f"{site.folder}/actions.html", actions_page(shell, site, "rag.svg"))
        if minutes is not None:
            put(f"{site.folder}/minutes.html", minutes_page(shell, site))
        sites.append(site)
    if shell is None:
        from ..services.board import the_board

        board = the_board(session)
        shell = Shell(board.name, board.council, "The board secretariat", f"{today:%d/%m/%Y}")
    put("site.css", static_text("site.css"))
    put("accessibility.html", accessibility_page(shell))
    put("index.html", index_page(shell, sites, today))
    return len(sites), written[0], written[1], written[2]


def _pack(session: Session, meeting_id: int, folder: Path, data: PackData) -> FileLink:
    """The meeting's public board pack, laid out from the same filtered data as the pages."""
    from ..pdf import build_board_pack

    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "board-pack-public.pdf"
    result = build_board_pack(session, meeting_id, target, public=True, data=data)
    return FileLink(target.name, target.stat().st_size, result.pages)


def _file_name(name: str, used: set[str]) -> str:
    """A safe, unique file name for a paper (letters, digits, dot, dash, underscore)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "paper"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)[:8].lower()
    candidate = f"{stem}.{ext}" if ext else stem
    n = 2
    while candidate.lower() in used:
        candidate = f"{stem}-{n}.{ext}" if ext else f"{stem}-{n}"
        n += 1
    used.add(candidate.lower())
    return candidate


def _swap(tmp: Path, out: Path) -> None:
    """Put the finished site ``tmp`` at ``out``, replacing an empty folder or an older site."""
    if not out.exists():
        os.replace(tmp, out)
        return
    old = out.absolute().parent / f".{out.name}-old-{uuid.uuid4().hex[:8]}"
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(old, out)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(old)
