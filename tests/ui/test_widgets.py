"""The shared widgets: optional date field, RAG count bar, trend chart."""
from __future__ import annotations

import datetime as dt

from vrboard.ui.widgets.date_edit import OptionalDateEdit
from vrboard.ui.widgets.rag import RagCountBar, rag_summary
from vrboard.ui.widgets.trend_chart import Series, TrendChart, nice_ticks


def test_optional_date_edit_round_trip(qtbot):  # noqa: ANN001
    w = OptionalDateEdit()
    qtbot.addWidget(w)
    assert w.date_value() is None and w.text() == "Not set"
    w.set_date_value(dt.date(2020, 3, 31))
    assert w.date_value() == dt.date(2020, 3, 31) and w.text() == "31/03/2020"
    w.set_date_value(None)
    assert w.date_value() is None


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
