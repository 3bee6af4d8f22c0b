"""The performance framework: financial-year periods, targets and values."""
from __future__ import annotations

import datetime as dt
import math

import pytest

from tests.conftest import actor
from vrboard.errors import ValidationError
from vrboard.model import Indicator
from vrboard.services import indicators as ind


@pytest.mark.parametrize("period, start", [
    ("2019/20 Q1", dt.date(2019, 4, 1)), ("2019/20 Q2", dt.date(2019, 7, 1)),
    ("2019/20 Q3", dt.date(2019, 10, 1)), ("2019/20 Q4", dt.date(2020, 1, 1)),
    ("2019/20", dt.date(2019, 4, 1)), ("1999/00 Q4", dt.date(2000, 1, 1)),
])
def test_financial_periods(period, start):
    assert ind.period_start(period) == start


@pytest.mark.parametrize("bad", ["2019/21 Q1", "2019-20", "Q1 2019", "2019/20 Q5", ""])
def test_bad_periods(bad):
    with pytest.raises(ValidationError, match="should be a financial year such as 2019/20"):
        ind.period_start(bad)


def test_targets_and_values(board_db):
    sec = actor(board_db, "sec")
    with board_db.transaction() as s:
        i = ind.add_indicator(s, sec, code="PI-99", name="Knife-crime victims under 25", unit="victims",
                              higher_is_better=False, target=40)
        ind.set_value(s, sec, i.id, "2019/20 Q1", 44)
        ind.set_value(s, sec, i.id, "2019/20 Q2", 38.5)
        ind.set_value(s, sec, i.id, "2019/20 Q1", 42, note="Corrected by the police")  # a correction
    with board_db.session() as s:
        i = s.get(Indicator, i.id)
        assert [(v.period, v.value) for v in i.values] == [("2019/20 Q1", 42.0), ("2019/20 Q2", 38.5)]
        assert [i.status_of(v.value) for v in i.values] == ["not met", "met"]
    with pytest.raises(ValidationError, match="already used"), board_db.transaction() as s:
        ind.add_indicator(s, sec, code="PI-99", name="Again")
    for bad in (math.nan, math.inf, "12", True):
        with pytest.raises(ValidationError, match="must be a number"), board_db.transaction() as s:
            ind.set_value(s, sec, i.id, "2019/20 Q3", bad)
    with pytest.raises(ValidationError, match="target must be a number"), board_db.transaction() as s:
        ind.update_indicator(s, sec, i.id, None, {"target": math.nan})
