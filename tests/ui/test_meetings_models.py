"""Every table model of the Meetings page passes qtmodeltester; the agenda's drop arithmetic
and the decision-to-action title are checked on their own (no widgets)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from vrboard.services.meeting_views import (
    action_title,
    list_meetings,
    meeting_detail,
    people_choices,
)


@pytest.fixture
def detail(ctx):  # noqa: ANN001, ANN201
    with ctx.read() as s:
        return meeting_detail(s, 2, ctx.actor)  # held, unsigned: attendance, declarations, minutes


def test_meeting_list_model(qtmodeltester, ctx) -> None:  # noqa: ANN001
    from vrboard.ui.meetings.models import MeetingListModel

    model = MeetingListModel()
    with ctx.read() as s:
        model.set_rows(list_meetings(s))
    model.sort(0, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(model)
    assert [model.index(r, 2).data() for r in range(3)] == ["Planned", "Held", "Held, minutes signed"]
    assert model.index(0, 0).data().count("/") == 2  # dd/mm/yyyy hh:mm


def test_agenda_paper_declaration_item_and_decision_models(qtmodeltester, detail) -> None:  # noqa: ANN001
    from vrboard.ui.meetings.models import (
        AgendaModel,
        DecisionModel,
        DeclarationModel,
        ItemListModel,
        PaperModel,
    )

    agenda = AgendaModel()
    agenda.set_rows(list(detail.items))
    qtmodeltester.check(agenda)
    part2 = next(i for i in detail.items if i.part == 2)
    assert agenda.index(agenda.find(part2.id), 2).data() == f"Part 2 (para {part2.exempt_paragraph})"
    papers = PaperModel()
    papers.set_rows([p for i in detail.items for p in i.papers])
    qtmodeltester.check(papers)
    declarations = DeclarationModel()
    declarations.set_rows(list(detail.declarations))
    qtmodeltester.check(declarations)
    assert declarations.index(0, 0).data() == "Daniel Brooks"
    items = ItemListModel()
    items.set_rows(list(detail.items))
    qtmodeltester.check(items)
    assert items.index(0, 0).data().endswith("(minuted)")
    decisions = DecisionModel()
    decisions.set_rows(list(next(i for i in detail.items if i.decisions).decisions))
    qtmodeltester.check(decisions)
    decisions.append("The board AGREED to write to the partnership.")
    assert decisions.setData(decisions.index(2, 0), "Reworded", Qt.ItemDataRole.EditRole)
    assert decisions.texts()[-1] == "Reworded"
    decisions.editable = False
    assert not decisions.flags(decisions.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    assert not decisions.setData(decisions.index(0, 0), "x", Qt.ItemDataRole.EditRole)


def test_attendance_model(qtmodeltester, ctx, detail) -> None:  # noqa: ANN001
    from vrboard.ui.meetings.attendance import SUB_COL, AttendanceModel

    model = AttendanceModel()
    with ctx.read() as s:
        model.set_rows(list(detail.attendance), people_choices(s))
    qtmodeltester.check(model)
    priya = next(n for n in range(model.rowCount()) if model.row(n).name == "Priya Raman")
    assert model.index(priya, 3).data() == "Apologies"
    assert model.index(priya, SUB_COL).data() == "Aisha Bello"
    choices = model.choices(model.index(priya, SUB_COL))
    assert choices[0] == ("None", None) and choices[1][0] == "Aisha Bello (named substitute)"
    assert all(label != "Priya Raman" for label, _ in choices)  # not her own substitute


def test_agenda_drop_asks_for_the_right_position(qtbot, detail) -> None:  # noqa: ANN001
    from vrboard.ui.meetings.models import AgendaModel

    model = AgendaModel()
    model.set_rows(list(detail.items))
    n = model.rowCount()
    last, first = model.row(n - 1), model.row(0)
    cases = [(n - 1, 0, 1), (0, n, n), (0, 3, 3), (2, 0, 1), (2, 2, None), (2, 3, None)]
    for source, target_row, expected in cases:
        seen: list[tuple[int, int]] = []
        model.move_requested.connect(lambda i, p, seen=seen: seen.append((i, p)))
        data = model.mimeData([model.index(source, 1)])
        accepted = model.dropMimeData(data, Qt.DropAction.MoveAction, target_row, 0, QModelIndex())
        model.move_requested.disconnect()
        if expected is None:
            assert not accepted and seen == []  # dropped where it already is
        else:
            assert accepted and seen == [(model.row(source).id, expected)]
    assert last.id != first.id
    model.movable = False
    data = model.mimeData([model.index(0, 0)])
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled


def test_action_title_from_a_decision() -> None:
    assert action_title("The board AGREED that the case review's findings go to the "
                        "safeguarding partnership in confidence.") == (
        "The case review's findings go to the safeguarding partnership in confidence")
    assert action_title("The board AGREED to commission a youth survey.") == "Commission a youth survey"
    assert action_title("Publish the plan.") == "Publish the plan"
    long = action_title("word " * 200)
    assert len(long) <= 300 and long.endswith("…")
