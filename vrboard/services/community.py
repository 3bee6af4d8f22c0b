"""Community Conversations (workstream 1): the sessions, the pool of community members trained
in the conversation method (target 30), the themes collated from the sessions with what the
board did about each ("you said, we did"), and the Community Champions workshops.

Rules:
- Only the secretariat and the chair change these records (``EDIT_COMMUNITY``); everyone reads
  them (none is exempt).
- A session or workshop is recorded once it has been held (its date is not in the future); it
  names its place (or ward) and lead organisation; participants are a whole number.
- A Community Champions workshop has up to 30 participants and runs about four hours (more
  than 0, at most 8).
- A trained member needs a name, who trained them and when (nothing more is kept).
- A theme is collated from the sessions: it names at least one session that raised it, and
  keeps it. Its quotes are short (200 characters each). It is marked done only with what the
  board did ("we did").
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import RuleViolation, ValidationError
from ..model import (
    TRAINED_TARGET,
    WORKSHOP_MAX,
    ChampionsWorkshop,
    CommunitySession,
    CommunityTheme,
    FeedbackState,
    TrainedMember,
    WorkshopAudience,
    YouthSession,
)
from . import common as c
from . import links as lk
from .audit import bind
from .context import Actor, Perm, require

SESSION_FIELDS = {"held_on", "place", "lead_organisation", "facilitators", "participants", "groups",
                  "notes"}
WORKSHOP_FIELDS = {"held_on", "audience", "place", "hours", "participants"}


def _write(session: Session, actor: Actor) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_COMMUNITY)


# --- sessions ---------------------------------------------------------------------------------

def list_sessions(session: Session, actor: Actor) -> list[CommunitySession]:
    require(actor, Perm.READ)
    return list(session.scalars(select(CommunitySession)
                                .order_by(CommunitySession.held_on.desc(), CommunitySession.id)))


def _session_values(fields: dict[str, Any], today: dt.date | None) -> dict[str, Any]:
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValidationError(f"Unknown session field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "held_on":
            out[key] = lk.held_date(value, "session date", today)
        elif key in ("place", "lead_organisation"):
            out[key] = c.text(value, "place or ward" if key == "place" else "lead organisation",
                              required=True, max_len=200)
        elif key == "participants":
            out[key] = lk.whole(value, "number of participants")
        else:
            out[key] = c.text(value, key, max_len=20000)
    return out


def add_session(session: Session, actor: Actor, today: dt.date | None = None,
                **fields: Any) -> CommunitySession:
    """A community conversation: date, place or ward, lead organisation, facilitators, number of
    participants and who they were in broad groups, notes of what was said."""
    _write(session, actor)
    for key, what in (("held_on", "Session date"), ("place", "Place or ward"),
                      ("lead_organisation", "Lead organisation")):
        if fields.get(key) in (None, ""):
            raise ValidationError(f"{what} is required.", key)
    row = CommunitySession(**_session_values(fields, today))
    session.add(row)
    c.flush(session, row)
    return row


def update_session(session: Session, actor: Actor, session_id: int, version: int | None = None,
                   today: dt.date | None = None, **fields: Any) -> CommunitySession:
    _write(session, actor)
    row = c.get(session, CommunitySession, session_id, "community conversation")
    c.check_version(row, version)
    for key, value in _session_values(fields, today).items():
        setattr(row, key, value)
    c.flush(session, row)
    return row


# --- trained members --------------------------------------------------------------------------

def list_members(session: Session, actor: Actor) -> list[TrainedMember]:
    require(actor, Perm.READ)
    return list(session.scalars(select(TrainedMember)
                                .order_by(TrainedMember.trained_on, TrainedMember.name)))


def add_member(session: Session, actor: Actor, name: Any, trained_by: Any, trained_on: Any,
               today: dt.date | None = None) -> TrainedMember:
    """A community member trained in the conversation method."""
    _write(session, actor)
    who = c.text(name, "name", required=True, max_len=200)
    by = c.text(trained_by, "trained by", required=True, max_len=200)
    on = lk.held_date(trained_on, "training date", today)
    if session.scalar(select(TrainedMember.id).where(TrainedMember.name == who,
                                                     TrainedMember.trained_on == on)):
        raise ValidationError(f"{who} is already recorded as trained on {c.uk_date(on)}.", "name")
    row = TrainedMember(name=who, trained_by=by, trained_on=on)
    session.add(row)
    c.flush(session, row)
    return row


def remove_member(session: Session, actor: Actor, member_id: int) -> None:
    """Take a member off the pool (they left, or asked to be removed)."""
    _write(session, actor)
    row = c.get(session, TrainedMember, member_id, "trained member")
    session.delete(row)
    c.flush(session, row)


# --- themes -----------------------------------------------------------------------------------

def list_themes(session: Session, actor: Actor) -> list[CommunityTheme]:
    """The themes, the one raised by most sessions first."""
    require(actor, Perm.READ)
    themes = session.scalars(select(CommunityTheme).options(
        selectinload(CommunityTheme.sessions), selectinload(CommunityTheme.actions))).all()
    return sorted(themes, key=lambda t: (-len(t.sessions), t.title.lower()))


def _sessions(session: Session, ids: Any) -> list[CommunitySession]:
    return [c.get(session, CommunitySession, int(i), "community conversation") for i in ids]


def _unique_title(session: Session, title: str, theme_id: int | None) -> None:
    other = session.scalar(select(CommunityTheme).where(
        func.lower(CommunityTheme.title) == title.lower()))
    if other is not None and other.id != theme_id:
        raise ValidationError(f"There is already a theme '{other.title}'.", "title")


def add_theme(session: Session, actor: Actor, title: Any, sessions: Any, quotes: Any = "") -> CommunityTheme:
    """A theme collated from ``sessions`` (their ids: at least one), with short quotes."""
    _write(session, actor)
    name = c.text(title, "theme", required=True)
    raised = _sessions(session, sessions or ())
    if not raised:
        raise ValidationError(f"Theme '{name}': name at least one session that raised it (a theme "
                              "is collated from the sessions).", "sessions")
    _unique_title(session, name, None)
    row = CommunityTheme(title=name, quotes=lk.quotes(quotes), sessions=raised)
    session.add(row)
    c.flush(session, row)
    return row


def update_theme(session: Session, actor: Actor, theme_id: int, version: int | None = None, *,
                 title: Any = None, quotes: Any = None) -> CommunityTheme:
    _write(session, actor)
    row = c.get(session, CommunityTheme, theme_id, "theme")
    c.check_version(row, version)
    if title is not None:
        name = c.text(title, "theme", required=True)
        _unique_title(session, name, row.id)
        row.title = name
    if quotes is not None:
        row.quotes = lk.quotes(quotes)
    c.flush(session, row)
    return row


def respond_theme(session: Session, actor: Actor, theme_id: int, response: Any, state: Any,
                  version: int | None = None) -> CommunityTheme:
    """Record what the board did ("we did") and where the theme stands; done needs the response."""
    _write(session, actor)
    row = c.get(session, CommunityTheme, theme_id, "theme")
    c.check_version(row, version)
    row.response, row.state = lk.we_did(
        response, state, "response",
        f"Theme '{row.title}': write what the board did (\"we did\") before marking it done.")
    c.flush(session, row)
    return row


def link_session(session: Session, actor: Actor, theme_id: int, session_id: int,
                 remove: bool = False, version: int | None = None) -> CommunityTheme:
    """Record that a session raised the theme (or, ``remove``, that it did not)."""
    _write(session, actor)
    row = c.get(session, CommunityTheme, theme_id, "theme")
    c.check_version(row, version)
    conv = c.get(session, CommunitySession, session_id, "community conversation")
    if remove:
        if conv not in row.sessions:
            raise ValidationError(f"{conv.label} is not linked to theme '{row.title}'.", "sessions")
        if len(row.sessions) == 1:
            raise RuleViolation(f"Theme '{row.title}' keeps at least one session that raised it; "
                                "link the right session before removing this one.")
        row.sessions.remove(conv)
    else:
        if conv in row.sessions:
            raise ValidationError(f"{conv.label} is already linked to theme '{row.title}'.",
                                  "sessions")
        row.sessions.append(conv)
    lk.touch(session, row)
    return row


def link_action(session: Session, actor: Actor, theme_id: int, action: int | str,
                remove: bool = False, version: int | None = None) -> CommunityTheme:
    """Record that ``action`` (id or reference) answers the theme (or, ``remove``, unlink it)."""
    _write(session, actor)
    row = c.get(session, CommunityTheme, theme_id, "theme")
    c.check_version(row, version)
    (lk.unlink if remove else lk.link)(session, row, action, f"theme '{row.title}'")
    return row


# --- Community Champions workshops ------------------------------------------------------------

def list_workshops(session: Session, actor: Actor) -> list[ChampionsWorkshop]:
    require(actor, Perm.READ)
    return list(session.scalars(select(ChampionsWorkshop).order_by(ChampionsWorkshop.held_on)))


def _hours(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"Hours must be a number, not '{value}'.", "hours")
    h = round(float(value), 1)
    if not 0 < h <= 8:
        raise ValidationError(f"Hours: a Community Champions workshop runs about four hours; {h:g} "
                              "is outside 0.5 to 8.", "hours")
    return h


def _workshop_values(fields: dict[str, Any], today: dt.date | None) -> dict[str, Any]:
    unknown = set(fields) - WORKSHOP_FIELDS
    if unknown:
        raise ValidationError(f"Unknown workshop field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "held_on":
            out[key] = lk.held_date(value, "workshop date", today)
        elif key == "audience":
            out[key] = c.choice(WorkshopAudience, value, "audience")
        elif key == "place":
            out[key] = c.text(value, "place", max_len=200)
        elif key == "hours":
            out[key] = _hours(value)
        elif key == "participants":
            out[key] = lk.whole(value, "participants", high=WORKSHOP_MAX, why=(
                f"Participants: a Community Champions workshop takes up to {WORKSHOP_MAX} "
                "people; {n} is too many."))
    return out


def add_workshop(session: Session, actor: Actor, today: dt.date | None = None,
                 **fields: Any) -> ChampionsWorkshop:
    _write(session, actor)
    for key, what in (("held_on", "Workshop date"), ("audience", "Audience")):
        if fields.get(key) in (None, ""):
            raise ValidationError(f"{what} is required.", key)
    row = ChampionsWorkshop(**{"hours": 4.0, **_workshop_values(fields, today)})
    session.add(row)
    c.flush(session, row)
    return row


def update_workshop(session: Session, actor: Actor, workshop_id: int, version: int | None = None,
                    today: dt.date | None = None, **fields: Any) -> ChampionsWorkshop:
    _write(session, actor)
    row = c.get(session, ChampionsWorkshop, workshop_id, "workshop")
    c.check_version(row, version)
    for key, value in _workshop_values(fields, today).items():
        setattr(row, key, value)
    c.flush(session, row)
    return row


# --- figures ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Engagement:
    """The community engagement figures the dashboard and the pack show."""

    sessions: int
    people: int  # participants in the conversations
    trained: int
    target: int
    workshops: int
    workshop_people: int
    themes: int
    themes_done: int
    youth_sessions: int
    youth_people: int


def engagement(session: Session) -> Engagement:
    def total(col: Any) -> int:
        return int(session.scalar(select(func.coalesce(func.sum(col), 0))) or 0)

    def count(cls: Any, *where: Any) -> int:
        return int(session.scalar(select(func.count()).select_from(cls).where(*where)) or 0)

    return Engagement(
        count(CommunitySession), total(CommunitySession.participants), count(TrainedMember),
        TRAINED_TARGET, count(ChampionsWorkshop), total(ChampionsWorkshop.participants),
        count(CommunityTheme), count(CommunityTheme, CommunityTheme.state == FeedbackState.DONE),
        count(YouthSession), total(YouthSession.participants))
