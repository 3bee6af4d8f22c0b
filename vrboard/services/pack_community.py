"""What the board pack shows of community engagement (WS1), the youth panel (WS7) and the
strategic needs assessment (WS4): the engagement figures (sessions, people reached, members
trained against the target of 30, Champions workshops), the conversations held, "you said, we
did" for the themes and for the youth panel, and the needs assessment's findings with the
actions answering each.

None of it is exempt (services/access.py): the public pack shows the same. Actions appear by
reference and status only (a Part 2 action's reference and status are public too), and no
trained member is named: the pack gives their number.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from . import community as cm
from . import needs as nd
from . import youth_panel as yp
from .common import uk_date
from .context import SYSTEM


@dataclass(frozen=True)
class ConversationRow:
    date: str
    place: str
    lead: str
    people: int
    groups: str


@dataclass(frozen=True)
class SaidDidRow:
    """One "you said, we did" line (a theme or a youth panel ask)."""

    said: str  # the theme, or what the young people raised
    where: str  # "4 sessions" / "12/03/2026, Lewisham Youth Hub"
    did: str  # the board's response, or "" (not yet)
    state: str
    actions: str
    quotes: tuple[str, ...] = ()  # a theme's short quotes


@dataclass(frozen=True)
class FindingRow:
    number: str
    text: str
    actions: str


@dataclass(frozen=True)
class AssessmentRow:
    title: str
    date: str
    summary: str
    findings: tuple[FindingRow, ...]


@dataclass(frozen=True)
class CommunityPack:
    figures: cm.Engagement
    workshops: tuple[str, ...]  # "12/05/2026: Professionals, 30 people, 4 hours, Laurence House"
    conversations: tuple[ConversationRow, ...]
    themes: tuple[SaidDidRow, ...]
    youth: tuple[SaidDidRow, ...]
    assessments: tuple[AssessmentRow, ...]

    @property
    def empty(self) -> bool:
        f = self.figures
        return not (f.sessions or f.trained or f.workshops or f.youth_sessions or self.assessments)


def _refs(actions: list[Any]) -> str:
    return ", ".join(f"{a.reference} ({a.status.label.lower()})" for a in actions)


def community_pack(session: Session) -> CommunityPack:
    reader = SYSTEM  # nothing here is exempt; the reader decides nothing
    themes = tuple(SaidDidRow(
        t.title, f"{len(t.sessions)} session{'' if len(t.sessions) == 1 else 's'}", t.response,
        t.state.label, _refs(t.actions), tuple(t.quote_list)) for t in cm.list_themes(session, reader))
    youth = tuple(SaidDidRow(q.raised, f"{uk_date(x.held_on)}, {x.place}", q.reply, q.state.label,
                             _refs(q.actions))
                  for x in reversed(yp.list_sessions(session, reader)) for q in x.asks)
    conversations = tuple(ConversationRow(uk_date(x.held_on), x.place, x.lead_organisation,
                                          x.participants, x.groups)
                          for x in reversed(cm.list_sessions(session, reader)))
    workshops = tuple(f"{uk_date(w.held_on)}: {w.audience.label}, {w.participants} people, "
                      f"{w.hours:g} hours" + (f", {w.place}" if w.place else "")
                      for w in cm.list_workshops(session, reader))
    assessments = tuple(AssessmentRow(a.title, uk_date(a.published_on), a.summary, tuple(
        FindingRow(f.number, f.text, _refs(f.actions)) for f in nd.findings(a)))
        for a in nd.list_assessments(session, reader))
    return CommunityPack(cm.engagement(session), workshops, conversations, themes, youth,
                         assessments)
