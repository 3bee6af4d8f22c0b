"""The public versions: Part 2 items by number, title and exempt paragraph only, and nothing
OFFICIAL-SENSITIVE anywhere in the file: text, outline or metadata."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.conftest import actor, sit
from vrboard.demo_papers import make_paper
from vrboard.errors import RuleViolation
from vrboard.model import AgendaItem, Classification, MeetingStatus, Paper, Review
from vrboard.services import actions as act
from vrboard.services import meetings as mtg
from vrboard.services import papers as pap
from vrboard.services.pack_data import minutes_data, pack_data

from .conftest import PLANNED, Doc, outline_titles, read


def _secrets(session) -> list[str]:
    """Every piece of Part 2 / OFFICIAL-SENSITIVE content in the demo, from the database."""
    out = ["OFFICIAL-SENSITIVE"]
    for item in session.scalars(select(AgendaItem).where(AgendaItem.part == 2)):
        out.append(item.presenter)
        if item.minute:
            out.append(item.minute.discussion[:60])
            out += [d.text[:60] for d in item.minute.decisions]
    for paper in session.scalars(select(Paper).where(
            Paper.classification == Classification.OFFICIAL_SENSITIVE)):
        out += [paper.title, paper.file_name]
    for review in session.scalars(select(Review).where(
            Review.classification == Classification.OFFICIAL_SENSITIVE)):  # the case review
        out += [review.title] + [r.text[:60] for r in review.recommendations]
    assert len(out) > 8  # the demo has Part 2 items with minutes and exempt papers in each meeting
    return sorted(set(out))


def _everything(doc: Doc) -> str:
    meta = doc.reader.metadata
    outline = " ".join(t for _, t, _ in outline_titles(doc.reader))
    text = " ".join(doc.text.split())
    return " | ".join([text, outline, " ".join(str(v) for v in meta.values())])


@pytest.mark.parametrize("name", ["pack_public", "minutes1_public"])
def test_public_files_hold_nothing_sensitive(docs, demo_file_db, name) -> None:
    with demo_file_db.session() as s:
        secrets = _secrets(s)
    everything = _everything(docs[name])
    for secret in secrets:
        assert " ".join(secret.split()) not in everything, secret
    # ...while the full versions do carry them (so the test above can fail).
    full = _everything(docs["pack" if name == "pack_public" else "minutes1"])
    assert sum(" ".join(x.split()) in full for x in secrets) >= 4


def test_public_part2_items_keep_number_title_and_paragraph(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        item = s.scalars(select(AgendaItem).where(AgendaItem.part == 2,
                                                  AgendaItem.meeting_id == PLANNED)).one()
        number, title, para = item.position, item.title, item.exempt_paragraph
    text = " ".join(docs["pack_public"].text.split())
    assert f"{number} {title}" in text
    assert f"Exempt under paragraph {para} of Schedule 12A to the Local Government Act 1972" in text
    minutes = " ".join(docs["minutes1_public"].text.split())
    assert "This item was considered in private. The minute is exempt from publication." in minutes


def test_filtering_happens_in_the_data(demo_db) -> None:
    """The renderer never receives sensitive content: check the plain data itself."""
    with demo_db.session() as s:
        secrets = _secrets(s)
        for mid in (1, 2, 3):
            blob = repr(pack_data(s, mid, public=True)) + repr(minutes_data(s, mid, public=True))
            for secret in secrets:
                assert secret not in blob, (mid, secret)
            assert any(x in repr(pack_data(s, mid)) for x in secrets)


def test_actions_raised_from_part2_and_sensitive_part1_items_stay_out(demo_db, tmp_path) -> None:
    from vrboard.pdf import build_board_pack, build_minutes

    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        p2 = s.scalars(select(AgendaItem).where(AgendaItem.part == 2,
                                                AgendaItem.meeting_id == PLANNED)).one()
        ws = p2.workstream_id
        act.create_action(s, sec, title="Covert follow-up with the family liaison officer",
                          workstream_id=ws, raised_meeting_id=PLANNED, raised_item_id=p2.id,
                          due_date=dt.date.today() + dt.timedelta(days=30))
        item = mtg.add_item(s, sec, PLANNED, title="Named-case safeguarding briefing",
                            presenter="Named Officer Zeta", classification=Classification.OFFICIAL_SENSITIVE)
        pap.attach_paper_data(s, sec, item.id, "Zeta dossier", "zeta.pdf",
                              make_paper("Zeta dossier: named-case detail", 2))
    with demo_db.session() as s:
        full = read(build_board_pack(s, PLANNED, tmp_path / "full.pdf").path)
        public = read(build_board_pack(s, PLANNED, tmp_path / "public.pdf", public=True).path)
    sit(demo_db, PLANNED)  # a meeting has minutes once it has been held
    with demo_db.transaction() as s:
        mtg.update_meeting(s, sec, PLANNED, None, {"status": MeetingStatus.HELD})
    with demo_db.session() as s:
        minutes = read(build_minutes(s, PLANNED, tmp_path / "m.pdf", public=True).path)
    for text in ("Covert follow-up", "Named Officer Zeta", "Zeta dossier"):
        assert text in " ".join(full.text.split())
        assert text not in " ".join(public.text.split())
        assert text not in " ".join(minutes.text.split())
    assert "Named-case safeguarding briefing" in public.text  # the title itself is public


def test_a_wholly_sensitive_meeting_has_no_public_version(demo_db, tmp_path) -> None:
    from vrboard.pdf import build_board_pack

    with demo_db.transaction() as s:
        mtg.update_meeting(s, actor(demo_db, "rkaplan"), PLANNED, None,
                           {"classification": Classification.OFFICIAL_SENSITIVE})
    with demo_db.session() as s, pytest.raises(RuleViolation, match="no public version"):
        build_board_pack(s, PLANNED, tmp_path / "p.pdf", public=True)
    assert not (tmp_path / "p.pdf").exists()


def test_pack_on_sqlite_and_postgresql(any_url, tmp_path) -> None:
    """The gathering queries (audit timestamps, IN lists) behave alike on both databases."""
    from tests.conftest import build_demo_into
    from vrboard.pdf import build_board_pack
    from vrboard.store import open_database

    db = open_database(any_url)
    try:
        build_demo_into(db)
        with db.session() as s:
            data = pack_data(s, PLANNED)
            assert data.since is not None and data.previous is not None
            assert sum(h.moved_total for h in data.highlights) > 0
            result = build_board_pack(s, PLANNED, tmp_path / "pack.pdf", public=True)
        assert result.pages > 10
        assert "OFFICIAL-SENSITIVE" not in read(result.path).text
    finally:
        db.close()
