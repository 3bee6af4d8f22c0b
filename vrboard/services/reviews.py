"""Reviews of services and the Homicide and Serious Violence Case Review (workstreams 2 and
3): commissioning and reporting a review, its recommendations, the board's response to each,
the actions that carry a recommendation out, and its state.

Rules:
- Only the secretariat and the chair change reviews and recommendations (``EDIT_REVIEWS``);
  everyone reads those they may see. An owner progresses the actions; the state of the
  recommendation is recorded by the secretariat from them.
- A response other than "accepted" (partly accepted, not accepted) needs its reason.
- Only a recommendation the board accepted (in whole or in part) is carried out: it alone is
  linked to actions and marked implemented.
- "Implemented" needs at least one linked action, every one complete (awaiting sign-off) or
  signed off. "Evidenced" needs that too, and the evidence note.
- A review marked OFFICIAL-SENSITIVE (a case review, by default) is exempt: it and its
  recommendations are shown only to those entitled (services/access.py, E8 and E9).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import ConflictError, NotFound, RuleViolation, ValidationError
from ..model import (
    Action,
    Classification,
    Paper,
    Recommendation,
    RecommendationState,
    Response,
    Review,
    ReviewKind,
    ReviewStatus,
    Workstream,
)
from ..model.reviews import number_key
from . import common as c
from .access import access_for
from .audit import bind
from .context import Actor, Perm, require
from .links import find_action

REVIEW_FIELDS = {"title", "kind", "workstream", "summary", "commissioned_on", "reporting_date",
                 "status", "classification", "report_paper_id"}
RECOMMENDATION_FIELDS = {"number", "text", "due_date"}
EXEMPT_REVIEW = ("This review is exempt (OFFICIAL-SENSITIVE): it is shown only to board members, "
                 "the chair and the secretariat.")


# --- reading ----------------------------------------------------------------------------------

def list_reviews(session: Session, actor: Actor) -> list[Review]:
    """The reviews ``actor`` may see (an exempt one only to the entitled), recommendations and
    their actions loaded, newest commission first."""
    require(actor, Perm.READ)
    q = (select(Review).options(selectinload(Review.recommendations)
                                .selectinload(Recommendation.actions), selectinload(Review.workstream))
         .order_by(Review.commissioned_on.desc(), Review.id))
    if not access_for(session, actor).entitled:
        q = q.where(Review.classification != Classification.OFFICIAL_SENSITIVE)
    return list(session.scalars(q))


def get_review(session: Session, actor: Actor, review_id: int) -> Review:
    require(actor, Perm.READ)
    review = c.get(session, Review, review_id, "review")
    if review.is_exempt and not access_for(session, actor).entitled:
        raise NotFound(f"There is no review with id {review_id} that you may see. " + EXEMPT_REVIEW)
    return review


def get_recommendation(session: Session, actor: Actor, rec_id: int) -> Recommendation:
    require(actor, Perm.READ)
    rec = c.get(session, Recommendation, rec_id, "recommendation")
    if rec.review.is_exempt and not access_for(session, actor).entitled:
        raise NotFound(f"There is no recommendation with id {rec_id} that you may see. "
                       + EXEMPT_REVIEW)
    return rec


def recommendations(review: Review) -> list[Recommendation]:
    """A review's recommendations in the order of their numbers (2 before 10)."""
    return sorted(review.recommendations, key=lambda r: number_key(r.number))


# --- reviews ----------------------------------------------------------------------------------

def _workstream(session: Session, value: Any) -> Workstream:
    if isinstance(value, int) and not isinstance(value, bool):
        return c.get(session, Workstream, value, "workstream")
    code = str(value or "").strip().upper()
    ws = session.scalars(select(Workstream).where(Workstream.code == code)).first()
    if ws is None:
        known = ", ".join(session.scalars(select(Workstream.code).order_by(Workstream.position)))
        raise ValidationError(f"Workstream '{value}' is not known; the workstreams are {known}.",
                              "workstream")
    return ws


def _review_values(session: Session, fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - REVIEW_FIELDS
    if unknown:
        raise ValidationError(f"Unknown review field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "title":
            out[key] = c.text(value, "review title", required=True)
        elif key == "summary":
            out[key] = c.text(value, "summary", max_len=20000)
        elif key == "kind":
            out[key] = c.choice(ReviewKind, value, "kind of review")
        elif key == "status":
            out[key] = c.choice(ReviewStatus, value, "review status")
        elif key == "classification":
            out[key] = c.choice(Classification, value, "classification")
        elif key == "workstream":
            out["workstream_id"] = _workstream(session, value).id
        elif key in ("commissioned_on", "reporting_date"):
            out[key] = c.date_or_none(value, key.replace("_", " ").replace(" on", " date"))
        elif key == "report_paper_id":
            out[key] = None if value is None else c.get(session, Paper, value, "paper").id
    return out


def _check_dates(review: Review) -> None:
    if review.commissioned_on and review.reporting_date and \
            review.reporting_date < review.commissioned_on:
        raise ValidationError(
            f"The reporting date ({c.uk_date(review.reporting_date)}) is before the review was "
            f"commissioned ({c.uk_date(review.commissioned_on)}).", "reporting_date")


def add_review(session: Session, actor: Actor, **fields: Any) -> Review:
    """A new review. A Homicide and Serious Violence Case Review is OFFICIAL-SENSITIVE unless
    a classification is given."""
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    if not str(fields.get("title") or "").strip():
        raise ValidationError("Review title is required.", "title")
    if fields.get("workstream") in (None, ""):
        raise ValidationError("A review needs a workstream (WS2 for a review of services, WS3 for "
                              "a case review).", "workstream")
    values = _review_values(session, fields)
    kind = values.setdefault("kind", ReviewKind.SERVICE_REVIEW)
    values.setdefault("classification", Classification.OFFICIAL_SENSITIVE
                      if kind is ReviewKind.CASE_REVIEW else Classification.OFFICIAL)
    review = Review(**values)
    _check_dates(review)
    session.add(review)
    c.flush(session, review)
    return review


def update_review(session: Session, actor: Actor, review_id: int, version: int | None = None,
                  **fields: Any) -> Review:
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    review = c.get(session, Review, review_id, "review")
    c.check_version(review, version)
    values = _review_values(session, fields)
    with c.revert_on_error(session, review):
        for key, value in values.items():
            setattr(review, key, value)
        _check_dates(review)
    c.flush(session, review)
    return review


# --- recommendations --------------------------------------------------------------------------

def _number(value: Any) -> str:
    return c.text(value, "recommendation number", required=True, max_len=20)


def _unique_number(session: Session, review: Review, number: str, rec_id: int | None) -> None:
    for other in review.recommendations:
        if other.number.lower() == number.lower() and other.id != rec_id:
            raise ValidationError(f"{review.title} already has a recommendation {other.number}.",
                                  "number")


def add_recommendation(session: Session, actor: Actor, review_id: int, number: Any, text: Any,
                       due_date: Any = None) -> Recommendation:
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    review = c.get(session, Review, review_id, "review")
    num = _number(number)
    _unique_number(session, review, num, None)
    rec = Recommendation(number=num, text=c.text(text, "recommendation text", required=True,
                                                  max_len=20000),
                         due_date=c.date_or_none(due_date, "due date"))
    review.recommendations.append(rec)
    c.flush(session, rec)
    return rec


def update_recommendation(session: Session, actor: Actor, rec_id: int, version: int | None = None,
                          **fields: Any) -> Recommendation:
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    rec = _editable(session, rec_id, version)
    unknown = set(fields) - RECOMMENDATION_FIELDS
    if unknown:
        raise ValidationError(f"Unknown recommendation field(s): {', '.join(sorted(unknown))}.")
    if "number" in fields:
        num = _number(fields["number"])
        _unique_number(session, rec.review, num, rec.id)
        rec.number = num
    if "text" in fields:
        rec.text = c.text(fields["text"], "recommendation text", required=True, max_len=20000)
    if "due_date" in fields:
        rec.due_date = c.date_or_none(fields["due_date"], "due date")
    c.flush(session, rec)
    return rec


def _editable(session: Session, rec_id: int, version: int | None) -> Recommendation:
    rec = c.get(session, Recommendation, rec_id, "recommendation")
    c.check_version(rec, version)
    return rec


def respond(session: Session, actor: Actor, rec_id: int, response: Any, reason: Any = "",
            version: int | None = None) -> Recommendation:
    """Record the board's response. Partly accepted and not accepted need the reason; a
    recommendation not accepted cannot keep actions or a state other than open."""
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    rec = _editable(session, rec_id, version)
    answer = c.choice(Response, response, "response")
    why = c.text(reason, "reason", max_len=20000)
    if answer.needs_reason and not why:
        raise ValidationError(
            f"Recommendation {rec.number}: a response of '{answer.label.lower()}' needs the "
            "reason (the board's reason for not accepting it in full).", "response_reason")
    if not answer.is_accepted and (rec.actions or rec.state is not RecommendationState.OPEN):
        raise RuleViolation(
            f"Recommendation {rec.number} is {rec.state.label.lower()} with "
            f"{len(rec.actions)} linked action(s); set it back to open and unlink its actions "
            f"before recording '{answer.label.lower()}'.")
    rec.response = answer
    rec.response_reason = why if answer is not Response.AWAITING else ""
    c.flush(session, rec)
    return rec


def incomplete_actions(rec: Recommendation) -> list[Action]:
    return [a for a in rec.actions if not a.status.is_complete]


def set_state(session: Session, actor: Actor, rec_id: int, state: Any, evidence_note: Any = None,
              version: int | None = None) -> Recommendation:
    """Open, implemented (every linked action complete or signed off) or evidenced (that, and
    the evidence note)."""
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    rec = _editable(session, rec_id, version)
    new = c.choice(RecommendationState, state, "state")
    note = rec.evidence_note if evidence_note is None else c.text(evidence_note, "evidence note",
                                                                   max_len=20000)
    if new is not RecommendationState.OPEN:
        if not rec.response.is_accepted:
            raise RuleViolation(
                f"Recommendation {rec.number} is {rec.response.label.lower()}: only a "
                "recommendation the board accepted (in whole or in part) is implemented.")
        if not rec.actions:
            raise RuleViolation(
                f"Recommendation {rec.number} has no linked actions: link the actions that carry "
                f"it out before marking it {new.label.lower()}.")
        waiting = incomplete_actions(rec)
        if waiting:
            listed = ", ".join(f"{a.reference} ({a.status.label.lower()})" for a in waiting)
            raise RuleViolation(
                f"Recommendation {rec.number} cannot be {new.label.lower()}: every linked action "
                f"must be complete or signed off, and {listed} is not.")
    if new is RecommendationState.EVIDENCED and not note:
        raise ValidationError(
            f"Recommendation {rec.number}: the evidence note is required to mark it evidenced "
            "(what shows the change has happened).", "evidence_note")
    rec.state = new
    rec.evidence_note = note
    c.flush(session, rec)
    return rec


def link_action(session: Session, actor: Actor, rec_id: int, action: int | str,
                version: int | None = None) -> Recommendation:
    """Record that ``action`` (id or reference) carries out the recommendation."""
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    rec = _editable(session, rec_id, version)
    act = find_action(session, action)
    if rec.response is Response.NOT_ACCEPTED:
        raise RuleViolation(f"The board did not accept recommendation {rec.number}, so no action "
                            "carries it out.")
    if act in rec.actions:
        raise ValidationError(f"{act.reference} is already linked to recommendation {rec.number}.",
                              "action")
    if rec.state is not RecommendationState.OPEN and not act.status.is_complete:
        raise RuleViolation(
            f"Recommendation {rec.number} is {rec.state.label.lower()}, and {act.reference} is "
            f"{act.status.label.lower()}: set the recommendation back to open first.")
    rec.actions.append(act)
    _touch(session, rec)
    return rec


def unlink_action(session: Session, actor: Actor, rec_id: int, action: int | str,
                  version: int | None = None) -> Recommendation:
    bind(session, actor)
    require(actor, Perm.EDIT_REVIEWS)
    rec = _editable(session, rec_id, version)
    act = find_action(session, action)
    if act not in rec.actions:
        raise ValidationError(f"{act.reference} is not linked to recommendation {rec.number}.",
                              "action")
    if rec.state is not RecommendationState.OPEN and len(rec.actions) == 1:
        raise RuleViolation(f"Recommendation {rec.number} is {rec.state.label.lower()}: it keeps "
                            "at least one action; set it back to open first.")
    rec.actions.remove(act)
    _touch(session, rec)
    return rec


def _touch(session: Session, rec: Recommendation) -> None:
    """Flush a change of links (audited as the recommendation's ``actions``). Links alone
    leave the row's columns as they were, so its version is bumped here, checked like any
    other save: a second person's stale copy is then refused."""
    old = rec.version
    c.flush(session, rec)
    done = session.execute(update(Recommendation).where(Recommendation.id == rec.id,
                                                        Recommendation.version == old)
                           .values(version=old + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"Recommendation {rec.number} was changed by someone else while you "
                            "were saving. Reload it to see their change; nothing was overwritten.",
                            "recommendation", rec.id)
    set_committed_value(rec, "version", old + 1)


@dataclass(frozen=True)
class ReviewCounts:
    """What the pack shows per review."""

    recommendations: int
    accepted: int  # in whole or in part
    not_accepted: int
    awaiting: int
    implemented: int  # implemented or evidenced
    evidenced: int
    overdue: int


def counts(review: Review, today: dt.date) -> ReviewCounts:
    recs = review.recommendations
    done = (RecommendationState.IMPLEMENTED, RecommendationState.EVIDENCED)
    return ReviewCounts(
        len(recs), sum(r.response.is_accepted for r in recs),
        sum(r.response is Response.NOT_ACCEPTED for r in recs),
        sum(r.response is Response.AWAITING for r in recs),
        sum(r.state in done for r in recs),
        sum(r.state is RecommendationState.EVIDENCED for r in recs),
        sum(r.is_overdue(today) for r in recs))
