"""The annual report under the Serious Violence Duty: its sections, and what the public
version leaves out (read back by text extraction)."""
from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from tests.conftest import actor
from vrboard.errors import ValidationError
from vrboard.pdf.annual_report import build_annual_report
from vrboard.services import annual_report as ar
from vrboard.services.reviews import list_reviews

HEADINGS = ("The Serious Violence Duty", "Progress by workstream", "Reviews and recommendations",
            "Community engagement", "Performance framework", "Disproportionality findings")


def _text(path) -> str:
    """The report's words in reading order, one space between them (table cells wrap)."""
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())


def _year(today) -> str:
    fy = today.year if today.month >= 4 else today.year - 1
    return f"{fy}/{(fy + 1) % 100:02d}"


def test_the_report_has_every_section(demo_db, tmp_path):
    import datetime as dt

    year = _year(dt.date.today())
    with demo_db.session() as s:
        r = build_annual_report(s, year, tmp_path / "report.pdf")
        case = next(x for x in list_reviews(s, actor(demo_db, "rkaplan")) if x.is_exempt)
    assert r.pages >= 6
    text = _text(tmp_path / "report.pdf")
    for heading in HEADINGS:
        assert heading in text, heading
    assert f"Annual report {year}" in text and "OFFICIAL-SENSITIVE" in text
    assert "Serious violence in the borough means" in text          # the local definition
    assert "Annual review of the strategy" in text
    assert "Knife crime with injury" in text and "Ethnicity: Black" in text  # values by group
    assert "Hospital admissions for assault with a knife" in text   # the Home Office template
    assert "Universal approach" in text and "Gender: Female" in text  # by domain and by tag
    assert case.title.split("(")[0].strip()[:40] in " ".join(text.split())
    assert "Community members trained" in text and "People reached" in text  # the year's figures


def test_the_public_version_leaves_out_exempt_matters(demo_db, tmp_path):
    import datetime as dt

    from sqlalchemy import select

    from vrboard.model import Action, AgendaItem
    from vrboard.services.audit import bind

    year = _year(dt.date.today())
    with demo_db.transaction() as s:  # an action raised in Part 2
        bind(s, actor(demo_db, "rkaplan"))
        item = s.scalars(select(AgendaItem).where(AgendaItem.part == 2)).first()
        s.scalars(select(Action).order_by(Action.reference)).first().raised_item_id = item.id
    with demo_db.session() as s:
        case = next(x for x in list_reviews(s, actor(demo_db, "rkaplan")) if x.is_exempt)
        texts = [rec.text for rec in case.recommendations]
        full = ar.annual_report_data(s, year)
        public = ar.annual_report_data(s, year, public=True)
        build_annual_report(s, year, tmp_path / "public.pdf", public=True)
    text = " ".join(_text(tmp_path / "public.pdf").split())
    assert "OFFICIAL-SENSITIVE" not in text and "This is the public version" in text
    for heading in HEADINGS:
        assert heading in text
    assert case.title not in text
    for t in texts:
        assert " ".join(t.split())[:50] not in text
    assert public.withheld_actions > 0
    assert sum(w.actions for w in public.workstreams) < sum(w.actions for w in full.workstreams)
    assert f"{public.withheld_actions} action(s) raised in Part 2 are not counted" in text


def test_the_year_must_be_a_financial_year_and_community_figures_count_the_year(demo_db):
    with pytest.raises(ValidationError, match="financial year"):
        ar.year_bounds("2026")
    with pytest.raises(ValidationError, match="financial year"):
        ar.year_bounds("2026/27 Q1")
    assert ar.year_bounds("2026/27")[1].isoformat() == "2027-03-31"
    from vrboard.services.community import engagement

    with demo_db.session() as s:
        everything = engagement(s)
        assert ar.community_figures(s, dt.date(1990, 4, 1), dt.date(1991, 3, 31)) is None
        wide = ar.community_figures(s, dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        assert wide is not None and wide.members_trained == everything.trained
        assert wide.people_reached == everything.people + everything.workshop_people + everything.youth_people
