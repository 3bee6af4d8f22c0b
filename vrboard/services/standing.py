"""The terms of reference a meeting cycle runs on: the quorum, the notice period (clear days
before a meeting its agenda and papers are published), the standing agenda items every
new meeting starts with, and the contact officer named on the cover of every pack."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import AgendaItem, StandingItem
from . import common as c
from .audit import bind
from .board import the_board
from .context import Actor, Perm, require
from .cycle import MAX_CLEAR_DAYS

DEFAULT_STANDING: tuple[tuple[str, str, int], ...] = (
    ("Welcome and apologies", "Chair", 5),
    ("Declarations of interest", "Chair", 5),
    ("Minutes of the previous meeting and matters arising", "Chair", 10),
    ("Action log review", "Board Secretary", 15),
    ("Any other business", "Chair", 5),
)


@dataclass(frozen=True)
class Terms:
    quorum: int
    notice_clear_days: int
    standing: tuple[tuple[str, str, int], ...]  # (title, presenter, minutes)
    contact: tuple[str, str, str] = ("", "", "")  # the contact officer: name, e-mail, phone


def terms(session: Session) -> Terms:
    board = the_board(session)
    items = session.scalars(select(StandingItem).where(StandingItem.board_id == board.id)
                            .order_by(StandingItem.position))
    return Terms(board.default_quorum, board.notice_clear_days,
                 tuple((i.title, i.presenter, i.minutes_allotted) for i in items),
                 (board.contact_name, board.contact_email, board.contact_phone))


def seed_standing_items(session: Session) -> None:
    """The usual standing items for a new board (``vrboard init``)."""
    board = the_board(session)
    for n, (title, presenter, minutes) in enumerate(DEFAULT_STANDING, start=1):
        session.add(StandingItem(board_id=board.id, position=n, title=title, presenter=presenter,
                                 minutes_allotted=minutes))


def _whole(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(f"{field.capitalize()} must be a whole number from {low} to {high}, "
                              f"not {value!r}.", field)
    return value


def _contact(contact: Sequence[str]) -> tuple[str, str, str]:
    if len(contact) != 3:
        raise ValidationError("The contact officer is a name, an e-mail address and a phone "
                              "number (each may be left empty).", "contact")
    name = c.text(contact[0], "contact officer's name", max_len=200)
    email = c.text(contact[1], "contact officer's e-mail", max_len=254)
    phone = c.text(contact[2], "contact officer's phone", max_len=50)
    if email and ("@" not in email or " " in email):
        raise ValidationError(f"'{email}' is not an e-mail address.", "contact_email")
    if (email or phone) and not name:
        raise ValidationError("Give the contact officer's name with their e-mail or phone.",
                              "contact_name")
    return name, email, phone


def set_terms(session: Session, actor: Actor, *, quorum: int, notice_clear_days: int,
              standing: Sequence[tuple[str, str, int]],
              contact: Sequence[str] | None = None) -> Terms:
    """Change the terms of reference in one go; the standing items are replaced in order.
    ``contact``: the contact officer (name, e-mail, phone); unchanged when None."""
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    board = the_board(session)
    quorum = _whole(quorum, "quorum", 1, 50)
    notice = _whole(notice_clear_days, "notice period", 0, MAX_CLEAR_DAYS)
    rows = []
    for n, (title, presenter, minutes) in enumerate(standing, start=1):
        rows.append((c.text(title, f"title of standing item {n}", required=True),
                     c.text(presenter, f"presenter of standing item {n}", max_len=200),
                     _whole(minutes, f"minutes of standing item {n}", 1, 480)))
    if contact is not None:
        name, email, phone = _contact(contact)
        for attr, value in (("contact_name", name), ("contact_email", email),
                            ("contact_phone", phone)):
            if getattr(board, attr) != value:
                setattr(board, attr, value)
    if board.default_quorum != quorum:
        board.default_quorum = quorum
    if board.notice_clear_days != notice:
        board.notice_clear_days = notice
    old = list(session.scalars(select(StandingItem).where(StandingItem.board_id == board.id)
                               .order_by(StandingItem.position)))
    if [(i.title, i.presenter, i.minutes_allotted) for i in old] != rows:
        for i in old:
            session.delete(i)
        session.flush()
        for n, (title, presenter, minutes) in enumerate(rows, start=1):
            session.add(StandingItem(board_id=board.id, position=n, title=title,
                                     presenter=presenter, minutes_allotted=minutes))
    c.flush(session, board)
    return terms(session)


def add_standing_items(session: Session, actor: Actor, meeting_id: int) -> list[AgendaItem]:
    """Start ``meeting_id``'s agenda with the standing items (after any items it has)."""
    from .meetings import add_item

    return [add_item(session, actor, meeting_id, title=t, presenter=p, minutes_allotted=m)
            for t, p, m in terms(session).standing]
