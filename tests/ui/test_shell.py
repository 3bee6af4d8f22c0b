"""The main window: opens, says which database and who, switches pages by keyboard,
remembers its size, splitters and last page, and follows the page navigation contract."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QSplitter, QToolBar

from vrboard.ui.main_window import MainWindow
from vrboard.ui.pages import PAGES, available_specs


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, ctx, settings) -> MainWindow:  # noqa: ANN001
    w = MainWindow(ctx, settings)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_window_opens_on_the_dashboard_with_database_and_user_in_the_status_bar(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    assert w.current_key() == "dashboard"
    assert "vrboard" in w.windowTitle()
    assert "Violence Reduction Board" in w.windowTitle()
    assert w.db_label.text().startswith("Database: ") and ctx.db.label in w.db_label.toolTip()
    assert w.user_label.text() == "Signed in as Ruth Kaplan · Secretariat"
    assert w.db_label.isVisible() and w.user_label.isVisible()
    assert w.nav.accessibleName() == "Pages"


def test_status_bar_names_a_chair_and_a_viewer(qtbot, chair_ctx, viewer_ctx, settings):
    w = open_window(qtbot, chair_ctx, settings)
    assert w.user_label.text() == "Signed in as Cllr Zoë Adeyemi · Chair"
    v = open_window(qtbot, viewer_ctx, settings)
    assert v.user_label.text() == "Signed in as Helen Marsh · Viewer"


def test_page_registry_matches_the_agreed_shortcuts():
    assert [(p.key, p.shortcut) for p in PAGES] == [
        ("dashboard", "Ctrl+1"), ("board", "Ctrl+2"), ("meetings", "Ctrl+3"),
        ("workstreams", "Ctrl+4"), ("actions", "Ctrl+5"), ("plans", "Ctrl+6"),
        ("indicators", "Ctrl+7"), ("audit", "Ctrl+8"), ("reviews", "Ctrl+9"),
        ("community", "Ctrl+0"), ("duty", "Ctrl+Shift+D"),
    ]
    assert [s.key for s in available_specs()][0] == "dashboard"


def test_every_page_is_reached_by_its_shortcut(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    w.activateWindow()
    qtbot.waitUntil(lambda: w.isActiveWindow())
    keys = w.page_keys()
    for spec in reversed(w.specs):  # from the last page back, so every press changes the page
        seq = QKeySequence(spec.shortcut)[0]  # e.g. Ctrl+5, Ctrl+Shift+D
        qtbot.keyClick(w, seq.key(), seq.keyboardModifiers())
        assert w.current_key() == spec.key, spec.shortcut
        page = w.pages[spec.key]
        assert w.stack.currentWidget() is page
        assert page.isVisible()
        assert page.accessibleName()
        focused = QApplication.focusWidget()
        assert focused is not None and page.isAncestorOf(focused), spec.key  # keyboard lands in the page
    assert set(w.pages) == set(keys)


def test_the_view_menu_lists_every_page_with_its_shortcut(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    for spec in w.specs:
        act = w.acts.page_actions[spec.key]
        assert act.shortcut().toString() == spec.shortcut
        act.trigger()
        assert w.current_key() == spec.key


def test_settings_restore_the_last_page(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    target = w.page_keys()[-1]
    w.show_page(target)
    w.close()
    again = open_window(qtbot, ctx, settings)
    assert again.current_key() == target
    assert set(again.pages) == {target}  # only the page shown is built


def test_settings_restore_the_size_and_splitters(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    w.resize(790, 610)  # within the offscreen screen (800x800): Qt clamps to the screen
    w.splitter.setSizes([200, 590])
    split = w.pages["dashboard"].findChild(QSplitter, "dashboard_split")
    split.setSizes([350, 150])
    before = split.sizes()
    nav_width = w.splitter.sizes()[0]
    assert nav_width == 200
    w.close()

    again = open_window(qtbot, ctx, settings)
    assert again.current_key() == "dashboard"
    assert (again.width(), again.height()) == (790, 610)
    assert again.splitter.sizes()[0] == nav_width
    assert again.pages["dashboard"].findChild(QSplitter, "dashboard_split").sizes() == before


def test_navigation_contract_switches_page_and_opens_the_target(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    w.show_page(w.page_keys()[-1])
    w.navigate("dashboard", {"tab": "awaiting"})
    assert w.current_key() == "dashboard"
    assert w.pages["dashboard"].tabs.currentIndex() == 2


def test_a_page_navigate_signal_is_followed(qtbot, ctx, settings, monkeypatch):
    w = open_window(qtbot, ctx, settings)
    dash = w.pages["dashboard"]
    opened = []
    w.show_page(w.page_keys()[-1])
    monkeypatch.setattr(dash, "open_target", lambda arg: opened.append(arg))
    dash.navigate.emit("dashboard", {"tab": "soon"})
    assert w.current_key() == "dashboard"
    assert opened == [{"tab": "soon"}]


def test_navigating_to_a_missing_page_says_so(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    w.navigate("nowhere", {"x": 1})
    assert w.current_key() == "dashboard"
    assert "no nowhere page" in w.statusBar().currentMessage()


def test_work_the_user_may_not_do_is_disabled_and_says_who_may(qtbot, viewer_ctx, settings):
    w = open_window(qtbot, viewer_ctx, settings)
    for act in (w.acts.import_returns, w.acts.export_trackers, w.acts.backup, w.acts.restore):
        if act is None:
            continue
        assert not act.isEnabled()
        assert "Only the" in act.toolTip() and "Helen Marsh" in act.toolTip()
    assert w.acts.open_db.isEnabled()


def test_reload_refreshes_the_current_page(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    w.acts.reload.trigger()
    assert w.statusBar().currentMessage() == "Reloaded from the database."


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_status_messages_have_room_to_be_drawn(qtbot, ctx, settings, size):
    """The database label used to stretch over the whole bar: messages were set, never drawn."""
    w = open_window(qtbot, ctx, settings)
    w.resize(*size)
    qtbot.waitUntil(lambda: w.width() == size[0])
    bar = w.statusBar()
    free = bar.width() - w.db_label.width() - w.user_label.width()
    assert free > 250, free
    assert w.db_label.width() <= 380


def test_the_shortcut_list_keeps_keys_and_names_apart():
    from vrboard.ui.main_window import shortcuts_html

    html = shortcuts_html(["Board:", "Ctrl+Shift+M\tMinutes PDF"])
    assert "<b>Ctrl+Shift+M</b></td><td>Minutes PDF</td>" in html
    assert "Ctrl+Shift+MMinutes" not in html


def test_every_action_has_an_accessible_text_and_shortcuts_are_unique(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    seqs = [a.shortcut().toString() for a in w.acts.all() if not a.shortcut().isEmpty()]
    assert len(seqs) == len(set(seqs))
    for a in w.acts.all():
        assert a.text().replace("&", "").strip()
        assert a.statusTip()


def test_the_shortcut_list_names_pages_common_acts_and_the_pages_own(qtbot, ctx, settings, monkeypatch):
    w = open_window(qtbot, ctx, settings)
    lines = w.shortcut_lines()
    assert "Ctrl+1\tDashboard" in lines
    assert any(line.endswith("\tReload") for line in lines)
    assert any(line.startswith("Ctrl+Q\t") for line in lines)
    from PySide6.QtGui import QAction, QKeySequence

    page = w.current_page()
    extra = QAction("Do the page's thing", page)
    extra.setShortcut(QKeySequence("Ctrl+Shift+T"))
    page.addAction(extra)
    assert "On the Dashboard page:" in w.shortcut_lines()
    assert "Ctrl+Shift+T\tDo the page's thing" in w.shortcut_lines()


def test_the_chair_goes_from_the_dashboard_to_the_action_to_sign(qtbot, chair_ctx, settings):
    w = open_window(qtbot, chair_ctx, settings)
    dash = w.pages["dashboard"]
    target = dash.awaiting_model.row(0)
    dash.awaiting_view.selectRow(0)
    dash.review.click()
    assert w.current_key() == "actions"
    assert w.pages["actions"].selected_id() == target.id


def test_dashboard_figures_open_the_filtered_actions_page(qtbot, ctx, settings):
    w = open_window(qtbot, ctx, settings)
    dash = w.pages["dashboard"]
    dash.stat_overdue.click()
    assert w.current_key() == "actions"
    assert w.pages["actions"].model.rowCount() == dash.stat_overdue.value


def test_board_and_file_menus_open_their_dialogs(qtbot, ctx, settings, monkeypatch):
    from vrboard.ui.dialogs import backup, export, import_preview, pack

    opened = []
    monkeypatch.setattr(export.ExportDialog, "exec", lambda self: opened.append("export") or 0)
    monkeypatch.setattr(pack.PackDialog, "exec", lambda self: opened.append(f"pdf:{self.kind}") or 0)
    monkeypatch.setattr(import_preview.ChooseImportDialog, "exec", lambda self: opened.append("import") or 0)
    monkeypatch.setattr(backup.RestoreDialog, "exec", lambda self: opened.append("restore") or 0)
    monkeypatch.setattr(backup, "ask_backup_path", lambda parent, c: opened.append("backup") or "")
    w = open_window(qtbot, ctx, settings)
    for act in (w.acts.import_returns, w.acts.export_trackers, w.acts.board_pack, w.acts.minutes,
                w.acts.backup, w.acts.restore):
        assert act is not None and act.isEnabled()
        act.trigger()
    assert opened == ["import", "export", "pdf:pack", "pdf:minutes", "backup", "restore"]
    toolbar = [a.text() for a in w.findChild(QToolBar, "main_toolbar").actions() if a.text()]
    assert toolbar[:4] == ["&Import returns…", "&Export trackers…", "Board &pack…", "&Minutes PDF…"]


def test_an_owner_lands_on_their_own_actions_earliest_due_first(qtbot, owner_ctx, settings):
    from vrboard.ui.actions.table_model import C_DUE

    w = open_window(qtbot, owner_ctx, settings)
    assert w.current_key() == "actions"
    page = w.current_page()
    assert page.model.filter.owner_id == owner_ctx.actor.person_id
    assert page.model.sort_state == (C_DUE, Qt.SortOrder.AscendingOrder)
    owners = {page.model.index(r, 3).data() for r in range(page.model.rowCount())}
    assert owners == {owner_ctx.actor.name} and page.model.rowCount() > 0
