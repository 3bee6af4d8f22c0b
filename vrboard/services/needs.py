"""The Strategic Needs Assessment (workstream 4): each assessment's date and summary, its
findings, and the actions that answer each finding.

Rules:
- Only the secretariat and the chair change these records (``EDIT_COMMUNITY``); everyone reads
  them.
- An assessment has a title and a publication date; a finding's number is unique within its
  assessment and it says what was found.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationError
from ..model import NeedsAssessment, NeedsFinding
from ..model.community import number_key
from . import common as c
from . import links as lk
from .audit import bind
from .context import Actor, Perm, require


def _write(session: Session, actor: Actor) -> None:
    bind(session, actor)
    require(actor, Perm.EDIT_COMMUNITY)


def list_assessments(session: Session, actor: Actor) -> list[NeedsAssessment]:
    """The assessments, newest first, with their findings and the findings' actions."""
    require(actor, Perm.READ)
    return list(session.scalars(
        select(NeedsAssessment).options(selectinload(NeedsAssessment.findings)
                                        .selectinload(NeedsFinding.actions))
        .order_by(NeedsAssessment.published_on.desc(), NeedsAssessment.id)))


def findings(assessment: NeedsAssessment) -> list[NeedsFinding]:
    """An assessment's findings in the order of their numbers (2 before 10)."""
    return sorted(assessment.findings, key=lambda f: number_key(f.number))


def _published(value: Any) -> Any:
    d = c.date_or_none(value, "publication date")
    if d is None:
        raise ValidationError("Publication date is required.", "published_on")
    return d


def add_assessment(session: Session, actor: Actor, title: Any, published_on: Any,
                   summary: Any = "") -> NeedsAssessment:
    _write(session, actor)
    row = NeedsAssessment(title=c.text(title, "title", required=True),
                          published_on=_published(published_on),
                          summary=c.text(summary, "summary", max_len=20000))
    session.add(row)
    c.flush(session, row)
    return row


def update_assessment(session: Session, actor: Actor, assessment_id: int, version: int | None = None,
                      **fields: Any) -> NeedsAssessment:
    _write(session, actor)
    row = c.get(session, NeedsAssessment, assessment_id, "needs assessment")
    c.check_version(row, version)
    unknown = set(fields) - {"title", "published_on", "summary"}
    if unknown:
        raise ValidationError(f"Unknown needs assessment field(s): {', '.join(sorted(unknown))}.")
    values: dict[str, Any] = {}
    if "title" in fields:
        values["title"] = c.text(fields["title"], "title", required=True)
    if "published_on" in fields:
        values["published_on"] = _published(fields["published_on"])
    if "summary" in fields:
        values["summary"] = c.text(fields["summary"], "summary", max_len=20000)
    for key, value in values.items():
        setattr(row, key, value)
    c.flush(session, row)
    return row


def add_finding(session: Session, actor: Actor, assessment_id: int, number: Any,
                text: Any) -> NeedsFinding:
    _write(session, actor)
    sna = c.get(session, NeedsAssessment, assessment_id, "needs assessment")
    num = c.text(number, "finding number", required=True, max_len=20)
    if any(f.number.lower() == num.lower() for f in sna.findings):
        raise ValidationError(f"{sna.title} already has a finding {num}.", "number")
    row = NeedsFinding(number=num, text=c.text(text, "finding", required=True, max_len=20000))
    sna.findings.append(row)
    c.flush(session, row)
    return row


def update_finding(session: Session, actor: Actor, finding_id: int, version: int | None = None, *,
                   text: Any = None, number: Any = None) -> NeedsFinding:
    _write(session, actor)
    row = c.get(session, NeedsFinding, finding_id, "finding")
    c.check_version(row, version)
    if number is not None:
        num = c.text(number, "finding number", required=True, max_len=20)
        if any(f.number.lower() == num.lower() and f is not row for f in row.assessment.findings):
            raise ValidationError(f"{row.assessment.title} already has a finding {num}.", "number")
        row.number = num
    if text is not None:
        row.text = c.text(text, "finding", required=True, max_len=20000)
    c.flush(session, row)
    return row


def link_action(session: Session, actor: Actor, finding_id: int, action: int | str,
                remove: bool = False, version: int | None = None) -> NeedsFinding:
    """Record that ``action`` (id or reference) answers the finding (or, ``remove``, unlink it)."""
    _write(session, actor)
    row = c.get(session, NeedsFinding, finding_id, "finding")
    c.check_version(row, version)
    (lk.unlink if remove else lk.link)(session, row, action,
                                       f"finding {row.number} of {row.assessment.title}")
    return row
