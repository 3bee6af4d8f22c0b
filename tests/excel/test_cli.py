"""The Excel commands: exit codes, plain messages, and that --dry-run writes nothing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.excel.conftest import col, counts, edit, owned_by, row_of, snapshot
from vrboard.cli import main
from vrboard.store import ENV_URL, Database


@pytest.fixture(autouse=True)
def _no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_URL, raising=False)


def run(capsys: pytest.CaptureFixture[str], db: Database, who: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", db.url, "--as", who, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_export_commands(demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, demo_db, "rkaplan", "export-actions", str(tmp_path / "t.xlsx"),
                         "--workstream", "WS1")
    assert code == 0 and "t.xlsx" in out and not err
    code, out, _ = run(capsys, demo_db, "rkaplan", "export-actions", "--per-owner", str(tmp_path / "o"))
    assert code == 0 and out.count("Wrote") == len(list((tmp_path / "o").glob("*.xlsx"))) > 5
    for cmd in ("export-members", "export-meetings", "export-audit"):
        code, out, _ = run(capsys, demo_db, "rkaplan", cmd, str(tmp_path / f"{cmd}.xlsx"))
        assert code == 0 and (tmp_path / f"{cmd}.xlsx").exists(), cmd
    code, _, err = run(capsys, demo_db, "rkaplan", "export-actions")
    assert code == 1 and "either OUT.xlsx or --per-owner" in err
    code, _, err = run(capsys, demo_db, "hmarsh", "export-actions", str(tmp_path / "x.xlsx"))
    assert code == 1 and "Only the" in err and "Traceback" not in err


def test_import_dry_run_then_import(demo_db: Database, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "tom.xlsx"
    assert run(capsys, demo_db, "rkaplan", "export-actions", str(src), "--owner", "Tom Fletcher")[0] == 0
    (a,) = owned_by(demo_db, "tfletcher")[:1]
    r = row_of(src, a.reference)
    back = edit(src, tmp_path / "back.xlsx",
                {f"{col('percent_complete')}{r}": 3 if a.percent_complete != 3 else 4,
                 f"{col('progress')}{r}": "Kick-off held."})
    before, audit = snapshot(demo_db), counts(demo_db)
    code, out, _ = run(capsys, demo_db, "tfletcher", "import-actions", str(back), "--dry-run")
    assert code == 0 and f"Row {r} {a.reference} {a.title[:80]}: changed" in out
    assert f"{col('percent_complete')}{r} % complete" in out
    assert "Kick-off held." in out and "nothing was written" in out
    assert snapshot(demo_db) == before and counts(demo_db) == audit
    code, out, _ = run(capsys, demo_db, "tfletcher", "import-actions", str(back))
    assert code == 0 and "1 row applied" in out and "1 progress update" in out
    assert snapshot(demo_db) != before
    code, out, _ = run(capsys, demo_db, "tfletcher", "import-actions", str(back))
    assert code == 0 and "0 rows applied" in out


def test_import_errors_exit_1_and_write_nothing(demo_db: Database, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "all.xlsx"
    run(capsys, demo_db, "rkaplan", "export-actions", str(src))
    a, b = owned_by(demo_db, "msantos")[:2]
    ra, rb = row_of(src, a.reference), row_of(src, b.reference)
    back = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{ra}": 250,
                                              f"{col('rag')}{rb}": "Purple"})
    before = snapshot(demo_db)
    pct, rag = col("percent_complete"), col("rag")
    code, out, err = run(capsys, demo_db, "rkaplan", "import-actions", str(back), "--dry-run")
    assert code == 1 and f"ERROR Actions!{pct}{ra}" in out and "would be refused" not in out
    assert err == ("vrboard: back.xlsx: dry run: importing would be refused (2 problems, listed above). "
                   "Nothing was written.\n")
    code, out, err = run(capsys, demo_db, "rkaplan", "import-actions", str(back))
    assert code == 1 and "2 problems found; nothing was imported" in err
    assert f"Actions!{pct}{ra}" in err and f"Actions!{rag}{rb}" in err and "Traceback" not in err
    assert snapshot(demo_db) == before
    bad = tmp_path / "bad.xlsx"
    bad.write_text("Reference,Status\n")
    code, _, err = run(capsys, demo_db, "rkaplan", "import-actions", str(bad))
    assert code == 1 and "bad.xlsx: is not a workbook" in err


def test_skip_invalid(demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "all.xlsx"
    run(capsys, demo_db, "rkaplan", "export-actions", str(src))
    a, b = owned_by(demo_db, "msantos")[:2]
    ra, rb = row_of(src, a.reference), row_of(src, b.reference)
    other = 1 if b.percent_complete != 1 else 2
    back = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{ra}": 250,
                                              f"{col('percent_complete')}{rb}": other})
    code, out, _ = run(capsys, demo_db, "rkaplan", "import-actions", str(back), "--skip-invalid")
    assert code == 0 and "1 row applied" in out and f"skipped row {ra}" in out


def test_conflicts_are_reported_then_accepted(demo_db: Database, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import actor
    from tests.excel.conftest import action
    from vrboard.services import actions as act

    src = tmp_path / "all.xlsx"
    run(capsys, demo_db, "rkaplan", "export-actions", str(src))
    (a,) = owned_by(demo_db, "msantos")[:1]
    r = row_of(src, a.reference)
    with demo_db.transaction() as s:
        act.update_action(s, actor(demo_db, "rkaplan"), a.id, None, {"percent_complete": 97})
    back = edit(src, tmp_path / "back.xlsx", {f"{col('percent_complete')}{r}": 98})
    code, out, _ = run(capsys, demo_db, "rkaplan", "import-actions", str(back))
    assert code == 0 and f"skipped row {r}: conflict" in out and "0 rows applied" in out
    assert action(demo_db, a.reference).percent_complete == 97
    code, out, _ = run(capsys, demo_db, "rkaplan", "import-actions", str(back), "--accept-conflicts")
    assert code == 0 and "1 row applied" in out
    assert action(demo_db, a.reference).percent_complete == 98


def test_save_mapping_and_list(demo_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "m.json"
    f.write_text(json.dumps({"Item": "reference", "State": "status"}))
    code, out, _ = run(capsys, demo_db, "rkaplan", "save-mapping", "Old log", str(f))
    assert code == 0 and "Saved column mapping 'Old log'" in out
    code, out, _ = run(capsys, demo_db, "rkaplan", "mappings")
    assert code == 0 and "Old log: 'Item' -> reference, 'State' -> status" in out
    f.write_text("{not json")
    code, _, err = run(capsys, demo_db, "rkaplan", "save-mapping", "Broken", str(f))
    assert code == 1 and "not a JSON column mapping" in err
