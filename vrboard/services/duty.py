"""The Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022, in force 31
January 2023): the partnership's local definition of serious violence, its strategic needs
assessment, its published strategy and the strategy's annual review, and what is due next.

Rules:
- Only the secretariat and the chair record it (``EDIT_DUTY``); everyone reads it.
- One record per board; the first save creates it.
- Something done (the definition agreed, the assessment, publication, a review) is not dated
  in the future.
- The strategy is published from a needs assessment: its publication date needs the
  assessment's, and is not before it. An annual review is not before publication.
- Publishing the strategy or recording a review sets the next review a year on, unless a
  review due date is given with it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import DutyRecord
from . import common as c
from .audit import bind
from .context import Actor, Perm, require

DONE_FIELDS = ("definition_agreed_on", "needs_assessment_on", "strategy_published_on", "review_done_on")
DUE_FIELDS = ("needs_assessment_due", "review_due_on")
FIELDS = {"local_definition", "strategy_link", *DONE_FIELDS, *DUE_FIELDS}
LABELS = {
    "local_definition": "local definition of serious violence",
    "definition_agreed_on": "date the local definition was agreed",
    "needs_assessment_on": "date of the strategic needs assessment",
    "needs_assessment_due": "date the next needs assessment is due",
    "strategy_published_on": "date the strategy was published",
    "strategy_link": "where the strategy is published",
    "review_due_on": "date the strategy's annual review is due",
    "review_done_on": "date of the strategy's last annual review",
}
SOON_DAYS = 60


def get_duty(session: Session, actor: Actor) -> DutyRecord | None:
    require(actor, Perm.READ)
    return session.scalars(select(DutyRecord).order_by(DutyRecord.id)).first()


def _year_on(d: dt.date) -> dt.date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def set_duty(session: Session, actor: Actor, version: int | None = None, today: dt.date | None = None,
             **fields: Any) -> DutyRecord:
    """Record what changed; creates the record on its first save."""
    bind(session, actor)
    require(actor, Perm.EDIT_DUTY)
    today = today or dt.date.today()
    unknown = set(fields) - FIELDS
    if unknown:
        raise ValidationError(f"Unknown Duty field(s): {', '.join(sorted(unknown))}.")
    if not fields:
        raise ValidationError("Nothing to record: name at least one field of the Duty.")
    rec = get_duty(session, actor)
    new = rec is None
    if rec is None:  # added to the session once its values pass the checks
        rec = DutyRecord(local_definition="", strategy_link="")
    else:
        c.check_version(rec, version)
    values: dict[str, Any] = {}
    for key, value in fields.items():
        if key == "local_definition":
            values[key] = c.text(value, LABELS[key], max_len=20000)
        elif key == "strategy_link":
            values[key] = c.text(value, LABELS[key], max_len=500)
        else:
            values[key] = c.date_or_none(value, LABELS[key])
            if key in DONE_FIELDS and values[key] and values[key] > today:
                raise ValidationError(f"The {LABELS[key]} ({c.uk_date(values[key])}) is in the future: "
                                      "record it once it has happened.", key)
    if values.get("strategy_published_on") and "review_due_on" not in values:
        values["review_due_on"] = _year_on(values["strategy_published_on"])
    if values.get("review_done_on") and "review_due_on" not in values:
        values["review_due_on"] = _year_on(values["review_done_on"])
    if new:
        for key, value in values.items():
            setattr(rec, key, value)
        _check(rec)
        session.add(rec)
    else:
        with c.revert_on_error(session, rec):
            for key, value in values.items():
                setattr(rec, key, value)
            _check(rec)
    c.flush(session, rec)
    return rec


def _check(rec: DutyRecord) -> None:
    if rec.strategy_published_on:
        if rec.needs_assessment_on is None:
            raise ValidationError("The strategy is published from the strategic needs assessment: "
                                  "record the assessment's date first.", "strategy_published_on")
        if rec.strategy_published_on < rec.needs_assessment_on:
            raise ValidationError(
                f"The strategy's publication ({c.uk_date(rec.strategy_published_on)}) is before the "
                f"needs assessment it rests on ({c.uk_date(rec.needs_assessment_on)}).",
                "strategy_published_on")
    if rec.review_done_on:
        if rec.strategy_published_on is None:
            raise ValidationError("A review of the strategy needs the strategy's publication date.",
                                  "review_done_on")
        if rec.review_done_on < rec.strategy_published_on:
            raise ValidationError(
                f"The annual review ({c.uk_date(rec.review_done_on)}) is before the strategy was "
                f"published ({c.uk_date(rec.strategy_published_on)}).", "review_done_on")


@dataclass(frozen=True)
class DueItem:
    """One requirement of the Duty and where it stands."""

    what: str
    date: dt.date | None
    state: str   # "Done", "Overdue", "Due soon", "Due", "Not recorded"
    detail: str

    @property
    def needs_attention(self) -> bool:
        return self.state in ("Overdue", "Due soon", "Not recorded")


def _due(what: str, due: dt.date | None, today: dt.date, missing: str) -> DueItem:
    if due is None:
        return DueItem(what, None, "Not recorded", missing)
    days = (due - today).days
    if days < 0:
        return DueItem(what, due, "Overdue", f"Due {c.uk_date(due)}, {-days} day(s) ago")
    return DueItem(what, due, "Due soon" if days <= SOON_DAYS else "Due",
                   f"Due {c.uk_date(due)}, in {days} day(s)")


def status(rec: DutyRecord | None, today: dt.date) -> list[DueItem]:
    """The Duty's requirements in order, each done, due or missing; what is due next first
    among the dated ones (``next_due``)."""
    if rec is None:
        rec = DutyRecord(local_definition="", strategy_link="")
    items = [
        DueItem("Local definition of serious violence", rec.definition_agreed_on,
                "Done" if rec.local_definition else "Not recorded",
                (f"Agreed {c.uk_date(rec.definition_agreed_on)}" if rec.definition_agreed_on
                 else "Recorded; date agreed not recorded") if rec.local_definition
                else "The partnership has not recorded its local definition"),
        DueItem("Strategic needs assessment", rec.needs_assessment_on,
                "Done" if rec.needs_assessment_on else "Not recorded",
                f"Last completed {c.uk_date(rec.needs_assessment_on)}" if rec.needs_assessment_on
                else "No needs assessment recorded"),
        _due("Next needs assessment", rec.needs_assessment_due, today, "No date set for the next one"),
        DueItem("Strategy published", rec.strategy_published_on,
                "Done" if rec.strategy_published_on else "Not recorded",
                (f"Published {c.uk_date(rec.strategy_published_on)}"
                 + (f" at {rec.strategy_link}" if rec.strategy_link else ""))
                if rec.strategy_published_on else "The strategy's publication is not recorded"),
        _due("Annual review of the strategy", rec.review_due_on, today,
             "No review date set (publish the strategy to set one)"),
    ]
    if rec.review_done_on:
        items.append(DueItem("Last annual review", rec.review_done_on, "Done",
                             f"Reviewed {c.uk_date(rec.review_done_on)}"))
    return items


def next_due(items: list[DueItem]) -> DueItem | None:
    """The earliest dated requirement still to do, else the first not recorded."""
    dated = sorted((i for i in items if i.date and i.state in ("Overdue", "Due soon", "Due")),
                   key=lambda i: i.date or dt.date.max)
    return dated[0] if dated else next((i for i in items if i.state == "Not recorded"), None)
