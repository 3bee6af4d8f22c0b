"""Placing the papers' pages into the pack (pikepdf, on qpdf).

The pack is laid out by reportlab with one empty page (furniture only: marking, page number)
held for every page of every paper (``PaperSlot``). Afterwards each paper's page is placed
under that page's furniture, scaled to fit the box clear of the header and footer
(``PAPER_BOX``), so page numbers, markings, the contents, the outline and the links of the
pack all stay as reportlab made them. pikepdf was chosen over pypdf by measurement
(benchmarks/bench_papers.py; figures in docs/pdf.md).
"""
from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Mapping
from pathlib import Path

from ..errors import VrboardError
from .page import PAPER_BOX


def place_papers(pack: Path, slots: Mapping[int, tuple[int, int]],
                 sources: Mapping[int, bytes], names: Mapping[int, str] | None = None) -> None:
    """Fill the held pages of ``pack`` (page -> (paper id, page index)) from ``sources``
    (paper id -> PDF bytes), rewriting ``pack`` in place. A paper that cannot be placed
    stops the build with a message naming it (``names``: paper id -> file name)."""
    names = names or {}
    if not slots:
        return
    import pikepdf

    opened: dict[int, pikepdf.Pdf] = {}
    tmp = pack.with_name(pack.name + ".merge")
    try:
        with pikepdf.open(pack) as pdf:
            box = pikepdf.Rectangle(*PAPER_BOX)
            for page_no, (paper_id, index) in sorted(slots.items()):
                src = opened.get(paper_id)
                if src is None:
                    try:
                        src = opened[paper_id] = pikepdf.open(io.BytesIO(sources[paper_id]))
                    except (pikepdf.PdfError, KeyError) as exc:
                        raise VrboardError(
                            f"The paper {names.get(paper_id, paper_id)} could not be read while "
                            f"building the pack ({exc}); nothing was written. Attach a "
                            "sound copy of it.") from None
                try:
                    pdf.pages[page_no - 1].add_underlay(src.pages[index], box)
                except (pikepdf.PdfError, IndexError, ValueError) as exc:
                    raise VrboardError(
                        f"Page {index + 1} of the paper {names.get(paper_id, paper_id)} could not "
                        f"be placed in the pack ({exc}); nothing was written. Attach a sound "
                        "copy of it.") from None
            pdf.save(tmp)
        os.replace(tmp, pack)
    finally:
        for src in opened.values():
            src.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
