"""The pack's reviews section, by text extraction: per review its recommendations accepted,
implemented and overdue, each recommendation's response, state and actions; the public pack
leaves out what an exempt case review holds."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from vrboard.model import Review
from vrboard.services.reviews import counts, recommendations

from .conftest import outline_titles


def _section(doc) -> str:
    entries = outline_titles(doc.reader)
    top = [(t, p) for level, t, p in entries if level == 0]
    names = [t for t, _ in top]
    start = dict(top)["Reviews and recommendations"]
    end = dict(top)[names[names.index("Reviews and recommendations") + 1]]
    return " ".join("\n".join(doc.pages[start - 1:end]).split())


def test_every_review_with_its_counts_and_recommendations(docs, demo_file_db) -> None:
    text = _section(docs["pack"])
    today = dt.date.today()
    with demo_file_db.session() as s:
        reviews = s.scalars(select(Review)).all()
        assert len(reviews) >= 3
        for r in reviews:
            n = counts(r, today)
            assert r.title in text
            assert (f"{n.recommendations}: {n.accepted} accepted (in whole or in part), "
                    f"{n.implemented} implemented, {n.overdue} overdue") in text, r.title
            for rec in recommendations(r):
                assert " ".join(rec.text.split()[:5]) in text, rec.text
                for a in rec.actions:
                    assert a.reference in text
    assert "OVERDUE" in text
    assert "Partly accepted: Accepted for referrals from schools and the police" in text
    assert "Not accepted: The medium-term financial plan" in text
    assert "No recommendations yet: the review has not reported." in text  # YOS, in progress
    children = [t for level, t, _ in outline_titles(docs["pack"].reader) if level == 1]
    assert "Early Help Review" in children


def test_the_public_pack_withholds_the_case_review(docs, demo_file_db) -> None:
    text = _section(docs["pack_public"])
    with demo_file_db.session() as s:
        case = s.scalars(select(Review).where(Review.kind == "case_review")).one()
        secret = [r.text for r in case.recommendations]
        title = case.title
    assert "Early Help Review" in text and "Review of school exclusions" in text
    assert title not in text
    for rec in secret:
        assert " ".join(rec.split()[:6]) not in docs["pack_public"].text
    assert re.search(r"Homicide and Serious Violence Case Review \(WS3\)\. Exempt: shown to board "
                     r"members only; its recommendations are in the full pack", text)
    full = _section(docs["pack"])
    assert title in full and "(OFFICIAL-SENSITIVE)" in full
