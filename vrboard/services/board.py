"""People, memberships and the board itself."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import AccessRole, Board, BoardRole, Membership, Person
from . import common as c
from .audit import bind
from .context import Actor, Perm, require

PERSON_FIELDS = {"name", "job_title", "organisation", "email", "login", "access_role", "active"}
MEMBERSHIP_FIELDS = {"role", "voting", "term_start", "term_end", "named_substitute_id", "notes"}


def the_board(session: Session) -> Board:
    board = session.scalars(select(Board).order_by(Board.id)).first()
    if board is None:
        from ..errors import NotFound

        raise NotFound("This database has no board yet: run 'vrboard init' first.")
    return board


def _person_values(session: Session, fields: Mapping[str, Any], person_id: int | None) -> dict:
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise ValidationError(f"Unknown person field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k == "name":
            out[k] = c.text(v, "name", required=True, max_len=200)
        elif k in ("job_title", "organisation"):
            out[k] = c.text(v, k.replace("_", " "), max_len=200)
        elif k == "email":
            e = c.text(v, "e-mail", max_len=254)
            if e and ("@" not in e or " " in e):
                raise ValidationError(f"'{e}' is not an e-mail address.", "email")
            out[k] = e
        elif k == "login":
            login = c.text(v, "login", max_len=100) or None
            if login:
                clash = session.scalar(select(Person).where(
                    func.lower(Person.login) == login.lower(), Person.id != (person_id or -1)))
                if clash is not None:
                    raise ValidationError(f"The login '{login}' is already {clash.name}'s.", "login")
            out[k] = login
        elif k == "access_role":
            try:
                out[k] = AccessRole(v)
            except ValueError:
                raise ValidationError(f"'{v}' is not an access role.", k) from None
        elif k == "active":
            out[k] = bool(v)
    return out


def add_person(session: Session, actor: Actor, **fields: Any) -> Person:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    if "name" not in fields:
        raise ValidationError("Name is required.", "name")
    person = Person(**_person_values(session, fields, None))
    session.add(person)
    c.flush(session, person)
    return person


def update_person(session: Session, actor: Actor, person_id: int, expected_version: int | None,
                  changes: Mapping[str, Any]) -> Person:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    person = c.get(session, Person, person_id, "person")
    c.check_version(person, expected_version)
    for k, v in _person_values(session, changes, person.id).items():
        setattr(person, k, v)
    c.flush(session, person)
    return person


def _membership_values(session: Session, fields: Mapping[str, Any]) -> dict:
    unknown = set(fields) - MEMBERSHIP_FIELDS
    if unknown:
        raise ValidationError(f"Unknown membership field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k == "role":
            try:
                out[k] = BoardRole(v)
            except ValueError:
                raise ValidationError(f"'{v}' is not a board role.", k) from None
        elif k in ("term_start", "term_end"):
            out[k] = c.date_or_none(v, k.replace("_", " "))
        elif k == "voting":
            out[k] = bool(v)
        elif k == "named_substitute_id":
            out[k] = None if v is None else c.get(session, Person, v, "person").id
        elif k == "notes":
            out[k] = c.text(v, "notes", max_len=5000)
    return out


def _check_membership(session: Session, m: Membership) -> None:
    if m.term_start is None:
        raise ValidationError("A membership needs a term start date.", "term_start")
    if m.term_end is not None and m.term_end < m.term_start:
        raise ValidationError(
            f"The term ends ({c.uk_date(m.term_end)}) before it starts "
            f"({c.uk_date(m.term_start)}).", "term_end")
    if m.named_substitute_id == m.person_id:
        raise ValidationError("A member cannot be their own substitute.", "named_substitute_id")
    if m.role is BoardRole.CHAIR:
        others = session.scalars(select(Membership).where(
            Membership.board_id == m.board_id, Membership.role == BoardRole.CHAIR,
            Membership.id != (m.id or -1))).all()
        for o in others:
            if _overlap(o, m):
                raise ValidationError(
                    f"{o.person.name} is already chair from {c.uk_date(o.term_start)}"
                    f"{' to ' + c.uk_date(o.term_end) if o.term_end else ''}; end that term "
                    "first. The board has one chair at a time.", "role")


def _overlap(a: Membership, b: Membership) -> bool:
    far = dt.date.max
    return a.term_start <= (b.term_end or far) and b.term_start <= (a.term_end or far)


def add_membership(session: Session, actor: Actor, person_id: int, **fields: Any) -> Membership:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    board = the_board(session)
    person = c.get(session, Person, person_id, "person")
    values = _membership_values(session, fields)
    values.setdefault("role", BoardRole.MEMBER)
    values.setdefault("voting", values["role"] not in (BoardRole.ADVISER, BoardRole.SECRETARIAT))
    m = Membership(board_id=board.id, person_id=person.id, **values)
    for existing in list(person.memberships):
        if existing.board_id == board.id and _overlap(existing, m):
            raise ValidationError(
                f"{person.name} already has a membership from {c.uk_date(existing.term_start)}; "
                "end it before adding another for the same dates.", "term_start")
    _check_membership(session, m)
    session.add(m)
    c.flush(session, m)
    session.refresh(person, ["memberships"])
    session.refresh(board, ["memberships"])
    return m


def update_membership(session: Session, actor: Actor, membership_id: int,
                      expected_version: int | None, changes: Mapping[str, Any]) -> Membership:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    m = c.get(session, Membership, membership_id, "membership")
    c.check_version(m, expected_version)
    values = _membership_values(session, changes)
    with c.revert_on_error(session, m):
        for k, v in values.items():
            setattr(m, k, v)
        _check_membership(session, m)
    c.flush(session, m)
    return m


def end_membership(session: Session, actor: Actor, membership_id: int,
                   expected_version: int | None, on: dt.date, reason: str = "") -> Membership:
    changes: dict[str, Any] = {"term_end": on}
    if reason.strip():
        changes["notes"] = reason.strip()
    return update_membership(session, actor, membership_id, expected_version, changes)


def set_acting_chair(session: Session, actor: Actor, person_id: int | None) -> Board:
    """Record (or clear) the vice-chair acting as chair."""
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    board = the_board(session)
    if person_id is not None:
        today = dt.date.today()
        ok = any(m.role is BoardRole.VICE_CHAIR and m.is_current(today) and m.board_id == board.id
                 for m in c.get(session, Person, person_id, "person").memberships)
        if not ok:
            raise ValidationError("Only a current vice-chair can be recorded as acting chair.",
                                  "acting_chair_id")
    board.acting_chair_id = person_id
    c.flush(session, board)
    return board


def current_members(session: Session, on: dt.date | None = None) -> list[Membership]:
    on = on or dt.date.today()
    board = the_board(session)
    return [m for m in board.memberships if m.is_current(on)]


def board_warnings(session: Session, on: dt.date | None = None) -> list[str]:
    """Ended or ending terms, and a board too small to be quorate."""
    on = on or dt.date.today()
    board = the_board(session)
    warnings = []
    current = [m for m in board.memberships if m.is_current(on)]
    voting = [m for m in current if m.voting and m.role is not BoardRole.SECRETARIAT]
    from .quorum import required

    needed = required(board.default_quorum, board.quorum_fraction, len(voting))
    if len(voting) < needed:
        warnings.append(f"The board has {len(voting)} voting members, fewer than its quorum of "
                        f"{needed}: it cannot take decisions.")
    elif len(voting) < board.min_members:
        warnings.append(f"The board has {len(voting)} voting members; it should have "
                        f"{board.min_members}-{board.max_members}.")
    if not any(m.role is BoardRole.CHAIR for m in current):
        warnings.append("The board has no current chair.")
    people_current = {m.person_id for m in current}
    for m in board.memberships:
        if m.term_end is not None and m.term_end < on and m.person_id not in people_current:
            if (on - m.term_end).days <= 90:
                warnings.append(f"{m.person.name}'s term as {m.role.label.lower()} ended on "
                                f"{c.uk_date(m.term_end)}.")
        elif m.term_end is not None and on <= m.term_end <= on + dt.timedelta(days=60):
            warnings.append(f"{m.person.name}'s term as {m.role.label.lower()} ends on "
                            f"{c.uk_date(m.term_end)}.")
    return warnings
