"""Where an action came from, as one concept: ``action_sources`` lists every source of an
action (a decision in the minutes, a review's recommendation, a theme of the community
conversations, what the youth panel raised at a session, a finding of the strategic needs
assessment), each in words a reader may see; the other way, a recommendation's, a theme's, an
ask's and a finding's ``actions`` are the actions that answer it.

Each source is stored where it belongs (the action's ``decision_id`` and the meeting and item
it was raised at; ``recommendation_action``, ``community_theme_action``, ``youth_ask_action``,
``needs_finding_action``); a new kind of source adds its link table and one reader below, and
every page, the pack and the trackers show it. Themes, asks and findings are never exempt.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import (
    Action,
    CommunityTheme,
    NeedsFinding,
    Recommendation,
    Review,
    YouthAsk,
    community_theme_action,
    needs_finding_action,
    recommendation_action,
    youth_ask_action,
)
from .access import Access, exempt_text
from .action_rows import raised_label, reader_access
from .common import uk_date
from .context import Actor, Perm, require

DECISION = "decision"
RECOMMENDATION = "recommendation"
THEME = "community_theme"
YOUTH = "youth_ask"
FINDING = "needs_finding"
KIND_LABELS = {DECISION: "Board decision", RECOMMENDATION: "Review recommendation",
               THEME: "Community conversations theme", YOUTH: "Youth panel",
               FINDING: "Needs assessment finding"}
EXEMPT_RECOMMENDATION = exempt_text(None)


@dataclass(frozen=True)
class ActionSource:
    """One place an action came from. ``ident`` is the decision's, recommendation's, theme's,
    ask's or finding's id (None for an action raised at a meeting without a recorded decision)."""

    kind: str
    ident: int | None
    where: str  # 'VRB 12/03/2026, item 5 "Youth Panel", decision 2' / 'Early Help Review, rec. 3'
    text: str  # the recommendation's text ('' for a decision: its words are in the minutes)
    exempt: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

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
    for theme in _linked(session, CommunityTheme, community_theme_action.c.theme_id,
                         community_theme_action.c.action_id, action.id):
        n = len(theme.sessions)
        out.append(ActionSource(THEME, theme.id, f"{theme.title} (raised at {n} session"
                                f"{'' if n == 1 else 's'})", ""))
    for ask in _linked(session, YouthAsk, youth_ask_action.c.ask_id, youth_ask_action.c.action_id,
                       action.id):
        out.append(ActionSource(YOUTH, ask.id, f"session of {uk_date(ask.session.held_on)}, "
                                f"{ask.session.place}", ask.raised))
    for finding in _linked(session, NeedsFinding, needs_finding_action.c.finding_id,
                           needs_finding_action.c.action_id, action.id):
        out.append(ActionSource(FINDING, finding.id, f"{finding.assessment.title}, finding "
                                f"{finding.number}", finding.text))
    return out


def _linked(session: Session, cls: Any, key: Any, action_col: Any, action_id: int) -> list[Any]:
    return list(session.scalars(select(cls).where(cls.id.in_(
        select(key).where(action_col == action_id))).order_by(cls.id)))


def recommendation_source(rec: Recommendation, entitled: bool) -> ActionSource:
    review: Review = rec.review
    if review.is_exempt and not entitled:
        return ActionSource(RECOMMENDATION, None, f"a recommendation of a {review.kind.label}",
                            EXEMPT_RECOMMENDATION, exempt=True)
    return ActionSource(RECOMMENDATION, rec.id, f"{review.title}, recommendation {rec.number}",
                        rec.text, exempt=review.is_exempt)
