"""The community, youth-panel and needs commands: what they print, and a refusal on stderr
with exit code 1 and nothing written."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.core.test_cli import run
from vrboard.model import Action
from vrboard.store import ENV_URL, open_database

DAY = (dt.date.today() - dt.timedelta(days=10)).strftime("%d/%m/%Y")


@pytest.fixture
def board(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(ENV_URL, raising=False)
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert run(capsys, "--db", url, "--as", "rkaplan", "init", "--demo")[0] == 0
    return url


def _ref(url, n=0):
    db = open_database(url)
    try:
        with db.session() as s:
            return s.scalars(select(Action.reference).order_by(Action.id)).all()[n]
    finally:
        db.close()


def _as(capsys, url, *argv):
    return run(capsys, "--db", url, "--as", "rkaplan", *argv)


def test_community_session_theme_response_and_link(board, capsys):
    code, out, err = _as(capsys, board, "community", "session", "--date", DAY, "--place",
                         "Rushey Green ward", "--lead", "Lewisham Churches Forum", "--participants", "19")
    assert (code, err) == (0, "") and "Added community conversation" in out
    ident = out.split("conversation ")[1].split(":")[0]
    code, out, err = _as(capsys, board, "community", "theme", "--title", "Late-night buses",
                         "--session", ident, "--quote", "The 136 stops at 11.")
    assert code == 0 and "raised at 1 session(s), open; actions: -." in out
    theme = out.split("Theme ")[1].split(" ")[0]
    code, out, err = _as(capsys, board, "community", "respond", theme, "done")
    assert code == 1 and out == "" and "before marking it done" in err
    code, out, err = _as(capsys, board, "community", "respond", theme, "done", "--we-did",
                         "TfL asked to extend the 136's late service.")
    assert code == 0 and ", done;" in out
    ref = _ref(board)
    code, out, err = _as(capsys, board, "community", "link", theme, ref)
    assert code == 0 and f"actions: {ref}." in out
    code, out, _ = _as(capsys, board, "community", "list")
    assert code == 0 and "community members trained" in out and "Late-night buses" in out


def test_a_workshop_over_thirty_is_refused(board, capsys):
    code, out, err = _as(capsys, board, "community", "workshop", "--date", DAY, "--audience",
                         "professionals", "--participants", "35")
    assert code == 1 and out == ""
    assert "takes up to 30 people; 35 is too many" in err
    code, out, _ = _as(capsys, board, "community", "workshop", "--date", DAY, "--audience",
                       "professionals", "--participants", "30")
    assert code == 0 and "30 people, 4 hours" in out


def test_youth_panel_and_needs(board, capsys):
    code, out, _ = _as(capsys, board, "youth-panel", "session", "--date", DAY, "--place",
                       "Youth hub", "--participants", "11")
    session = out.split("session ")[1].split(":")[0]
    code, out, _ = _as(capsys, board, "youth-panel", "ask", "--session", session, "--raised",
                       "Free gym sessions in the holidays")
    ask = out.split("Ask ")[1].split(" ")[0]
    ref, other = _ref(board, 1), _ref(board, 2)
    code, out, _ = _as(capsys, board, "youth-panel", "link", ask, ref)
    assert code == 0 and f"actions: {ref}." in out
    code, out, _ = _as(capsys, board, "needs", "add", "--title", "SNA 2027", "--date", DAY)
    sna = out.split("assessment ")[1].split(":")[0]
    code, out, _ = _as(capsys, board, "needs", "finding", "--assessment", sna, "--number", "1",
                       "--text", "Robbery of young people peaks after school.")
    finding = out.split("(id ")[1].split(")")[0]
    code, out, _ = _as(capsys, board, "needs", "link", finding, other)
    assert code == 0 and "Finding 1 of SNA 2027" in out and other in out
    code, out, _ = _as(capsys, board, "needs", "list")
    assert "Robbery of young people" in out
    code, out, err = run(capsys, "--db", board, "--as", "hmarsh", "needs", "add", "--title", "X",
                         "--date", DAY)
    assert code in (1, 2) and out == "" and err
