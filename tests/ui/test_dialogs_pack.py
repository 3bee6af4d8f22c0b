"""Board pack and minutes dialogs: choose the meeting and version, build in the background."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import select

from vrboard.model import Meeting, MeetingStatus
from vrboard.ui.dialogs.pack import PackDialog


def test_pack_defaults_to_the_next_meeting_and_builds_the_public_version(qtbot, ctx, tmp_path):
    dlg = PackDialog(ctx, None, kind="pack")
    qtbot.addWidget(dlg)
    with ctx.read() as s:
        planned = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.PLANNED)).first()
    assert dlg.meeting.currentData() == planned.id
    assert dlg.full.isChecked() and "(full).pdf" in dlg.path.path()
    dlg.public.setChecked(True)
    assert dlg.path.path().endswith("(public).pdf")
    dlg.open_after.setChecked(False)
    dlg.path.set_path(str(tmp_path / "pack.pdf"))
    task = dlg.start()
    assert task is not None and not dlg.build.isEnabled()
    with qtbot.waitSignal(task.done, timeout=60000):
        pass
    assert dlg.result is not None and dlg.result.public and dlg.result.pages > 0
    assert dlg.result.path == Path(tmp_path / "pack.pdf")
    text = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / "pack.pdf")).pages)
    assert "Case themes briefing" not in " ".join(text.split())  # the exempt paper stays out


def test_minutes_default_to_the_latest_meeting_held(qtbot, ctx, tmp_path):
    dlg = PackDialog(ctx, None, kind="minutes")
    qtbot.addWidget(dlg)
    with ctx.read() as s:
        held = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD)
                         .order_by(Meeting.starts_at.desc())).first()
    assert dlg.meeting.currentData() == held.id
    assert "minutes" in Path(dlg.path.path()).name
    dlg.open_after.setChecked(False)
    dlg.path.set_path(str(tmp_path / "minutes.pdf"))
    with qtbot.waitSignal(dlg.start().done, timeout=60000):
        pass
    assert (tmp_path / "minutes.pdf").is_file() and not dlg.result.public
    assert dlg.result.pages > 0


def test_a_missing_folder_is_refused_before_any_work(qtbot, ctx, tmp_path, auto_dialogs):
    dlg = PackDialog(ctx, None, kind="pack")
    qtbot.addWidget(dlg)
    dlg.path.set_path(str(tmp_path / "no" / "pack.pdf"))
    assert dlg.start() is None
    assert auto_dialogs and "does not exist" in auto_dialogs[0][1]


def test_an_owner_who_is_not_a_member_is_offered_the_public_version_only(qtbot, owner_ctx):
    dlg = PackDialog(owner_ctx, None, kind="pack")
    qtbot.addWidget(dlg)
    assert dlg.public.isChecked() and not dlg.full.isEnabled()
    assert "not a member of the board" in dlg.full.toolTip()
    assert dlg.path.path().endswith("(public).pdf")


def test_minutes_of_a_meeting_not_held_are_refused(qtbot, ctx, auto_dialogs):
    dlg = PackDialog(ctx, None, kind="minutes")
    qtbot.addWidget(dlg)
    with ctx.read() as s:
        planned = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.PLANNED)).first()
    dlg.meeting.setCurrentIndex(dlg.meeting.findData(planned.id))
    assert "has not been held yet" in dlg.note.text() and not dlg.build.isEnabled()
    assert dlg.start() is None
    assert auto_dialogs and "has not been held yet" in auto_dialogs[0][1]
