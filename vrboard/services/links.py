"""Shared by the services of community themes, youth panel asks and needs-assessment findings:
finding an action by id or reference, linking it to (or unlinking it from) the record it
answers, and the plain values those records hold (whole numbers, dates, short quotes)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ..errors import ConflictError, NotFound, ValidationError
from ..model import Action, FeedbackState
from . import common as c
from .audit import label_of


def find_action(session: Session, action: int | str) -> Action:
    """An action by id, or by its reference (``WS1-003``)."""
    if isinstance(action, int) and not isinstance(action, bool):
        return c.get(session, Action, action, "action")
    ref = str(action).strip().upper()
    found = session.scalars(select(Action).where(Action.reference == ref)).first()
    if found is None:
        raise NotFound(f"There is no action with reference '{action}'.")
    return found


def link(session: Session, obj: Any, action: int | str, what: str) -> Action:
    """Add ``action`` to ``obj.actions``; ``what`` names ``obj`` in a refusal."""
    act = find_action(session, action)
    if act in obj.actions:
        raise ValidationError(f"{act.reference} is already linked to {what}.", "action")
    obj.actions.append(act)
    touch(session, obj)
    return act


def unlink(session: Session, obj: Any, action: int | str, what: str) -> Action:
    act = find_action(session, action)
    if act not in obj.actions:
        raise ValidationError(f"{act.reference} is not linked to {what}.", "action")
    obj.actions.remove(act)
    touch(session, obj)
    return act


def touch(session: Session, obj: Any) -> None:
    """Flush a change of links (audited as the record's ``actions`` or ``sessions``) and bump
    its version, checked like any other save, so a second person's stale copy is refused."""
    cls = type(obj)
    old = obj.version
    c.flush(session, obj)
    done = session.execute(update(cls).where(cls.id == obj.id, cls.version == old)
                           .values(version=old + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise ConflictError(f"{label_of(obj)} was changed by someone else while you were saving. "
                            "Reload it to see their change; nothing was overwritten.",
                            cls.__tablename__, obj.id)
    set_committed_value(obj, "version", old + 1)


def whole(value: Any, field: str, *, low: int = 0, high: int = 100000, why: str = "") -> int:
    """A whole number from ``low`` to ``high``; ``why`` explains the upper limit (``{n}``:
    the number given)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or (
            isinstance(value, float) and not value.is_integer()):
        raise ValidationError(f"{field.capitalize()} must be a whole number, not '{value}'.", field)
    n = int(value)
    if n < low:
        raise ValidationError(f"{field.capitalize()} cannot be less than {low} ({n} given).", field)
    if n > high:
        raise ValidationError(why.format(n=n) if why else
                              f"{field.capitalize()} cannot be more than {high} ({n} given).", field)
    return n


def held_date(value: Any, field: str, today: dt.date | None = None) -> dt.date:
    """A date that has come: a session is recorded once it has been held."""
    d = c.date_or_none(value, field)
    if d is None:
        raise ValidationError(f"{field.capitalize()} is required.", field)
    today = today or dt.date.today()
    if d > today:
        raise ValidationError(f"{field.capitalize()} ({c.uk_date(d)}) is in the future: record a "
                              "session once it has been held.", field)
    return d


QUOTE_MAX = 200


def quotes(value: Any, field: str = "quotes") -> str:
    """Short quotes, one a line (a list is joined); each at most 200 characters."""
    lines = value if isinstance(value, list | tuple) else str(value or "").splitlines()
    kept = [str(q).strip() for q in lines if str(q).strip()]
    for n, q in enumerate(kept, start=1):
        if len(q) > QUOTE_MAX:
            raise ValidationError(f"Quote {n} is {len(q)} characters long: a quote is kept short "
                                  f"(up to {QUOTE_MAX} characters); put the rest in the session's "
                                  "notes.", field)
    return "\n".join(kept)


def we_did(text: Any, state: Any, field: str, refusal: str) -> tuple[str, FeedbackState]:
    """A "you said, we did" answer: the text and the state it moves to. Done needs the text;
    ``refusal`` says so, naming the record."""
    words = c.text(text, field, max_len=20000)
    new = c.choice(FeedbackState, state, "state")
    if new is FeedbackState.DONE and not words:
        raise ValidationError(refusal, field)
    return words, new
