"""`vrboard init` and `init --demo`: the strategy's structure, and a complete fictional board."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import func, select

from vrboard.errors import RuleViolation
from vrboard.model import (
    Action,
    ActionStatus,
    AttendanceStatus,
    AuditEntry,
    Board,
    BoardRole,
    Declaration,
    Domain,
    Indicator,
    Meeting,
    MeetingStatus,
    Plan,
    ProgressUpdate,
    Workstream,
)
from vrboard.seed import init_board, load_seed
from vrboard.services.board import board_warnings, current_members
from vrboard.services.meetings import quorum


def test_init_takes_the_strategys_structure(board_db):
    seed = load_seed()
    with board_db.session() as s:
        ws = s.scalars(select(Workstream).order_by(Workstream.position)).all()
        assert [w.code for w in ws] == [f"WS{n}" for n in range(1, 9)]
        assert ws[0].name == "Community Conversations" and ws[6].name == "Youth Panel"
        assert {p.code for p in s.scalars(select(Plan))} == {"VAWG", "KCAP", "SLAP", "BSC"}
        vawg = s.scalars(select(Plan).where(Plan.code == "VAWG")).one()
        assert "2018-21" in vawg.period and vawg.reference_prefix
        domains = s.scalars(select(Domain).order_by(Domain.position)).all()
        assert len(domains) == 6 and domains[0].name == "Universal approach"
        assert domains[-1].name == "Reducing the effects"
        board = s.scalars(select(Board)).one()
        assert board.name == seed["board"]["name"]
        assert s.scalar(select(func.count()).select_from(AuditEntry)) > 0
    with pytest.raises(RuleViolation, match="already holds a board"), board_db.transaction() as s:
        init_board(s, "sec")


def test_demo_board_members(demo_db):
    today = dt.date.today()
    with demo_db.session() as s:
        members = current_members(s, today)
        board_roles = Counter(m.role for m in members)
        voting = [m for m in members if m.voting and m.role is not BoardRole.SECRETARIAT]
        assert 6 <= len(voting) <= 10
        assert board_roles[BoardRole.CHAIR] == 1 and board_roles[BoardRole.VICE_CHAIR] == 1
        assert board_roles[BoardRole.SECRETARIAT] >= 1
        assert any(m.named_substitute_id for m in members)
        assert any("ends on" in w for w in board_warnings(s, today))


def test_demo_meetings(demo_db):
    with demo_db.session() as s:
        meetings = s.scalars(select(Meeting).order_by(Meeting.starts_at)).all()
        assert [m.status for m in meetings] == [MeetingStatus.HELD, MeetingStatus.HELD,
                                                MeetingStatus.PLANNED]
        assert meetings[2].starts_at.date() > dt.date.today()
        for m in meetings:
            part2 = [i for i in m.items if i.part == 2]
            assert part2 and all(i.exempt_paragraph in range(1, 8) for i in part2)
            assert all(p.classification.value == "OFFICIAL-SENSITIVE" for i in part2 for p in i.papers)
            assert len(m.items) >= 7
        held = meetings[:2]
        statuses = [a.status for m in held for a in m.attendance]
        assert AttendanceStatus.APOLOGIES in statuses and AttendanceStatus.ABSENT in statuses
        assert any(a.substitute_id for m in held for a in m.attendance)
        assert all(quorum(s, m).met for m in held)
        assert s.scalar(select(func.count()).select_from(Declaration)) >= 2
        assert all(any(i.minute and i.minute.decisions for i in m.items) for m in held)
        assert meetings[0].minutes_locked and not meetings[1].minutes_locked


def test_demo_actions(demo_db):
    today = dt.date.today()
    with demo_db.session() as s:
        actions = s.scalars(select(Action)).all()
        assert len(actions) >= 60
        assert {a.workstream.code for a in actions} == {f"WS{n}" for n in range(1, 9)}
        assert {p.code for a in actions for p in a.plans} == {"VAWG", "KCAP", "SLAP", "BSC"}
        assert {a.domain_id for a in actions if a.domain_id} == set(range(1, 7))
        statuses = Counter(a.status for a in actions)
        assert statuses[ActionStatus.AWAITING_SIGN_OFF] >= 3
        assert statuses[ActionStatus.SIGNED_OFF] >= 3
        assert statuses[ActionStatus.DROPPED] >= 1 and statuses[ActionStatus.NOT_STARTED] >= 1
        assert sum(a.is_overdue(today) for a in actions) >= 5
        assert sum(a.is_inconsistent(today) for a in actions) >= 2
        assert all(a.owner_id and a.due_date and a.reference for a in actions)
        per_action = Counter(u.action_id for u in s.scalars(select(ProgressUpdate)))
        assert len(per_action) >= 45 and max(per_action.values()) >= 3
        dropped = next(a for a in actions if a.status is ActionStatus.DROPPED)
        assert dropped.dropped_reason
        signed = next(a for a in actions if a.status is ActionStatus.SIGNED_OFF)
        assert signed.sign_offs and signed.sign_offs[-1].by.login == "zadeyemi"


def test_demo_indicators(demo_db):
    with demo_db.session() as s:
        indicators = s.scalars(select(Indicator)).all()
        assert 5 <= len(indicators) <= 10
        for i in indicators:
            assert i.target is not None and len(i.values) >= 4
            starts = [v.period_start for v in i.values]
            assert starts == sorted(starts) and len(set(starts)) == len(starts)
            assert all(v.period.endswith(("Q1", "Q2", "Q3", "Q4")) for v in i.values)
        assert {i.status_of(i.values[-1].value) for i in indicators} == {"met", "not met"}


def test_demo_is_repeatable_for_a_given_day(tmp_path):
    from tests.conftest import build_demo_into
    from tests.core.conftest import row_counts
    from vrboard.store import open_database

    a = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    b = open_database(f"sqlite:///{tmp_path / 'b.sqlite3'}")
    try:
        build_demo_into(a)
        build_demo_into(b)
        assert row_counts(a) == row_counts(b)
        with a.session() as sa_, b.session() as sb:
            refs = [(x.reference, x.due_date, x.status) for x in
                    sa_.scalars(select(Action).order_by(Action.reference))]
            assert refs == [(x.reference, x.due_date, x.status) for x in
                            sb.scalars(select(Action).order_by(Action.reference))]
    finally:
        a.close()
        b.close()
