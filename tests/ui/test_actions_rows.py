"""The lean read queries behind the actions pages, on SQLite and PostgreSQL (they read on the
driver directly, so both drivers' value types are checked)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import build_demo_into
from vrboard.model import RAG, Action, ActionStatus
from vrboard.services import action_rows as r
from vrboard.services.context import SYSTEM
from vrboard.services.queries import workstream_counts
from vrboard.store import open_database


def test_rows_match_the_orm(any_url):  # noqa: ANN001
    db = open_database(any_url)
    try:
        build_demo_into(db)
        with db.session() as s:
            rows = {t[r.R_ID]: t for t in r.action_rows(s, SYSTEM)}
            actions = s.scalars(select(Action)).all()
            assert len(rows) == len(actions) == 61
            for a in actions:
                t = rows[a.id]
                assert t[r.R_REF] == a.reference and t[r.R_TITLE] == a.title
                assert t[r.R_WS_CODE] == a.workstream.code
                assert t[r.R_OWNER] == (a.owner.name if a.owner else "")
                assert t[r.R_DUE] == a.effective_due and isinstance(t[r.R_DUE], dt.date | None)
                assert t[r.R_STATUS] is a.status and isinstance(t[r.R_STATUS], ActionStatus)
                assert t[r.R_RAG] is a.rag and isinstance(t[r.R_RAG], RAG)
                assert t[r.R_PLANS] == ", ".join(p.code for p in a.plans)
                assert t[r.R_LATEST] == (max(u.on_date for u in a.updates) if a.updates else None)
                assert t[r.R_VERSION] == a.version and t[r.R_REVISED] == (a.revised_due_date is not None)
            plans = r.plan_counts(s)
            assert sorted(p.code for p in plans) == ["BSC", "KCAP", "SLAP", "VAWG"]
            for p in plans:
                mine = [a for a in actions if p.code in [x.code for x in a.plans]]
                assert p.total == len(mine)
                assert p.open == sum(1 for a in mine if a.status.is_open) == sum(p.by_rag.values())
                assert p.overdue == sum(1 for a in mine if a.is_overdue(dt.date.today()))
            # the same overdue rule as the workstream counts
            assert sum(w.overdue for w in workstream_counts(s)) == sum(
                1 for a in actions if a.is_overdue(dt.date.today()))
            detail = r.action_detail(s, actions[0].id, SYSTEM)
            assert detail.reference == actions[0].reference
            assert len(detail.updates) == len(actions[0].updates)
    finally:
        db.close()


def test_source_text_names_file_and_row():
    from vrboard.model import UpdateSource

    assert r.source_text(UpdateSource.SPREADSHEET, "KCAP-return.xlsx", 7) == \
        "Spreadsheet KCAP-return.xlsx, row 7"
    assert r.source_text(UpdateSource.APP, "", None) == "App"
