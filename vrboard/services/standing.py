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
from .quorum import describe_rule, parse_fraction

# (title, presenter, minutes, no paper needed): procedural items need no paper.
Standing = tuple[str, str, int, bool]
DEFAULT_STANDING: tuple[Standing, ...] = (
    ("Welcome and apologies", "Chair", 5, True),
    ("Declarations of interest", "Chair", 5, True),
    ("Minutes of the previous meeting and matters arising", "Chair", 10, True),
    ("Action log review", "Board Secretary", 15, False),
    ("Any other business", "Chair", 5, True),
)


@dataclass(frozen=True)
class Terms:
    quorum: int
    notice_clear_days: int
    standing: tuple[Standing, ...]
    quorum_fraction: str = ""  # "1/3": the quorum is that fraction of the voting members
    contact: tuple[str, str, str] = ("", "", "")  # the contact officer: name, e-mail, phone

    @property
    def quorum_text(self) -> str:
        return describe_rule(self.quorum, self.quorum_fraction)


def terms(session: Session) -> Terms:
    board = the_board(session)
    items = session.scalars(select(StandingItem).where(StandingItem.board_id == board.id)
                            .order_by(StandingItem.position))
    return Terms(board.default_quorum, board.notice_clear_days,
                 tuple((i.title, i.presenter, i.minutes_allotted, i.no_paper) for i in items),
                 board.quorum_fraction,
                 (board.contact_name, board.contact_email, board.contact_phone))


def seed_standing_items(session: Session) -> None:
    """The usual standing items for a new board (``vrboard init``)."""
    board = the_board(session)
    for n, (title, presenter, minutes, no_paper) in enumerate(DEFAULT_STANDING, start=1):
        session.add(StandingItem(board_id=board.id, position=n, title=title, presenter=presenter,
                                 minutes_allotted=minutes, no_paper=no_paper))


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
              standing: Sequence[tuple[str, str, int] | Standing],
              quorum_fraction: str = "", contact: Sequence[str] | None = None) -> Terms:
    """Change the terms of reference in one go; the standing items are replaced in order.
    ``quorum_fraction`` ("one third", "1/3", "half") makes the quorum that fraction of the
    voting members; empty, the quorum is the number ``quorum``. ``contact``: the contact
    officer (name, e-mail, phone); unchanged when None."""
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    board = the_board(session)
    quorum = _whole(quorum, "quorum", 1, 50)
    fraction = parse_fraction(quorum_fraction)
    notice = _whole(notice_clear_days, "notice period", 0, MAX_CLEAR_DAYS)
    rows = []
    for n, (title, presenter, minutes, *rest) in enumerate(standing, start=1):
        rows.append((c.text(title, f"title of standing item {n}", required=True),
                     c.text(presenter, f"presenter of standing item {n}", max_len=200),
                     _whole(minutes, f"minutes of standing item {n}", 1, 480),
                     bool(rest[0]) if rest else False))
    if contact is not None:
        name, email, phone = _contact(contact)
        for attr, value in (("contact_name", name), ("contact_email", email),
                            ("contact_phone", phone)):
            if getattr(board, attr) != value:
                setattr(board, attr, value)
    if board.default_quorum != quorum:
        board.default_quorum = quorum
    if board.quorum_fraction != fraction:
        board.quorum_fraction = fraction
    if board.notice_clear_days != notice:
        board.notice_clear_days = notice
    old = list(session.scalars(select(StandingItem).where(StandingItem.board_id == board.id)
                               .order_by(StandingItem.position)))
    if [(i.title, i.presenter, i.minutes_allotted, i.no_paper) for i in old] != rows:
        for i in old:
            session.delete(i)
        session.flush()
        for n, (title, presenter, minutes, no_paper) in enumerate(rows, start=1):
            session.add(StandingItem(board_id=board.id, position=n, title=title,
                                     presenter=presenter, minutes_allotted=minutes,
                                     no_paper=no_paper))
    c.flush(session, board)
    return terms(session)


def add_standing_items(session: Session, actor: Actor, meeting_id: int) -> list[AgendaItem]:
    """Start ``meeting_id``'s agenda with the standing items (after any items it has)."""
    from .meetings import add_item

    return [add_item(session, actor, meeting_id, title=t, presenter=p, minutes_allotted=m,
                     no_paper=np)
            for t, p, m, np in terms(session).standing]
