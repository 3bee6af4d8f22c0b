"""Fixtures for the PDF tests: one demo database and its documents, built once per session
(tests that change the record build their own from the ``demo_db`` fixture)."""
from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import build_demo_into
from vrboard.store import Database, open_database

PLANNED, HELD_SIGNED, HELD_UNSIGNED = 3, 1, 2  # the demo's meetings


@dataclass
class Doc:
    path: Path
    reader: PdfReader
    pages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def read(path: Path) -> Doc:
    reader = PdfReader(str(path))
    return Doc(path, reader, [p.extract_text() or "" for p in reader.pages])


def outline_titles(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) for every outline entry, in order."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    return out


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which(args[0]) is None:
        pytest.skip(f"{args[0]} is not installed (poppler-utils / qpdf)")
    return subprocess.run(args, capture_output=True, text=True, check=False)


@pytest.fixture(scope="session")
def demo_file_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("pdfdemo") / "board.sqlite3"
    db = open_database(f"sqlite:///{path}")
    build_demo_into(db)
    yield db
    db.close()


@pytest.fixture(scope="session")
def docs(demo_file_db: Database, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Doc]:
    """The demo's packs and minutes, full and public."""
    from vrboard.pdf import build_board_pack, build_minutes

    out = tmp_path_factory.mktemp("pdfs")
    made: dict[str, Doc] = {}
    with demo_file_db.session() as s:
        for name, fn, meeting, public in [
            ("pack", build_board_pack, PLANNED, False),
            ("pack_public", build_board_pack, PLANNED, True),
            ("pack2", build_board_pack, HELD_UNSIGNED, False),
            ("minutes1", build_minutes, HELD_SIGNED, False),
            ("minutes1_public", build_minutes, HELD_SIGNED, True),
            ("minutes2", build_minutes, HELD_UNSIGNED, False),
        ]:
            result = fn(s, meeting, out / f"{name}.pdf", public=public)
            assert result.public is public
            doc = read(result.path)
            assert result.pages == len(doc.pages)
            made[name] = doc
    return made


def placed(page: object) -> list[tuple[str, float, float]]:
    """(text, x, y) of each text run on a page, in page coordinates."""
    out: list[tuple[str, float, float]] = []

    def visit(text: str, cm: list, tm: list, _font: object, _size: object) -> None:
        if text.strip():
            out.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return out
