"""Finding the header row and matching headers."""
from __future__ import annotations

from vrboard.excel.headers import cell_name, column_letter, field_for, find_header


def test_header_found_under_a_title_block() -> None:
    rows = [
        ["Violence Reduction Board - action log", None, None],
        ["Updated monthly", None, None],
        [],
        ["Action Ref", "Action", "Lead Officer", "Deadline", "RAG Rating", "% Done", "Notes"],
        ["KC-001", "Do the thing", "Tom", "31/03/2020", "Green", 50, "x"],
    ]
    m = find_header(rows)
    assert m is not None and m.row == 3
    assert m.columns == {"reference": 0, "title": 1, "owner": 2, "due_date": 3, "rag": 4,
                         "percent_complete": 5}
    assert m.unknown == [(6, "Notes")]


def test_headers_match_regardless_of_case_spacing_line_breaks_and_hints() -> None:
    assert field_for("DUE  DATE") == "due_date"
    assert field_for("Due\ndate (dd/mm/yyyy) *") == "due_date"
    assert field_for("Target date") == "due_date"
    assert field_for("Deadline") == "due_date"
    assert field_for(" % complete ") == "percent_complete"
    assert field_for("Percentage Complete") == "percent_complete"
    assert field_for("Lead organization") == "lead_organisation"
    assert field_for("New progress\nupdate") == "progress"
    assert field_for("Revised due date") == "revised_due_date"
    assert field_for("Favourite colour") is None


def test_a_saved_mapping_wins_over_synonyms() -> None:
    mapping = {"Owner": "ignore", "Who's doing it": "owner", "Item": "reference"}
    assert field_for("who's doing it", mapping) == "owner"
    assert field_for("owner", mapping) == "ignore"
    rows = [["Item", "Who's doing it", "Owner", "Status"]]
    m = find_header(rows, mapping)
    assert m is not None and m.columns == {"reference": 0, "owner": 1, "status": 3}


def test_no_header_when_nothing_matches() -> None:
    assert find_header([["a", "b"], [1, 2]]) is None


def test_cell_names() -> None:
    assert column_letter(0) == "A" and column_letter(25) == "Z" and column_letter(27) == "AB"
    assert cell_name(6, 5) == "F7"
