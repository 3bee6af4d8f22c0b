"""Where an action came from, as one concept: ``action_sources`` lists every source of an
action (a decision in the minutes, a review's recommendation), each in words a reader may see;
the other way, a recommendation's ``actions`` are the actions that carry it out.

Each source is stored where it belongs (the action's ``decision_id`` and the meeting and item
it was raised at; ``recommendation_action``); a new kind of source (a theme of the community
conversations, a youth panel session, a finding of the strategic needs assessment) adds its
link table and one reader below, and every page, the pack and the trackers show it.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import Action, Recommendation, Review, recommendation_action
from .access import Access, exempt_text
from .action_rows import raised_label, reader_access
from .context import Actor, Perm, require

DECISION = "decision"
RECOMMENDATION = "recommendation"
EXEMPT_RECOMMENDATION = exempt_text(None)


@dataclass(frozen=True)
class ActionSource:
    """One place an action came from. ``ident`` is the decision's or the recommendation's id
    (None for an action raised at a meeting without a recorded decision)."""

    kind: str
    ident: int | None
    where: str  # 'VRB 12/03/2026, item 5 "Youth Panel", decision 2' / 'Early Help Review, rec. 3'
    text: str  # the recommendation's text ('' for a decision: its words are in the minutes)
    exempt: bool = False

    @property
    def kind_label(self) -> str:
        return {DECISION: "Board decision", RECOMMENDATION: "Review recommendation"}[self.kind]

    def describe(self) -> str:
        return f"{self.kind_label}: {self.where}" + (f" ({self.text})" if self.text else "")


def action_sources(session: Session, reader: Actor | Access, action: Action) -> list[ActionSource]:
    """Every source of ``action``; what an exempt source holds is replaced by the exempt notice
    for a reader not entitled to it."""
    access = reader_access(session, reader)
    require(access.actor, Perm.READ)
    out: list[ActionSource] = []
    raised = raised_label(session, action.raised_meeting_id, action.raised_item_id,
                          action.decision_id, access)
    if raised:
        out.append(ActionSource(DECISION, action.decision_id, raised, ""))
    recs = session.scalars(
        select(Recommendation).join(recommendation_action)
        .where(recommendation_action.c.action_id == action.id)
        .options(selectinload(Recommendation.review)).order_by(Recommendation.id)).all()
    for rec in recs:
        out.append(recommendation_source(rec, access.entitled))
    return out


def recommendation_source(rec: Recommendation, entitled: bool) -> ActionSource:
    review: Review = rec.review
    if review.is_exempt and not entitled:
        return ActionSource(RECOMMENDATION, None, f"a recommendation of a {review.kind.label}",
                            EXEMPT_RECOMMENDATION, exempt=True)
    return ActionSource(RECOMMENDATION, rec.id, f"{review.title}, recommendation {rec.number}",
                        rec.text, exempt=review.is_exempt)
