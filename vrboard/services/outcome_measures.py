"""The Home Office's violence reduction outcome measures, as templates for indicators of the
performance framework (workstream 4). Wording and sources: docs/home-office-outcome-measures.md
(which also says what could and could not be checked against the published guidance).

"Add indicator from template" makes an ordinary indicator (services/indicators.py): the same
rules, permissions and audit; its source field names the Home Office measure.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..model import Indicator, Workstream
from .context import Actor
from .indicators import add_indicator

SOURCE = ("Home Office, Serious Violence Duty: statutory guidance (December 2022), "
          "headline success measures")


@dataclass(frozen=True)
class Measure:
    key: str
    code: str
    name: str
    unit: str
    description: str


MEASURES: tuple[Measure, ...] = (
    Measure("homicides", "HO1",
            "Homicides recorded by the police (especially among victims aged under 25)",
            "homicides",
            "Home Office headline measure: a reduction in homicides recorded by the police, "
            "especially among those victims aged under 25. Record victims under 25 as a value "
            "by group (Age band)."),
    Measure("sharp-admissions", "HO2",
            "Hospital admissions for assault with a knife or sharp object (especially among "
            "victims aged under 25)",
            "admissions",
            "Home Office headline measure: a reduction in hospital admissions for assaults with "
            "a knife or sharp object, especially among those victims aged under 25 (NHS Hospital "
            "Episode Statistics)."),
    Measure("knife-violence", "HO3",
            "Knife and sharp object enabled serious violence recorded by the police (especially "
            "among victims aged under 25)",
            "offences",
            "Home Office headline measure: a reduction in knife and sharp object enabled serious "
            "violence recorded by the police, especially among those victims aged under 25."),
)
BY_KEY = {m.key: m for m in MEASURES}


def template(key: str) -> Measure:
    m = BY_KEY.get(str(key).strip().lower())
    if m is None:
        raise NotFound(f"There is no outcome-measure template '{key}'; the templates are "
                       f"{', '.join(BY_KEY)}.")
    return m


def add_from_template(session: Session, actor: Actor, key: str, *, code: str | None = None,
                      target: float | None = None, **fields: Any) -> Indicator:
    """A new indicator of the performance framework from a Home Office measure: lower is
    better, in workstream 4 unless another is given."""
    m = template(key)
    ws4 = session.scalar(select(Workstream.id).where(Workstream.code == "WS4"))
    values: dict[str, Any] = {"code": code or m.code, "name": m.name, "unit": m.unit,
                              "higher_is_better": False, "description": m.description,
                              "source": SOURCE, "target": target, "workstream_id": ws4}
    values.update(fields)
    return add_indicator(session, actor, **values)
