"""Minutes for signature: content, and the signed and unsigned states."""
from __future__ import annotations

from sqlalchemy import select

from tests.conftest import actor, sit
from vrboard.model import Action, Meeting
from vrboard.services import meetings as mtg

from .conftest import HELD_SIGNED, HELD_UNSIGNED, PLANNED, read


def _flat(doc) -> str:
    return " ".join(doc.text.split())


def test_minutes_content(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        m = s.get(Meeting, HELD_SIGNED)
        decisions = [d.text for i in m.items if i.minute for d in i.minute.decisions]
        raised = [a.reference for a in s.scalars(select(Action).where(
            Action.raised_meeting_id == HELD_SIGNED))]
        titles = [f"{i.title} (agenda item {i.position})" for i in m.items]
    text = _flat(docs["minutes1"])
    assert "Minutes of the meeting held on" in text and "Attendance" in text
    assert "Cllr Zoë Adeyemi" in text and "Cllr Łukasz Nowak" in text and "Nguyễn Thị Mai" in text
    assert "Declarations of interest" in text and "Cllr Grace Okafor" in text
    for t in titles:
        assert t in text, t
    for d in decisions:
        assert d in text, d
    for ref in raised:
        assert ref in text, ref
    # Part 2 is taken last, after the public leave: Part 1 never resumes after it.
    assert "Part 2: exempt items" in text and "Part 1 (resumed)" not in text


def test_signed_minutes_show_who_signed_and_when(docs, demo_file_db) -> None:
    with demo_file_db.session() as s:
        m = s.get(Meeting, HELD_SIGNED)
        at = m.minutes_signed_at.astimezone()
        approved = m.minutes_approved_at.starts_at
    text = _flat(docs["minutes1"])
    assert "Signed as a correct record" in text and "Chair: Cllr Zoë Adeyemi" in text
    assert f"Signed in vrboard on {at:%d/%m/%Y} at {at:%H:%M}, at the meeting of {approved:%d/%m/%Y}" in text
    assert "Status: Signed" in text
    assert "Not yet signed" not in text


def test_unsigned_minutes_carry_a_signature_block(docs) -> None:
    text = _flat(docs["minutes2"])
    assert "Draft minutes for approval as a correct record at the next meeting. Not yet signed." in text
    assert "Status: Draft, for approval" in text
    assert "Signed as a correct record" not in text
    last = docs["minutes2"].pages[-1]
    assert "Chair" in last and "Date" in last


def test_signing_in_vrboard_changes_the_pdf(demo_db, tmp_path) -> None:
    from vrboard.pdf import build_minutes

    with demo_db.session() as s:
        before = read(build_minutes(s, HELD_UNSIGNED, tmp_path / "before.pdf").path)
    assert "Not yet signed" in before.text
    sit(demo_db, PLANNED)
    with demo_db.transaction() as s:
        mtg.approve_minutes(s, actor(demo_db, "zadeyemi"), HELD_UNSIGNED, PLANNED)
    with demo_db.session() as s:
        after = read(build_minutes(s, HELD_UNSIGNED, tmp_path / "after.pdf").path)
        at = s.get(Meeting, HELD_UNSIGNED).minutes_signed_at.astimezone()
    text = _flat(after)
    assert "Signed as a correct record" in text and "Chair: Cllr Zoë Adeyemi" in text
    assert f"Signed in vrboard on {at:%d/%m/%Y}" in text
    assert "Not yet signed" not in text


def test_public_minutes_are_signed_too(docs) -> None:
    text = _flat(docs["minutes1_public"])
    assert "Signed as a correct record" in text and "Public version." in text
