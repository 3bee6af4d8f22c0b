"""The full pack and minutes carry exempt (Part 2) information: board members, the chair and
the secretariat may build them; an officer who only owns actions gets the public version."""
from __future__ import annotations

import pytest

from tests.conftest import actor
from vrboard.cli import main
from vrboard.errors import PermissionDenied
from vrboard.services.context import exempt_refusal, require_exempt_access


@pytest.mark.parametrize("who", ["rkaplan", "zadeyemi", "lnowak", "hmarsh", "praman"])
def test_board_members_and_secretariat_may_see_exempt_information(demo_db, who):
    with demo_db.session() as s:
        assert exempt_refusal(s, actor(demo_db, who)) is None


def test_an_officer_who_only_owns_actions_may_not(demo_db):
    with demo_db.session() as s, pytest.raises(PermissionDenied, match="public version"):
        require_exempt_access(s, actor(demo_db, "tfletcher"))


def test_cli_refuses_the_full_pack_to_an_owner_but_builds_the_public_one(demo_db, tmp_path, capsys):
    url = demo_db.url
    full, public = tmp_path / "full.pdf", tmp_path / "public.pdf"
    code = main(["--db", url, "--as", "tfletcher", "board-pack", "--meeting", "3", "--out", str(full)])
    assert code == 1 and not full.exists()
    assert "not a member of the board" in capsys.readouterr().err
    code = main(["--db", url, "--as", "tfletcher", "board-pack", "--meeting", "3", "--out", str(public),
                 "--public"])
    assert code == 0 and public.exists()
    code = main(["--db", url, "--as", "hmarsh", "minutes", "--meeting", "1", "--out", str(full)])
    assert code == 0 and full.exists()
