"""Board > Publish…: asks for a folder, runs the same service as ``vrboard publish`` in the
background and says on the status bar what it wrote; a folder of other files is refused."""
from __future__ import annotations

from pathlib import Path

from tests.ui.test_shell import open_window
from tests.ui.test_shell import settings as settings  # noqa: F401 - the fixture, for these tests
from vrboard.ui.dialogs import publish


def test_publish_asks_for_a_folder_and_reports_on_the_status_bar(qtbot, ctx, settings, tmp_path,
                                                                  monkeypatch):
    target = tmp_path / "site"
    monkeypatch.setattr(publish, "ask_folder", lambda parent: target)
    w = open_window(qtbot, ctx, settings)
    assert w.acts.publish is not None and w.acts.publish.isEnabled()
    assert w.acts.publish.text() == "P&ublish…"
    seen: list = []
    original = publish.run_session_task
    monkeypatch.setattr(publish, "run_session_task",
                        lambda *a, **k: seen.append(original(*a, **k)) or seen[-1])
    w.acts.publish.trigger()
    assert seen, "no task was started"
    with qtbot.waitSignal(seen[0].done, timeout=120000):
        pass
    assert (target / "index.html").is_file()
    qtbot.waitUntil(lambda: "Published 3 meetings" in w.statusBar().currentMessage())


def test_a_folder_of_other_files_is_refused_before_any_work(qtbot, ctx, settings, tmp_path,
                                                             auto_dialogs):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    w = open_window(qtbot, ctx, settings)
    assert publish.start_publish(ctx, w, Path(folder)) is None
    assert auto_dialogs and "other files" in auto_dialogs[0][1]
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
