"""The public documents and the markings, read back from the PDFs (pypdf text extraction and
the document information): a declaration on a Part 2 item is published as who and which item
number, nothing more; every document is marked with the highest marking of what it holds,
on its cover, on every page and in its metadata."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.conftest import actor
from tests.need_to_know import HELD_UNSIGNED, MARK, PLANNED, add_exempt_material
from tests.pdf.conftest import read
from vrboard.model import AgendaItem
from vrboard.pdf import build_board_pack, build_minutes
from vrboard.services import meetings as mtg
from vrboard.services.pack_data import WITHHELD_DECLARATION

OS, OFFICIAL = "OFFICIAL-SENSITIVE", "OFFICIAL"
NATURE, DISPENSATION = "Knows the family in case", "Left the room for the"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_public_minutes_and_pack_name_the_declarant_and_item_number_only(demo_db, tmp_path):  # noqa: ANN001
    x = add_exempt_material(demo_db)
    with demo_db.session() as s:
        full = read(build_minutes(s, HELD_UNSIGNED, tmp_path / "full.pdf").path)
        public = read(build_minutes(s, HELD_UNSIGNED, tmp_path / "public.pdf", public=True).path)
        pack = read(build_board_pack(s, PLANNED, tmp_path / "pack.pdf", public=True).path)
    assert NATURE in _flat(full.text) and DISPENSATION in _flat(full.text)
    for doc in (public, pack):  # the pack carries meeting 2's public minutes as "previous"
        text = _flat(doc.text)
        assert x.declarant in text and f"Item {x.item_position}" in text
        assert _flat(WITHHELD_DECLARATION) in text
        assert NATURE not in text and DISPENSATION not in text and MARK not in text
        line = next(ln for ln in doc.text.splitlines() if f"Item {x.item_position}" in ln
                    and "declared" not in ln.lower() or ln.strip() == f"Item {x.item_position}")
        assert "registrable" not in line.lower()  # no type of interest either
        _marked(doc, OFFICIAL, cover=doc is pack)  # what a public document holds is OFFICIAL
    # the declaration on a Part 1 item is published in full, as before
    assert "Close family member employed by a housing association" in _flat(public.text)


def _marked(doc, marking: str, cover: bool = True) -> None:  # noqa: ANN001
    """Every page carries the marking (top and bottom), the cover (a pack's) says it, and so
    does the metadata."""
    for n, page in enumerate(doc.pages, start=1):
        lines = [ln.strip() for ln in page.splitlines()]
        assert lines.count(marking) >= 2, f"page {n} of {doc.path.name} is not marked {marking}"
        if marking == OFFICIAL:  # (a sensitive pack's papers list may name OFFICIAL papers)
            assert OS not in page, f"page {n} of {doc.path.name} says {OS}"
    if cover:
        assert f"Security classification: {marking}" in _flat(doc.pages[0])
    meta = doc.reader.metadata
    assert meta.subject.endswith(f"classification {marking}")
    assert meta["/Keywords"].endswith(marking)


def _drop_own_part2(db) -> None:  # noqa: ANN001
    """Meeting 3 (planned) without its Part 2 item: its own items are all OFFICIAL."""
    with db.transaction() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == PLANNED,
                                                  AgendaItem.part == 2)).one()
        mtg.delete_item(s, actor(db, "rkaplan"), item.id)


def test_a_pack_carrying_the_previous_part2_minutes_is_official_sensitive(demo_db, tmp_path):  # noqa: ANN001
    _drop_own_part2(demo_db)
    with demo_db.session() as s:
        full = read(build_board_pack(s, PLANNED, tmp_path / "full.pdf").path)
        public = read(build_board_pack(s, PLANNED, tmp_path / "public.pdf", public=True).path)
    assert "missed opportunities" in _flat(full.text)  # meeting 2's Part 2 minute, as previous
    _marked(full, OS)
    assert "Includes exempt information (Part 2)" in _flat(full.pages[0])
    assert "missed opportunities" not in _flat(public.text)
    _marked(public, OFFICIAL)


def test_actions_raised_from_part2_mark_the_pack(demo_db, tmp_path):  # noqa: ANN001
    from vrboard.model import Classification
    from vrboard.services import reviews

    _drop_own_part2(demo_db)
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:  # the demo's case review (exempt) would mark every full pack
        for r in reviews.list_reviews(s, sec):
            if r.is_exempt:
                reviews.update_review(s, sec, r.id, r.version, classification=Classification.OFFICIAL)
    with demo_db.transaction() as s:
        later = mtg.create_meeting(s, sec, dt.datetime.combine(dt.date.today() + dt.timedelta(days=60),
                                                               dt.time(14)), venue="Committee Room 1")
        mtg.add_item(s, sec, later.id, title="Action log review", presenter="Board Secretary")
        later_id = later.id
    with demo_db.session() as s:  # previous (meeting 3) and its own items are OFFICIAL
        _marked(read(build_board_pack(s, later_id, tmp_path / "before.pdf").path), OFFICIAL)
    add_exempt_material(demo_db)  # adds actions raised from meeting 2's Part 2 decision
    with demo_db.session() as s:
        after = read(build_board_pack(s, later_id, tmp_path / "after.pdf").path)
        public = read(build_board_pack(s, later_id, tmp_path / "public.pdf", public=True).path)
    assert MARK in _flat(after.text)
    _marked(after, OS)
    assert MARK not in _flat(public.text)
    _marked(public, OFFICIAL)


def test_minutes_are_marked_by_their_content(demo_db, tmp_path):  # noqa: ANN001
    with demo_db.session() as s:
        _marked(read(build_minutes(s, HELD_UNSIGNED, tmp_path / "m.pdf").path), OS, cover=False)
        public = build_minutes(s, HELD_UNSIGNED, tmp_path / "p.pdf", public=True)
        _marked(read(public.path), OFFICIAL, cover=False)
