"""The background-task helper: work runs off the UI thread, reports progress, cancels,
and brings back the result or the error in plain words."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from vrboard.errors import ValidationError
from vrboard.services.audit import bind
from vrboard.services.board import the_board
from vrboard.ui import tasks
from vrboard.ui.tasks import run_session_task, run_task


def test_work_runs_off_the_ui_thread_and_reports_progress(qtbot):
    seen_threads = []
    reports = []

    def work(progress):
        seen_threads.append(QThread.currentThread())
        for i in range(1, 4):
            progress(i, 3, f"step {i}")
        return 42

    task = tasks.BackgroundTask(None, "Test", "run the test", work)
    task.progressed.connect(lambda d, t, m: reports.append((d, t, m)))
    with qtbot.waitSignal(task.done, timeout=5000) as blocker:
        task.start()
    assert blocker.args == [42]
    assert task.result == 42 and not task.running
    assert seen_threads and seen_threads[0] is not QThread.currentThread()
    assert reports == [(1, 3, "step 1"), (2, 3, "step 2"), (3, 3, "step 3")]
    assert task.dialog is None  # closed


def test_progress_dialog_shows_the_message_and_cancel_stops_the_work(qtbot):
    started = threading.Event()
    release = threading.Event()
    steps = []

    def work(progress):
        progress(0, 10, "Starting")
        started.set()
        for i in range(1, 11):
            release.wait(5)
            steps.append(i)
            progress(i, 10, f"Row {i}")
        return "finished"

    task = tasks.BackgroundTask(None, "Long job", "do the long job", work)
    dialog = task.dialog
    assert dialog is not None and dialog.labelText().startswith("Preparing")
    task.start()
    qtbot.waitUntil(lambda: dialog.labelText() == "Starting" and dialog.maximum() == 10, timeout=5000)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        dialog.canceled.emit()  # what the Cancel button does
        assert task.cancel_requested
        release.set()
    assert task.was_cancelled and task.result is None and task.error is None
    assert steps == [1]  # stopped at the first report after Cancel
    assert task.dialog is None


def test_a_refusal_comes_back_in_plain_words(qtbot, auto_dialogs):
    def work(progress):
        raise ValidationError("Sheet 'Actions' cell F7: percent complete must be 0 to 100.")

    with qtbot.waitSignal(tasks.run_task(None, "Import", "import the returns", work).failed,
                          timeout=5000) as blocker:
        pass
    assert blocker.args == ["Sheet 'Actions' cell F7: percent complete must be 0 to 100."]
    assert auto_dialogs == [("Could not import the returns",
                             "Sheet 'Actions' cell F7: percent complete must be 0 to 100.")]


def test_an_unexpected_error_shows_no_traceback(qtbot, auto_dialogs, caplog):
    def work(progress):
        return {}["missing"]

    task = run_task(None, "Export", "export the trackers", work)
    with qtbot.waitSignal(task.failed, timeout=5000):
        pass
    title, text = auto_dialogs[0]
    assert title == "Could not export the trackers"
    assert "KeyError" in text and "Traceback" not in text and "Nothing was changed" in text
    assert "Traceback" in caplog.text  # the details go to the log


def test_session_task_commits_and_signals_change(qtbot, ctx):
    changed = []
    ctx.changed.connect(changed.append)

    def work(session, actor, progress):
        bind(session, actor)
        board = the_board(session)
        board.reports_to = "Safer Communities Partnership"
        progress(1, 1, "Saved")
        return board.id

    task = run_session_task(ctx, None, "Save", "save", work, writes=True, changed="board")
    with qtbot.waitSignal(task.done, timeout=5000):
        pass
    assert changed == ["board"]
    with ctx.read() as s:
        assert the_board(s).reports_to == "Safer Communities Partnership"


def test_cancelled_session_task_leaves_the_database_as_it_was(qtbot, ctx, auto_dialogs):
    with ctx.read() as s:
        before = the_board(s).reports_to
    written = threading.Event()
    go_on = threading.Event()

    def work(session, actor, progress):
        bind(session, actor)
        the_board(session).reports_to = "Half-written"
        session.flush()
        written.set()
        go_on.wait(5)
        progress(1, 2, "never shown")
        return None

    task = run_session_task(ctx, None, "Save", "save", work, writes=True)
    qtbot.waitUntil(written.is_set, timeout=5000)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
        go_on.set()
    assert auto_dialogs == []
    with ctx.read() as s:
        assert the_board(s).reports_to == before


@pytest.mark.parametrize("show", [True, False])
def test_finished_tasks_are_released(qtbot, show):
    task = run_task(None, "T", "t", lambda progress: 1, show_dialog=show)
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    qtbot.waitUntil(lambda: task not in tasks.running_tasks())
