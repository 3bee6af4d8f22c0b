"""Setting a board up from nothing: who leads each workstream; the plans actions deliver
(add, edit, close)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..model import Person, Plan, Workstream
from . import common as c
from .audit import bind
from .context import Actor, Perm, require


def set_workstream_lead(session: Session, actor: Actor, workstream_id: int,
                        person_id: int | None) -> Workstream:
    """Name (or clear, with ``None``) the lead of a workstream."""
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    ws = c.get(session, Workstream, workstream_id, "workstream")
    if person_id is not None:
        c.get(session, Person, person_id, "person")
    if ws.lead_id != person_id:
        ws.lead_id = person_id
    c.flush(session, ws)
    return ws


PLAN_FIELDS = ("code", "name", "period", "period_start", "period_end", "description",
               "reference_prefix")


def _plan_values(session: Session, fields: Mapping[str, Any], plan_id: int | None) -> dict:
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown plan field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k == "code":
            out[k] = c.text(v, "plan code", required=True, max_len=20).upper()
            clash = session.scalar(select(Plan.id).where(func.upper(Plan.code) == out[k]))
            if clash is not None and clash != plan_id:
                raise ValidationError(f"Plan code {out[k]} is already used.", "code")
        elif k == "name":
            out[k] = c.text(v, "plan name", required=True, max_len=200)
        elif k == "period":
            out[k] = c.text(v, "period", max_len=20)
        elif k == "reference_prefix":
            out[k] = c.text(v, "reference prefix", max_len=10).upper()
        elif k == "description":
            out[k] = c.text(v, "description", max_len=5000)
        else:  # period_start, period_end
            if v is not None and not isinstance(v, dt.date):
                raise ValidationError(f"The {k.replace('_', ' ')} must be a date.", k)
            out[k] = v
    return out


def _check_period(plan: Plan) -> None:
    if plan.period_start and plan.period_end and plan.period_end < plan.period_start:
        raise ValidationError(f"The plan {plan.code} would end ({plan.period_end:%d/%m/%Y}) "
                              f"before it starts ({plan.period_start:%d/%m/%Y}).", "period_end")


def add_plan(session: Session, actor: Actor, **fields: Any) -> Plan:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    values = _plan_values(session, fields, None)
    if "code" not in values or "name" not in values:
        raise ValidationError("A plan needs a code and a name.")
    plan = Plan(**values)
    _check_period(plan)
    session.add(plan)
    c.flush(session, plan)
    return plan


def update_plan(session: Session, actor: Actor, plan_id: int, expected_version: int | None,
                changes: Mapping[str, Any]) -> Plan:
    bind(session, actor)
    require(actor, Perm.EDIT_BOARD)
    plan = c.get(session, Plan, plan_id, "plan")
    c.check_version(plan, expected_version)
    for k, v in _plan_values(session, changes, plan.id).items():
        if getattr(plan, k) != v:
            setattr(plan, k, v)
    _check_period(plan)
    c.flush(session, plan)
    return plan


def close_plan(session: Session, actor: Actor, plan_id: int, on: dt.date) -> Plan:
    """Close a plan: its period ends ``on``. Its actions stay as they are (they may be
    moved to a successor plan one by one)."""
    return update_plan(session, actor, plan_id, None, {"period_end": on})
