"""Overdue = past the (revised) due date and not complete; overdue and green is inconsistent.
The Python properties and the SQL clauses give the same answer."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from vrboard.model import RAG, Action, ActionStatus
from vrboard.services.queries import (
    ActionFilter,
    inconsistent_clause,
    list_actions,
    overdue_clause,
    workstream_counts,
)

TODAY = dt.date(2020, 3, 31)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize("status, due, revised, overdue", [
    (ActionStatus.IN_PROGRESS, TODAY - DAY, None, True),
    (ActionStatus.NOT_STARTED, TODAY - DAY, None, True),
    (ActionStatus.IN_PROGRESS, TODAY, None, False),           # due today is not late yet
    (ActionStatus.IN_PROGRESS, TODAY + DAY, None, False),
    (ActionStatus.IN_PROGRESS, TODAY - 30 * DAY, TODAY + DAY, False),   # the revised date counts
    (ActionStatus.IN_PROGRESS, TODAY + 30 * DAY, TODAY - DAY, True),
    (ActionStatus.AWAITING_SIGN_OFF, TODAY - DAY, None, False),  # complete
    (ActionStatus.SIGNED_OFF, TODAY - DAY, None, False),
    (ActionStatus.DROPPED, TODAY - DAY, None, False),
    (ActionStatus.IN_PROGRESS, None, None, False),            # no due date: never overdue
])
def test_overdue_definition(status, due, revised, overdue):
    a = Action(reference="KC-001", status=status, due_date=due, revised_due_date=revised,
               rag=RAG.GREEN)
    assert a.is_overdue(TODAY) is overdue
    assert a.is_inconsistent(TODAY) is overdue
    for rag in (RAG.AMBER, RAG.RED):
        a.rag = rag
        assert a.is_inconsistent(TODAY) is False


def test_sql_and_python_agree_on_the_demo(demo_db):
    today = dt.date.today()
    with demo_db.session() as s:
        every = s.scalars(select(Action)).all()
        py_overdue = {a.reference for a in every if a.is_overdue(today)}
        py_bad = {a.reference for a in every if a.is_inconsistent(today)}
        sql_overdue = set(s.scalars(select(Action.reference).where(overdue_clause(today))))
        sql_bad = set(s.scalars(select(Action.reference).where(inconsistent_clause(today))))
        listed = {a.reference for a in list_actions(s, ActionFilter(overdue=True), today)}
        counted = sum(w.overdue for w in workstream_counts(s, today))
    assert py_overdue == sql_overdue == listed and len(py_overdue) == counted
    assert py_bad == sql_bad
    assert len(py_overdue) >= 5, "the demo should show some overdue actions"
    assert len(py_bad) >= 2, "the demo should show overdue actions still reported green"
    assert py_bad <= py_overdue


def test_overdue_moves_with_the_date(demo_db):
    with demo_db.session() as s:
        a = s.scalars(select(Action).where(Action.status == ActionStatus.IN_PROGRESS,
                                           Action.revised_due_date.is_(None),
                                           Action.due_date.is_not(None))).first()
        due = a.due_date
        assert a.reference in {x.reference for x in list_actions(
            s, ActionFilter(overdue=True), due + DAY)}
        assert a.reference not in {x.reference for x in list_actions(
            s, ActionFilter(overdue=True), due)}
