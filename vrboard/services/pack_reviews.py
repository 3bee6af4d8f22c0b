"""What the board pack shows of the reviews (workstreams 2 and 3): per review, its
recommendations accepted, implemented and overdue, and each recommendation with the board's
response, its state and the actions carrying it out.

The public pack leaves out what is exempt (a review marked OFFICIAL-SENSITIVE, such as the
Homicide and Serious Violence Case Review: services/access.py, E8 and E9): it says only that an
exempt review exists. The full pack shows it and is then marked OFFICIAL-SENSITIVE.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import Recommendation, Review
from .common import uk_date
from .reviews import counts, recommendations

#: what the public pack says of an exempt review (no marking: the public pack is OFFICIAL)
WITHHELD = "Exempt: shown to board members only"


@dataclass(frozen=True)
class RecommendationRow:
    number: str
    text: str
    response: str  # "Partly accepted: <reason>"
    state: str
    due: str
    overdue: bool
    actions: str  # "WS2-004 (in progress), KC-006 (signed off)"


@dataclass(frozen=True)
class ReviewRow:
    title: str
    kind: str
    workstream: str
    status: str
    commissioned: str
    reporting: str
    report: str  # the report paper's title, or ""
    exempt: bool
    recommendations: int
    accepted: int
    implemented: int
    overdue: int
    rows: tuple[RecommendationRow, ...]
    withheld: bool = False  # public pack: an exempt review, shown by its kind only


def _rec_row(r: Recommendation, today: dt.date) -> RecommendationRow:
    response = r.response.label + (f": {r.response_reason}" if r.response_reason else "")
    state = r.state.label + (f": {r.evidence_note}" if r.evidence_note else "")
    actions = ", ".join(f"{a.reference} ({a.status.label.lower()})" for a in r.actions)
    return RecommendationRow(r.number, r.text, response, state, uk_date(r.due_date),
                             r.is_overdue(today), actions)


def review_rows(session: Session, public: bool, today: dt.date) -> tuple[ReviewRow, ...]:
    q = (select(Review).options(selectinload(Review.recommendations)
                                .selectinload(Recommendation.actions),
                                selectinload(Review.workstream), selectinload(Review.report_paper))
         .order_by(Review.commissioned_on, Review.id))
    out = []
    for review in session.scalars(q):
        if public and review.is_exempt:
            out.append(ReviewRow(review.kind.label, review.kind.label, review.workstream.code,
                                 WITHHELD, "", "", "", True, 0, 0, 0, 0, (), withheld=True))
            continue
        n = counts(review, today)
        report = review.report_paper
        out.append(ReviewRow(
            review.title, review.kind.label, f"{review.workstream.code} {review.workstream.name}",
            review.status.label, uk_date(review.commissioned_on), uk_date(review.reporting_date),
            report.title if report is not None else "", review.is_exempt, n.recommendations,
            n.accepted, n.implemented, n.overdue,
            tuple(_rec_row(r, today) for r in recommendations(review))))
    return tuple(out)
