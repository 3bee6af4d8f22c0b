"""The domains of existing work (a classification for actions): add, rename, retire.

A retired domain is no longer offered for actions; actions already in it keep it, and it
can be brought back. Names are unique, whatever their case.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import Action, Domain
from . import common as c
from .audit import bind
from .context import Actor, Perm, require


@dataclass(frozen=True)
class DomainRow:
    id: int
    version: int
    name: str
    position: int
    retired_on: dt.date | None
    actions: int


def list_domains(session: Session, include_retired: bool = True) -> list[DomainRow]:
    counts = dict(session.execute(select(Action.domain_id, func.count()).group_by(Action.domain_id))
                  .all())
    q = select(Domain).order_by(Domain.position, Domain.name)
    if not include_retired:
        q = q.where(Domain.retired_on.is_(None))
    return [DomainRow(d.id, d.version, d.name, d.position, d.retired_on, counts.get(d.id, 0))
            for d in session.scalars(q)]


def _name(session: Session, name: str, domain_id: int | None) -> str:
    text = c.text(name, "domain name", required=True, max_len=200)
    clash = session.scalar(select(Domain.id).where(func.lower(Domain.name) == text.lower()))
    if clash is not None and clash != domain_id:
        raise ValidationError(f"There is already a domain called '{text}'.", "name")
    return text


def add_domain(session: Session, actor: Actor, name: str) -> Domain:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    last = session.scalar(select(func.max(Domain.position))) or 0
    d = Domain(name=_name(session, name, None), position=last + 1)
    session.add(d)
    c.flush(session, d)
    return d


def rename_domain(session: Session, actor: Actor, domain_id: int, name: str,
                  expected_version: int | None = None) -> Domain:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    d = c.get(session, Domain, domain_id, "domain")
    c.check_version(d, expected_version)
    new = _name(session, name, d.id)
    if d.name != new:
        d.name = new
    c.flush(session, d)
    return d


def retire_domain(session: Session, actor: Actor, domain_id: int,
                  on: dt.date | None = None) -> Domain:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    d = c.get(session, Domain, domain_id, "domain")
    c.retire(session, d, f"The domain '{d.name}'", on)
    return d


def reinstate_domain(session: Session, actor: Actor, domain_id: int) -> Domain:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    d = c.get(session, Domain, domain_id, "domain")
    c.reinstate(session, d)
    return d
