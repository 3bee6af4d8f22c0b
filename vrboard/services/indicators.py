"""The performance framework: indicators and their values by period."""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import RuleViolation, ValidationError
from ..model import Indicator, IndicatorValue, Workstream
from . import common as c
from .audit import bind
from .context import Actor, Perm, require

INDICATOR_FIELDS = {"code", "name", "unit", "higher_is_better", "target", "description",
                    "source", "workstream_id", "frequency", "home_office_measure"}
# How often a value is reported.
FREQUENCIES = ("Monthly", "Quarterly", "Six-monthly", "Annual")
_PERIOD = re.compile(r"^(\d{4})/(\d{2})(?: Q([1-4]))?$")


def period_start(period: str) -> dt.date:
    """'2019/20 Q1' -> 01/04/2019 (financial years run April to March); '2019/20' -> 01/04/2019."""
    m = _PERIOD.match(period.strip())
    if not m or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValidationError(
            f"Period '{period}' should be a financial year such as 2019/20 or a quarter such as "
            "2019/20 Q1.", "period")
    year, quarter = int(m.group(1)), int(m.group(3) or 1)
    month = 4 + 3 * (quarter - 1)
    return dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)


def _values(session: Session, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(f"Unknown indicator field(s): {', '.join(sorted(unknown))}.")
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k in ("code", "name"):
            out[k] = c.text(v, k, required=True, max_len=20 if k == "code" else 300)
        elif k in ("unit", "source"):
            out[k] = c.text(v, k, max_len=200)
        elif k == "description":
            out[k] = c.text(v, k, max_len=5000)
        elif k in ("higher_is_better", "home_office_measure"):
            out[k] = bool(v)
        elif k == "frequency":
            match = next((f for f in FREQUENCIES if f.lower() == str(v).strip().lower()), None)
            if match is None:
                raise ValidationError(f"The frequency '{v}' is not one of: {', '.join(FREQUENCIES)}.",
                                      k)
            out[k] = match
        elif k == "target":
            if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)
                                  or not math.isfinite(v)):
                raise ValidationError("The target must be a number.", k)
            out[k] = None if v is None else float(v)
        elif k == "workstream_id":
            out[k] = None if v is None else c.get(session, Workstream, v, "workstream").id
    return out


def add_indicator(session: Session, actor: Actor, **fields: Any) -> Indicator:
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    values = _values(session, fields)
    if "code" not in values or "name" not in values:
        raise ValidationError("An indicator needs a code and a name.")
    if session.scalar(select(Indicator.id).where(Indicator.code == values["code"])) is not None:
        raise ValidationError(f"Indicator code {values['code']} is already used.", "code")
    ind = Indicator(**values)
    session.add(ind)
    c.flush(session, ind)
    return ind


def update_indicator(session: Session, actor: Actor, indicator_id: int,
                     expected_version: int | None, changes: Mapping[str, Any]) -> Indicator:
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    ind = c.get(session, Indicator, indicator_id, "indicator")
    c.check_version(ind, expected_version)
    for k, v in _values(session, changes).items():
        setattr(ind, k, v)
    c.flush(session, ind)
    return ind


def set_value(session: Session, actor: Actor, indicator_id: int, period: str, value: float,
              note: str = "") -> IndicatorValue:
    """Record (or correct) the value for a period."""
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    ind = c.get(session, Indicator, indicator_id, "indicator")
    if ind.retired_on is not None:
        raise RuleViolation(f"Indicator {ind.code} was retired on {ind.retired_on:%d/%m/%Y}; its "
                            "values are kept as history. Reinstate it to record new values.")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError("The value must be a number.", "value")
    start = period_start(period)
    row = next((v for v in ind.values if v.period == period.strip()), None)
    if row is None:
        row = IndicatorValue(period=period.strip(), period_start=start, value=float(value))
        ind.values.append(row)
    else:
        row.value = float(value)
    row.note = c.text(note, "note", max_len=300)
    c.flush(session, row)
    return row


def retire_indicator(session: Session, actor: Actor, indicator_id: int,
                     on: dt.date | None = None) -> Indicator:
    """Retire an indicator: it leaves the Indicators page's active list and the board pack;
    its values stay, and the audit trail says who retired it and when."""
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    ind = c.get(session, Indicator, indicator_id, "indicator")
    c.retire(session, ind, f"Indicator {ind.code}", on)
    return ind


def reinstate_indicator(session: Session, actor: Actor, indicator_id: int) -> Indicator:
    bind(session, actor)
    require(actor, Perm.EDIT_ACTIONS)
    ind = c.get(session, Indicator, indicator_id, "indicator")
    c.reinstate(session, ind)
    return ind
