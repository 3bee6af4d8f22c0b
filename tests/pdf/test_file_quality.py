"""The files themselves: embedded fonts, a clean qpdf check, lazy imports, safe writing."""
from __future__ import annotations

import subprocess
import sys

import pytest

from vrboard.progress import Cancelled

from .conftest import PLANNED, run_tool


def _fonts(reader) -> set[tuple[str, bool]]:
    seen = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor")
            embedded = desc is not None and any(k in desc.get_object() for k in
                                                ("/FontFile", "/FontFile2", "/FontFile3"))
            seen.add((str(font["/BaseFont"]), embedded))
    return seen


def test_every_font_is_embedded_dejavu(docs) -> None:
    for doc in docs.values():
        fonts = _fonts(doc.reader)
        assert fonts and all(embedded for _, embedded in fonts), (doc.path.name, fonts)
        assert all("DejaVuSans" in name for name, _ in fonts), fonts


def test_pdffonts_shows_every_font_embedded(docs) -> None:
    for doc in docs.values():
        res = run_tool("pdffonts", str(doc.path))
        assert res.returncode == 0, res.stderr
        rows = res.stdout.splitlines()[2:]
        assert rows, res.stdout
        for row in rows:
            cols = row.split()
            assert cols[-5] == "yes", row  # the "emb" column
            assert "Helvetica" not in row


def test_qpdf_check_is_clean(docs) -> None:
    for doc in docs.values():
        res = run_tool("qpdf", "--check", str(doc.path))
        assert res.returncode == 0, res.stdout + res.stderr
        assert "No syntax or stream encoding errors found" in res.stdout


def test_importing_the_pdf_package_does_not_import_reportlab() -> None:
    code = "import sys, vrboard.pdf; print('reportlab' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_progress_is_reported_and_cancel_leaves_no_file(demo_db, tmp_path) -> None:
    from vrboard.pdf import build_board_pack, build_minutes

    out = tmp_path / "out"
    out.mkdir()
    calls: list[tuple[int, int, str]] = []
    with demo_db.session() as s:
        build_board_pack(s, PLANNED, out / "ok.pdf", progress=lambda d, t, m="": calls.append((d, t, m)))
    messages = [m for _, _, m in calls]
    for section in ("agenda", "action log", "highlight reports", "performance framework", "papers"):
        assert any(section in m for m in messages), section
    assert calls[-1][0] == calls[-1][1] and all(d <= t for d, t, _ in calls)
    assert len({t for _, t, _ in calls}) == 1, "one total throughout"
    assert [d for d, _, _ in calls] == sorted(d for d, _, _ in calls), "never goes backwards"

    target = out / "pack.pdf"
    target.write_bytes(b"the previous pack")
    for build, when in ((build_board_pack, "action log"), (build_board_pack, "Laying out"),
                        (build_minutes, "signature")):
        def cancel(done: int, total: int, message: str = "", when: str = when) -> None:
            if when in message:
                raise Cancelled()

        with demo_db.session() as s, pytest.raises(Cancelled):
            build(s, PLANNED if build is build_board_pack else 1, target, progress=cancel)
        assert target.read_bytes() == b"the previous pack"
        assert sorted(p.name for p in out.iterdir()) == ["ok.pdf", "pack.pdf"]
