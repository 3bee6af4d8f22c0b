"""The shared widgets: optional date field, RAG count bar, trend chart."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from vrboard.errors import ValidationError
from vrboard.ui.widgets.date_edit import DateTimeEdit, OptionalDateEdit, parse_uk_date
from vrboard.ui.widgets.rag import RagCountBar, rag_summary
from vrboard.ui.widgets.trend_chart import Series, TrendChart, nice_ticks


def test_optional_date_edit_round_trip(qtbot):  # noqa: ANN001
    w = OptionalDateEdit()
    qtbot.addWidget(w)
    assert w.date_value() is None and w.text() == "" and w.edit.placeholderText() == "Not set"
    w.set_date_value(dt.date(2020, 3, 31))
    assert w.date_value() == dt.date(2020, 3, 31) and w.text() == "31/03/2020"
    w.set_date_value(None)
    assert w.date_value() is None


def test_a_date_is_typed_in_full_and_cleared_by_delete(qtbot):  # noqa: ANN001
    w = OptionalDateEdit(blank_text="No end date")
    w.setAccessibleName("Term ends")
    qtbot.addWidget(w)
    w.show()
    w.setFocus()
    qtbot.keyClicks(w.edit, "28/11/2030")
    assert w.text() == "28/11/2030" and w.date_value() == dt.date(2030, 11, 28)
    w.edit.selectAll()
    qtbot.keyClick(w.edit, Qt.Key.Key_Delete)
    assert w.text() == "" and w.date_value() is None  # "No end date" again
    qtbot.keyClicks(w.edit, "1/2/31")
    w.edit.editingFinished.emit()
    assert w.text() == "01/02/2031" and w.date_value() == dt.date(2031, 2, 1)


def test_text_that_is_not_a_date_is_kept_and_refused_by_name(qtbot):  # noqa: ANN001
    w = OptionalDateEdit()
    w.setAccessibleName("Due date")
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "31/02/2027")
    assert w.text() == "31/02/2027" and not w.is_valid()
    with pytest.raises(ValidationError, match="Due date: '31/02/2027' is not a date vrboard can "
                                              "read; type it as dd/mm/yyyy"):
        w.date_value()


@pytest.mark.parametrize("text", ["1" + " " * 32767, "9" * 5000, "1/1/" + "2" * 4000])
def test_date_parsing_is_bounded(text):  # noqa: ANN001
    with pytest.raises(ValueError):
        parse_uk_date(text)


def test_a_date_and_time_is_taken_as_written(qtbot):  # noqa: ANN001
    w = DateTimeEdit()
    w.setAccessibleName("Date and time")
    qtbot.addWidget(w)
    qtbot.keyClicks(w.edit, "12/02/2027 14:00")
    assert w.datetime_value() == dt.datetime(2027, 2, 12, 14, 0)
    w.edit.clear()
    qtbot.keyClicks(w.edit, "12/02/2027")
    with pytest.raises(ValidationError, match="type it as dd/mm/yyyy HH:MM"):
        w.datetime_value()


def test_rag_bar_says_letters_and_numbers(qtbot):  # noqa: ANN001
    bar = RagCountBar(counts={"red": 2, "amber": 0, "green": 9})
    qtbot.addWidget(bar)
    bar.resize(240, 24)
    assert bar.accessibleDescription() == "Red 2, Amber 0, Green 9"
    assert rag_summary({"red": 1}) == "Red 1, Amber 0, Green 0"
    assert not bar.grab().isNull()
    bar.set_counts({})
    assert bar.counts() == {"red": 0, "amber": 0, "green": 0} and not bar.grab().isNull()


def test_trend_chart_text_alternative_and_paint(qtbot):  # noqa: ANN001
    chart = TrendChart()
    qtbot.addWidget(chart)
    chart.resize(600, 300)
    assert chart.text_alternative() == "No indicator selected."
    chart.set_series(Series("PF01 Knife crime", "offences", ["2019/20 Q1", "2019/20 Q2"], [40, 33],
                            30, higher_is_better=False))
    text = chart.accessibleDescription()
    assert "2019/20 Q1: 40; 2019/20 Q2: 33" in text
    assert "Target 30 offences (lower is better)" in text and "does not meet" in text
    img = chart.grab().toImage()
    assert img.width() == 600
    chart.set_series(Series("Up", "", ["A", "B", "C"], [1, 2, 3], None, True))
    assert "Target" not in chart.accessibleDescription() and not chart.grab().isNull()


def test_nice_ticks_cover_the_range():
    ticks = nice_ticks(23.4, 31.2)
    assert ticks[0] <= 23.4 and ticks[-1] >= 31.2 and len(ticks) <= 8
    assert nice_ticks(5, 5)[-1] > 5


def test_file_dialogs_start_where_the_user_last_chose_a_file(qtbot, tmp_path, monkeypatch):  # noqa: ANN001
    """They always started in the home folder."""
    from PySide6.QtWidgets import QFileDialog

    from vrboard.ui.dialogs import common

    monkeypatch.setattr(common, "_last_folder", None)
    monkeypatch.setattr(common.QCoreApplication, "applicationName", lambda: "")  # no saved settings
    folder = tmp_path / "returns"
    folder.mkdir()
    starts: list[str] = []

    def fake_open(_parent, _caption, start, _filter):  # noqa: ANN001, ANN202
        starts.append(start)
        return str(folder / "tom.xlsx"), ""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_open)
    first = common.PathField("open", "Choose a return")
    second = common.PathField("open", "Choose another return")
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    first.browse.click()
    second.browse.click()
    assert starts[0] != str(folder)  # the first time: Documents (or home)
    assert starts[1] == str(folder) and common.documents_dir() == folder
