"""Values read the way people type them: UK dates, serials in both systems, percentages,
status and RAG words."""
from __future__ import annotations

import datetime as dt

import pytest

from vrboard.excel import values as v
from vrboard.model import RAG, ActionStatus

D = dt.date(2020, 3, 31)


@pytest.mark.parametrize("typed", [
    "31/03/2020", "31/3/2020", "31/3/20", "31.03.2020", "31-03-2020", "31 03 2020", "31 March 2020",
    "31 Mar 2020", "31-Mar-20", "31st March 2020", "Tuesday 31 March 2020", "2020-03-31",
    "2020-03-31 00:00:00", " 31/03/2020 ", D, dt.datetime(2020, 3, 31, 0, 0), 43921, 43921.0, "43921",
])
def test_uk_dates_in_the_usual_forms(typed: object) -> None:
    assert v.parse_date(typed) == D


def test_serial_numbers_in_both_date_systems() -> None:
    assert v.parse_date(43921) == D                 # 1900 system (Windows Excel)
    assert v.parse_date(42459, date1904=True) == D  # 1904 system (old Mac Excel)
    assert v.serial_to_date(61) == dt.date(1900, 3, 1)  # after Excel's phantom 29/02/1900
    assert v.serial_to_date(1) == dt.date(1900, 1, 1)


def test_day_first_not_month_first() -> None:
    assert v.parse_date("04/05/2020") == dt.date(2020, 5, 4)
    with pytest.raises(v.CellValueError, match="day first"):
        v.parse_date("03/31/2020")


@pytest.mark.parametrize("bad", ["31/02/2020", "next week", "TBC", "1/1/1850", True, 5])
def test_bad_dates_are_refused_with_a_reason(bad: object) -> None:
    with pytest.raises(v.CellValueError) as err:
        v.parse_date(bad)
    assert str(err.value)


def test_blank_date_is_none() -> None:
    assert v.parse_date(None) is None and v.parse_date("  ") is None


@pytest.mark.parametrize("typed,expected", [
    (50, 50), (50.0, 50), ("50", 50), ("50%", 50), (" 50 % ", 50), (0.5, 50), ("0.5", 50), (0, 0),
    (100, 100), ("100%", 100), (0.333, 33), (1, 1),
])
def test_percentages_as_50_percent_half_or_fifty(typed: object, expected: int) -> None:
    assert v.parse_percent(typed) == expected


def test_a_column_of_fractions_reads_one_as_100_percent() -> None:
    assert v.parse_percent(1, fractions=True) == 100
    assert v.parse_percent(1.0, fractions=True) == 100


@pytest.mark.parametrize("bad", [150, -5, "lots", 33.5, "101%", True])
def test_bad_percentages_are_refused(bad: object) -> None:
    with pytest.raises(v.CellValueError):
        v.parse_percent(bad)


@pytest.mark.parametrize("typed,expected", [
    ("In progress", ActionStatus.IN_PROGRESS), ("IN PROGRESS", ActionStatus.IN_PROGRESS),
    ("in_progress", ActionStatus.IN_PROGRESS), ("Ongoing", ActionStatus.IN_PROGRESS),
    ("On track", ActionStatus.IN_PROGRESS), ("not started", ActionStatus.NOT_STARTED),
    ("Complete, awaiting sign-off", ActionStatus.AWAITING_SIGN_OFF),
    ("Completed", ActionStatus.AWAITING_SIGN_OFF), ("done", ActionStatus.AWAITING_SIGN_OFF),
    ("Cancelled", ActionStatus.DROPPED), ("Signed off", ActionStatus.SIGNED_OFF),
])
def test_status_in_any_case_and_with_synonyms(typed: str, expected: ActionStatus) -> None:
    assert v.parse_status(typed) is expected


@pytest.mark.parametrize("typed,expected", [
    ("Red", RAG.RED), ("R", RAG.RED), ("red", RAG.RED), ("AMBER", RAG.AMBER), ("a", RAG.AMBER),
    ("Yellow", RAG.AMBER), ("G", RAG.GREEN), ("green ", RAG.GREEN), ("On track", RAG.GREEN),
])
def test_rag_in_any_case_and_with_synonyms(typed: str, expected: RAG) -> None:
    assert v.parse_rag(typed) is expected


def test_unknown_words_name_the_choices() -> None:
    with pytest.raises(v.CellValueError, match="Red, Amber or Green"):
        v.parse_rag("Purple")
    with pytest.raises(v.CellValueError, match="In progress"):
        v.parse_status("Waiting for Godot")


def test_text_of_cells() -> None:
    assert v.text(12.0) == "12" and v.text(None) == "" and v.text(D) == "31/03/2020"
    assert v.parse_codes("vawg; KCAP, slap") == ["VAWG", "KCAP", "SLAP"]
