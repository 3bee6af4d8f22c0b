"""Issue 12's rules: the quorum as a fraction of the voting members, retiring indicators and
domains, items that need no paper, the forward plan, and a late pack asking for its reason."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from tests.conftest import actor
from vrboard.errors import RuleViolation, ValidationError
from vrboard.model import AgendaItem, AuditEntry, Domain, IssuedDocument, Meeting, MeetingStatus
from vrboard.services import domains as dom
from vrboard.services import forward_plan as fp
from vrboard.services import indicators as ind
from vrboard.services import meetings as mtg
from vrboard.services.documents import issue_pack
from vrboard.services.pack_data import _indicators
from vrboard.services.queries import pack_gaps
from vrboard.services.quorum import parse_fraction, required
from vrboard.services.standing import add_standing_items, set_terms, terms


@pytest.mark.parametrize(("text", "fraction"), [
    ("one third", "1/3"), ("1/3", "1/3"), ("half", "1/2"), ("Two-thirds", "2/3"), ("50%", "1/2"),
    ("a quarter of the voting members", "1/4"), ("", "")])
def test_fractions_in_words_and_figures(text: str, fraction: str) -> None:
    assert parse_fraction(text) == fraction


@pytest.mark.parametrize("text", ["3/2", "lots", "0", "4/3"])
def test_what_is_not_a_fraction_is_refused_in_plain_words(text: str) -> None:
    with pytest.raises(ValidationError, match="not a fraction of the voting members"):
        parse_fraction(text)


def test_a_fraction_rounds_up_and_is_never_below_one() -> None:
    assert required(3, "1/3", 8) == 3 and required(3, "1/2", 8) == 4 and required(3, "1/3", 0) == 1
    assert required(3, "", 8) == 3


def test_quorum_as_a_fraction_in_the_terms_carries_to_new_meetings(demo_db) -> None:  # noqa: ANN001
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        t = terms(s)
        set_terms(s, sec, quorum=t.quorum, notice_clear_days=5, standing=t.standing,
                  quorum_fraction="one third")
        m = mtg.create_meeting(s, sec, dt.datetime.combine(
            dt.date.today() + dt.timedelta(days=30), dt.time(10)))
        assert m.quorum_fraction == "1/3"
        q = mtg.quorum(s, m)
        voting = int(q.rule.split()[3])
        assert voting > 3 and q.required == -(-voting // 3) and "one third of" in q.rule
        assert "needed (one third of" in q.describe()
        assert terms(s).quorum_text == "one third of the voting members"


def test_retired_indicator_leaves_the_pack_but_keeps_its_values(demo_db) -> None:  # noqa: ANN001
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        i = ind.add_indicator(s, sec, code="HO1", name="Homicides, victims under 25",
                              frequency="monthly", home_office_measure=True, source="Police")
        ind.set_value(s, sec, i.id, "2019/20 Q1", 2)
        assert (i.frequency, i.home_office_measure) == ("Monthly", True)
        ind.retire_indicator(s, sec, i.id, dt.date(2026, 1, 31))
        assert "HO1" not in [r.code for r in _indicators(s)]
        assert [v.value for v in i.values] == [2]
        with pytest.raises(RuleViolation, match="HO1 was retired on 31/01/2026"):
            ind.set_value(s, sec, i.id, "2019/20 Q2", 1)
        with pytest.raises(ValidationError, match="frequency 'weekly' is not one of"):
            ind.update_indicator(s, sec, i.id, None, {"frequency": "weekly"})
        ind.reinstate_indicator(s, sec, i.id)
        assert "HO1" in [r.code for r in _indicators(s)]
        fields = {e.field for e in s.scalars(select(AuditEntry).where(
            AuditEntry.entity == "indicator", AuditEntry.entity_id == i.id))}
        assert "retired_on" in fields


def test_domains_added_renamed_retired(demo_db) -> None:  # noqa: ANN001
    from vrboard.services.actions import create_action

    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        d = dom.add_domain(s, sec, "Online harm")
        with pytest.raises(ValidationError, match="already a domain called"):
            dom.add_domain(s, sec, "online HARM")
        dom.rename_domain(s, sec, d.id, "Online harms")
        dom.retire_domain(s, sec, d.id, dt.date(2026, 2, 1))
        assert "Online harms" not in [r.name for r in dom.list_domains(s, include_retired=False)]
        ws = s.scalars(select(Domain)).first()
        assert ws is not None
        with pytest.raises(ValidationError, match="'Online harms' was retired on 01/02/2026"):
            create_action(s, sec, title="Audit online harm referrals", workstream_id=1,
                          domain_id=d.id)


def test_procedural_items_need_no_paper(demo_db) -> None:  # noqa: ANN001
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        m = mtg.create_meeting(s, sec, dt.datetime(2031, 3, 4, 10))
        items = add_standing_items(s, sec, m.id)
        gaps = pack_gaps(s, m, True)
        assert [g for g in gaps if "has no paper" in g] == [
            f"Item {items[3].position} 'Action log review' has no paper attached."]
        mtg.update_item(s, sec, items[3].id, None, {"no_paper": True})
        assert not [g for g in pack_gaps(s, m, True) if "has no paper" in g]
        extra = mtg.add_item(s, sec, m.id, title="Welcome")
        assert extra.no_paper


def test_forward_plan_items_join_the_agenda_before_aob(demo_db, tmp_path) -> None:  # noqa: ANN001
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        m = mtg.create_meeting(s, sec, dt.datetime(2031, 3, 4, 10))
        p = fp.add_planned_item(s, sec, m.id, title="Serious Violence Duty: annual review",
                                presenter="Head of Community Safety", minutes_allotted=20)
        assert [r.state for r in fp.forward_plan(s, sec)[-1].rows] == ["Planned"]
        add_standing_items(s, sec, m.id)
        placed = fp.place_planned_items(s, sec, m.id)
        titles = [i.title for i in sorted(m.items, key=lambda i: i.position)]
        assert titles[-2:] == ["Serious Violence Duty: annual review", "Any other business"]
        assert p.agenda_item_id == placed[0].id and fp.place_planned_items(s, sec, m.id) == []
        row = fp.forward_plan(s, sec)[-1].rows[-1]
        assert row.state == f"On the agenda (item {placed[0].position})"
        with pytest.raises(RuleViolation, match="already item .* change it on that agenda"):
            fp.update_planned_item(s, sec, p.id, None, {"title": "x"})
        held = s.scalars(select(Meeting).where(Meeting.status == MeetingStatus.HELD)).first()
        with pytest.raises(RuleViolation, match="is held; items are planned for meetings still"):
            fp.add_planned_item(s, sec, held.id, title="Too late")
        with pytest.raises(ValidationError, match="written as .pdf or .xlsx"):
            fp.write_forward_plan(s, sec, tmp_path / "plan.docx")
        pdf, n_meetings, n_items = fp.write_forward_plan(s, sec, tmp_path / "plan.pdf")
        xlsx, *_ = fp.write_forward_plan(s, sec, tmp_path / "plan.xlsx")
    text = "\n".join(pg.extract_text() for pg in PdfReader(pdf).pages)
    assert "Forward plan of board meetings" in text and "Serious Violence Duty" in text
    sheet = load_workbook(xlsx).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "Serious Violence Duty: annual review" in cells and n_meetings >= 1 and n_items >= 1


def test_a_late_pack_asks_for_its_reason_and_keeps_it(demo_db) -> None:  # noqa: ANN001
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        m = mtg.create_meeting(s, sec, dt.datetime.combine(dt.date.today() + dt.timedelta(days=2),
                                                           dt.time(10)))
        mtg.add_item(s, sec, m.id, title="Welcome and apologies")
        mid = m.id
    with pytest.raises(ValidationError, match=r"was due by .* issuing it now is late\. Give the "
                                               "reason"):
        with demo_db.transaction() as s:
            issue_pack(s, sec, mid, public=True)
    with demo_db.transaction() as s:
        doc = issue_pack(s, sec, mid, public=True, late_reason="Police data arrived late")
        assert doc.late_reason == "Police data arrived late"
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "issued_document",
                                                   AuditEntry.entity_id == doc.id)).one()
        assert "Police data arrived late" in (entry.new_value or "")
    with demo_db.session() as s:
        assert s.scalars(select(IssuedDocument.late_reason)).all() == ["Police data arrived late"]
        assert s.scalars(select(AgendaItem.no_paper).where(AgendaItem.meeting_id == mid)).one()


def test_forward_plan_from_the_command_line(demo_db, tmp_path, capsys) -> None:  # noqa: ANN001
    from vrboard.cli import main

    url = str(demo_db.engine.url)
    for name in ("plan.pdf", "plan.xlsx"):
        assert main(["--db", url, "forward-plan", "--out", str(tmp_path / name)]) == 0
        assert f"to {tmp_path / name}" in capsys.readouterr().out
    assert main(["--db", url, "forward-plan", "--out", str(tmp_path / "plan.csv")]) == 1
    assert "written as .pdf or .xlsx" in capsys.readouterr().err
    text = "\n".join(pg.extract_text() for pg in PdfReader(tmp_path / "plan.pdf").pages)
    assert "Youth Panel: co-designed priorities" in text  # planned in the demo, not yet placed
