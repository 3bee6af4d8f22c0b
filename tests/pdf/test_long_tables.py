"""Long action logs: chunked tables, the header on every page, long titles wrapped, nothing cut."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import actor
from vrboard.model import Workstream
from vrboard.services import actions as act

from .conftest import PLANNED, outline_titles, placed, read

LONG_TITLE = ("Agree with every partner agency, school, housing provider and voluntary sector "
              "organisation in the borough a single shared protocol for referring young people at "
              "risk of exploitation, with escalation routes "
              "that reach a named senior officer within twenty-four hours of the referral")


def test_chunked_table_repeats_its_header() -> None:
    from vrboard.pdf.tables import chunked_table, p

    rows = [[p(f"R-{n}"), p("x")] for n in range(250)]
    tables = chunked_table(["Ref.", "Title"], rows, [100, 300])
    assert [len(t._cellvalues) for t in tables] == [101, 101, 51]
    assert all(t.repeatRows == 1 for t in tables)


def test_a_long_action_log(demo_db, tmp_path) -> None:
    from vrboard.pdf import build_board_pack
    from vrboard.pdf.page import MARGIN_X

    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        ws = s.scalars(select(Workstream).where(Workstream.code == "WS5")).one()
        due = dt.date.today() + dt.timedelta(days=60)
        act.create_action(s, sec, title=LONG_TITLE, workstream_id=ws.id, due_date=due)
        for n in range(160):
            act.create_action(s, sec, title=f"Bulk action number {n} for the long log",
                              workstream_id=ws.id, due_date=due)
    with demo_db.session() as s:
        doc = read(build_board_pack(s, PLANNED, tmp_path / "long.pdf").path)
    entries = outline_titles(doc.reader)
    start = next(p for _, t, p in entries if t.startswith("WS5 "))
    end = next(p for _, t, p in entries if t.startswith("WS6 "))
    assert end - start >= 3, "the workstream's table runs over several pages"
    heading = next(t for _, t, _ in entries if t.startswith("WS5 "))
    for page in range(start + 1, end):  # every continuation page starts with the heading
        runs = [t for t, _, _ in placed(doc.reader.pages[page - 1])]  # "(continued)", then
        assert runs[:5] == [f"{heading} (continued)", "Ref.", "Action", "Owner", "Due"], (
            page, runs[:6])  # the header row
    log = " ".join("\n".join(doc.pages[start - 1:end]).split())
    assert LONG_TITLE in log  # wrapped inside its cell, every word kept
    for n in range(160):
        assert f"Bulk action number {n} for" in log
    for number, page in enumerate(doc.reader.pages, start=1):
        width = float(page.mediabox.width)
        for text, x, y in placed(page):
            assert MARGIN_X - 1 <= x <= width - MARGIN_X, (number, text, x)
            assert 0 < y < float(page.mediabox.height), (number, text, y)
