"""``vrboard board-pack`` and ``vrboard minutes``: files written, exit codes, plain messages."""
from __future__ import annotations

from pathlib import Path

import pytest

from vrboard.cli import main

from .conftest import HELD_SIGNED, PLANNED, read


@pytest.fixture
def db_url(demo_db) -> str:
    return demo_db.url


def test_board_pack_and_minutes_commands(db_url, tmp_path: Path, capsys) -> None:
    pack = tmp_path / "pack.pdf"
    assert main(["--as", "rkaplan", "--db", db_url, "board-pack", "--meeting", str(PLANNED),
                 "--out", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "Wrote the board pack (full version" in out and str(pack) in out
    assert "Action log" in read(pack).text

    public = tmp_path / "public.pdf"
    assert main(["--as", "rkaplan", "--db", db_url, "board-pack", "--meeting", str(PLANNED),
                 "--out", str(public), "--public"]) == 0
    assert "public version" in capsys.readouterr().out
    assert "OFFICIAL-SENSITIVE" not in read(public).text

    minutes = tmp_path / "minutes.pdf"
    assert main(["--as", "rkaplan", "--db", db_url, "minutes", "--meeting", str(HELD_SIGNED),
                 "--out", str(minutes)]) == 0
    assert "Signed as a correct record" in read(minutes).text


@pytest.mark.parametrize("args, message", [
    (["board-pack", "--meeting", "999", "--out", "{tmp}/x.pdf"], "There is no meeting with id 999"),
    (["minutes", "--meeting", "1", "--out", "{tmp}/missing/x.pdf"], "does not exist"),
    (["minutes", "--meeting", "1", "--out", "{tmp}/x.txt"], "should end in .pdf"),
    (["board-pack", "--meeting", "1", "--out", "{tmp}"], "is a folder"),
])
def test_refusals_exit_1_with_a_plain_message(db_url, tmp_path, capsys, args, message) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    assert main(["--as", "rkaplan", "--db", db_url, *args]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("args", [
    ["board-pack", "--out", "x.pdf"],
    ["minutes", "--meeting", "1"],
    ["board-pack", "--meeting", "one", "--out", "x.pdf"],
])
def test_usage_errors_exit_2(db_url, capsys, args) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--as", "rkaplan", "--db", db_url, *args])
    assert exc.value.code == 2
    assert "vrboard:" in capsys.readouterr().err
