"""The Youth Panel (workstream 7): its sessions, what the young people raised at each, and the
board's reply ("you said, we did"), with the actions that answer each ask.

Rules:
- Only the secretariat and the chair change these records (``EDIT_COMMUNITY``); everyone reads
  them. No young person's name is kept: a session records its place, how many came, and notes.
- A session is recorded once it has been held; an ask belongs to a session and says what was
  raised; it is marked done only with the board's reply ("we did").
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationError
from ..model import YouthAsk, YouthSession
from . import common as c
from . import links as lk
from .audit import bind
from .context import Actor, Perm, require


def _write(session: Session, actor: Actor) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_COMMUNITY)


def list_sessions(session: Session, actor: Actor) -> list[YouthSession]:
    """The youth panel's sessions, newest first, with their asks and the asks' actions."""
    require(actor, Perm.READ)
    return list(session.scalars(
        select(YouthSession).options(selectinload(YouthSession.asks).selectinload(YouthAsk.actions))
        .order_by(YouthSession.held_on.desc(), YouthSession.id)))


def add_session(session: Session, actor: Actor, held_on: Any, place: Any, participants: Any = 0,
                notes: Any = "", today: dt.date | None = None) -> YouthSession:
    _write(session, actor)
    row = YouthSession(held_on=lk.held_date(held_on, "session date", today),
                       place=c.text(place, "place", required=True, max_len=200),
                       participants=lk.whole(participants, "number of young people", high=200),
                       notes=c.text(notes, "notes", max_len=20000))
    session.add(row)
    c.flush(session, row)
    return row


def update_session(session: Session, actor: Actor, session_id: int, version: int | None = None,
                   today: dt.date | None = None, **fields: Any) -> YouthSession:
    _write(session, actor)
    row = c.get(session, YouthSession, session_id, "youth panel session")
    c.check_version(row, version)
    unknown = set(fields) - {"held_on", "place", "participants", "notes"}
    if unknown:
        raise ValidationError(f"Unknown youth panel session field(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    if "held_on" in fields:
        values["held_on"] = lk.held_date(fields["held_on"], "session date", today)
    if "place" in fields:
        values["place"] = c.text(fields["place"], "place", required=True, max_len=200)
    if "participants" in fields:
        values["participants"] = lk.whole(fields["participants"], "number of young people", high=200)
    if "notes" in fields:
        values["notes"] = c.text(fields["notes"], "notes", max_len=20000)
    for key, value in values.items():
        setattr(row, key, value)
    c.flush(session, row)
    return row


def add_ask(session: Session, actor: Actor, session_id: int, raised: Any) -> YouthAsk:
    """What the young people raised at a session ("you said")."""
    _write(session, actor)
    panel = c.get(session, YouthSession, session_id, "youth panel session")
    ask = YouthAsk(raised=c.text(raised, "what was raised", required=True, max_len=2000))
    panel.asks.append(ask)
    c.flush(session, ask)
    return ask


def update_ask(session: Session, actor: Actor, ask_id: int, version: int | None = None, *,
               raised: Any = None, session_id: int | None = None) -> YouthAsk:
    """Correct what was raised, or move the ask to the session it was raised at."""
    _write(session, actor)
    ask = c.get(session, YouthAsk, ask_id, "youth panel ask")
    c.check_version(ask, version)
    if raised is not None:
        ask.raised = c.text(raised, "what was raised", required=True, max_len=2000)
    if session_id is not None and session_id != ask.session_id:
        ask.session = c.get(session, YouthSession, session_id, "youth panel session")
    c.flush(session, ask)
    return ask


def reply(session: Session, actor: Actor, ask_id: int, text: Any, state: Any,
          version: int | None = None) -> YouthAsk:
    """The board's reply ("we did") and where the ask stands; done needs the reply."""
    _write(session, actor)
    ask = c.get(session, YouthAsk, ask_id, "youth panel ask")
    c.check_version(ask, version)
    ask.reply, ask.state = lk.we_did(
        text, state, "reply",
        f"Youth panel ask {ask.id}: write the board's reply (\"we did\") before marking it done.")
    c.flush(session, ask)
    return ask


def link_action(session: Session, actor: Actor, ask_id: int, action: int | str,
                remove: bool = False, version: int | None = None) -> YouthAsk:
    """Record that ``action`` (id or reference) answers the ask (or, ``remove``, unlink it)."""
    _write(session, actor)
    ask = c.get(session, YouthAsk, ask_id, "youth panel ask")
    c.check_version(ask, version)
    (lk.unlink if remove else lk.link)(session, ask, action, f"youth panel ask {ask.id}")
    return ask
