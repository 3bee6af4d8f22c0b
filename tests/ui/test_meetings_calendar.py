"""The Meetings page's "Add to calendar…": an owner's file holds the meetings, the pack
deadline and their own actions' due dates; the secretariat's holds the board's dates."""
from __future__ import annotations

from pathlib import Path

from icalendar import Calendar
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog


def _page(qtbot, ctx):  # noqa: ANN001, ANN202
    from vrboard.ui.pages.meetings import MeetingsPage

    p = MeetingsPage(ctx)
    qtbot.addWidget(p)
    p.show()
    return p


def _save(qtbot, monkeypatch, page, target: Path) -> list:  # noqa: ANN001
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target.with_suffix("")), "Calendar files (*.ics)"))
    qtbot.mouseClick(page.calendar_button, Qt.MouseButton.LeftButton)
    cal = Calendar.from_ical(target.read_bytes())
    return [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]


def test_an_owner_gets_their_own_due_dates(qtbot, owner_ctx, monkeypatch, tmp_path,  # noqa: ANN001
                                           auto_dialogs) -> None:
    page = _page(qtbot, owner_ctx)
    summaries = _save(qtbot, monkeypatch, page, tmp_path / "mine.ics")  # ".ics" added
    assert any(s.startswith("Pack due: ") for s in summaries)
    assert any(s.startswith("Action ") and " due: " in s for s in summaries)
    assert auto_dialogs[-1][0] == "Calendar saved" and "your" in auto_dialogs[-1][1]


def test_only_the_acting_persons_actions(qtbot, ctx, monkeypatch, tmp_path,  # noqa: ANN001
                                         auto_dialogs) -> None:
    from sqlalchemy import select

    from vrboard.model import Action

    with ctx.read() as s:
        mine = sorted(a.reference for a in s.scalars(
            select(Action).where(Action.owner_id == ctx.actor.person_id))
            if a.status.is_open and a.effective_due)
    page = _page(qtbot, ctx)
    summaries = _save(qtbot, monkeypatch, page, tmp_path / "board.ics")
    assert len([s for s in summaries if s.startswith("Pack due: ")]) == 1
    got = sorted(s.split()[1] for s in summaries if s.startswith("Action "))
    assert got == mine
    assert auto_dialogs[-1][0] == "Calendar saved"
