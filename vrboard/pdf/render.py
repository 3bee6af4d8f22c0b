"""Writing a PDF safely: to a temporary file beside the target, renamed at the end.

A cancelled or failed build leaves no partial file behind (and an existing file at the
target stays as it was).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import VrboardError
from ..progress import Progress
from .flowables import Heading
from .page import Furniture, PackDoc


def check_target(out_path: str | os.PathLike[str]) -> Path:
    out = Path(out_path)
    if out.is_dir():
        raise VrboardError(f"{out} is a folder; give a file name such as {out / 'pack.pdf'}.")
    if not out.parent.is_dir():
        raise VrboardError(f"The folder {out.parent} does not exist; create it or choose another.")
    if out.suffix.lower() != ".pdf":
        raise VrboardError(f"{out.name}: the output file name should end in .pdf.")
    return out


def entries_of(story: list) -> list:
    return [f.entry for f in story if isinstance(f, Heading)]


def write_pdf(out: Path, story_fn: Callable[[], list], *, furniture: Furniture, title: str,
              author: str, subject: str, keywords: str, progress: Progress | None,
              steps_done: int, steps_total: int,
              finish: Callable[[Path, dict[int, tuple[int, int]]], None] | None = None) -> int:
    """Lay ``story_fn()`` out into ``out``; returns the number of pages. ``finish(file,
    slots)`` completes the laid-out file before it takes the target's place (the papers)."""
    from reportlab.platypus.doctemplate import LayoutError

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".part", dir=out.parent)
    except OSError as exc:
        raise VrboardError(f"Cannot write in {out.parent}: {exc.strerror or exc}.") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        story = story_fn()
        doc = PackDoc(str(tmp), furniture=furniture, title=title, author=author, subject=subject,
                      keywords=keywords)

        def on_layout(done: int, total: int) -> None:
            if progress is not None:
                progress(steps_done + (steps_total - steps_done) * min(done, total) // max(total, 1),
                         steps_total + 1, "Laying out the pages")

        pages = doc.build_story(story, on_layout if progress is not None else None)
        if finish is not None:
            if progress is not None:
                progress(steps_total, steps_total + 1, "Adding the papers")
            finish(tmp, doc.slots)
        if progress is not None:
            progress(steps_total, steps_total + 1, "Saving the file")
        try:
            os.replace(tmp, out)
        except OSError as exc:
            raise VrboardError(f"Cannot write {out}: {exc.strerror or exc}. Is it open in another "
                               "program?") from None
        if progress is not None:
            progress(steps_total + 1, steps_total + 1, "Done")
        return pages
    except PermissionError as exc:
        raise VrboardError(f"Cannot write in {out.parent}: {exc.strerror or exc}.") from None
    except LayoutError as exc:
        raise VrboardError(f"The document could not be laid out: {exc}. Shorten the text named "
                           "there and try again; nothing was written.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
