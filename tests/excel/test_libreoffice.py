"""A round trip through LibreOffice: what it saves back must read as unchanged, and edits
made after it must import exactly. Skipped when LibreOffice (soffice) is not installed."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.excel.conftest import action, col, edit, export, import_file, owned_by, plan_of, row_of
from vrboard.errors import ValidationError
from vrboard.store import Database

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; "
                                              "install libreoffice-calc to run the round trip"),
]


def convert(src: Path, fmt: str, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    proc = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", fmt,
         "--outdir", str(out_dir), str(src)],
        capture_output=True, text=True, timeout=180, check=False)
    out = out_dir / f"{src.stem}.{fmt.split(':')[0]}"
    assert out.exists(), f"LibreOffice did not convert {src.name}: {proc.stdout} {proc.stderr}"
    return out


def test_libreoffice_round_trip(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src)
    saved = convert(src, "xlsx", tmp_path / "lo")
    plan = plan_of(demo_db, "rkaplan", saved)
    assert plan.from_vrboard and plan.counts["unchanged"] == 61, plan.render()
    assert not plan.errors and not plan.unknown_columns

    (a,) = owned_by(demo_db, "msantos")[:1]
    r = row_of(saved, a.reference)
    pct = 9 if a.percent_complete != 9 else 8
    back = edit(saved, tmp_path / "back.xlsx", {f"{col('percent_complete')}{r}": pct,
                                                f"{col('progress')}{r}": "Saved in LibreOffice."})
    plan, result = import_file(demo_db, "rkaplan", back)
    assert result.applied == [r] and result.progress_added == 1
    assert [c.field for c in plan.row(r).changes] == ["percent_complete"]
    assert action(demo_db, a.reference).percent_complete == pct


def test_libreoffice_ods_and_xls(demo_db: Database, tmp_path: Path) -> None:
    src = tmp_path / "tracker.xlsx"
    export(demo_db, "rkaplan", src, owner="Maria Santos")
    ods = convert(src, "ods", tmp_path / "ods")
    plan = plan_of(demo_db, "rkaplan", ods)
    assert plan.from_vrboard and plan.owner_name == "Maria Santos"
    assert set(plan.counts) and plan.counts["unchanged"] == len(plan.rows) > 0, plan.render()

    xls = convert(src, "xls", tmp_path / "xls")
    renamed = xls.rename(xls.with_suffix(".xlsx"))
    with pytest.raises(ValidationError, match="Excel 97-2003"):
        plan_of(demo_db, "rkaplan", renamed)
