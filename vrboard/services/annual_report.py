"""What the annual report under the Serious Violence Duty shows for one financial year
(``vrboard annual-report --year 2026/27``): progress by workstream, reviews and their
recommendations, community engagement, the performance framework against its targets with
trends, the disproportionality findings, and the Duty's own record.

The public version follows the public pack's rules: actions raised in Part 2 (or from an
OFFICIAL-SENSITIVE item) stay out of every count, and an exempt review (the case review) is
named by its kind only (services/access.py E7 to E9; services/pack_data.py).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationError
from ..model import Action, ActionStatus, Indicator, Workstream
from .board import the_board
from .context import SYSTEM
from .duty import DueItem, get_duty, status
from .indicators import period_start
from .lenses import LensRow, indicators_with_groups, lens_rows
from .pack_data import _excluded_decisions, _excluded_items, _public_ok
from .pack_reviews import ReviewRow, review_rows


@dataclass(frozen=True)
class WorkstreamYear:
    code: str
    name: str
    actions: int        # live (not dropped) at the year's end
    completed: int      # completed (awaiting sign-off or signed off) within the year
    open: int
    overdue: int        # open and past due at the year's end (or today, if earlier)
    average_percent: float


@dataclass(frozen=True)
class GroupShare:
    group: str          # the tag's label, "Age band: Under 25"
    value: float
    share: float | None  # of the overall value, when that is not zero


@dataclass(frozen=True)
class IndicatorYear:
    code: str
    name: str
    unit: str
    higher_is_better: bool
    target: float | None
    series: tuple[tuple[str, float], ...]   # every value, for the trend
    in_year: tuple[tuple[str, float], ...]  # this year's periods
    status: str
    trend: str
    tags: str
    groups: tuple[tuple[str, tuple[GroupShare, ...]], ...]  # per period in the year


@dataclass(frozen=True)
class CommunityFigures:
    """Community engagement in the year, read from the community model where it exists."""

    sessions: int
    people_reached: int
    members_trained: int
    notes: tuple[str, ...] = ()


@dataclass
class AnnualReport:
    board: str
    council: str
    year: str
    start: dt.date
    end: dt.date
    as_at: dt.date
    public: bool
    workstreams: list[WorkstreamYear] = field(default_factory=list)
    reviews: tuple[ReviewRow, ...] = ()
    community: CommunityFigures | None = None
    indicators: list[IndicatorYear] = field(default_factory=list)
    lenses: tuple[LensRow, ...] = ()
    duty: list[DueItem] = field(default_factory=list)
    local_definition: str = ""
    withheld_actions: int = 0


def year_bounds(year: str) -> tuple[dt.date, dt.date]:
    """'2026/27' -> 01/04/2026 to 31/03/2027."""
    text = str(year or "").strip()
    if " " in text:
        raise ValidationError(f"Year '{year}' should be a financial year such as 2026/27.", "year")
    start = period_start(text)
    return start, dt.date(start.year + 1, 3, 31)


def community_figures(session: Session, start: dt.date, end: dt.date) -> CommunityFigures | None:
    """Sessions held, people reached and community members trained between ``start`` and
    ``end`` (conversations, Champions workshops and youth panel sessions all reach people);
    None when nothing of the kind was recorded in the year."""
    from ..model.community import ChampionsWorkshop, CommunitySession, TrainedMember, YouthSession

    def held(cls: Any) -> tuple[int, int]:
        n, people = session.execute(
            select(func.count(), func.coalesce(func.sum(cls.participants), 0))
            .where(cls.held_on >= start, cls.held_on <= end)).one()
        return int(n), int(people)

    conversations, workshops, youth = held(CommunitySession), held(ChampionsWorkshop), held(YouthSession)
    trained = int(session.scalar(select(func.count()).select_from(TrainedMember).where(
        TrainedMember.trained_on >= start, TrainedMember.trained_on <= end)) or 0)
    if not (conversations[0] or workshops[0] or youth[0] or trained):
        return None
    notes = (f"{conversations[0]} community conversations ({conversations[1]} people), "
             f"{workshops[0]} Community Champions workshops ({workshops[1]} people) and "
             f"{youth[0]} youth panel sessions ({youth[1]} young people).",)
    return CommunityFigures(conversations[0] + workshops[0] + youth[0],
                            conversations[1] + workshops[1] + youth[1], trained, notes)


def _completed_in(a: Action, start: dt.date, end: dt.date) -> bool:
    return a.status.is_complete and a.completed_on is not None and start <= a.completed_on <= end


def _workstreams(session: Session, actions: list[Action], start: dt.date, end: dt.date,
                 at: dt.date) -> list[WorkstreamYear]:
    out = []
    for w in session.scalars(select(Workstream).order_by(Workstream.position, Workstream.code)):
        live = [a for a in actions if a.workstream_id == w.id and a.status is not ActionStatus.DROPPED]
        open_ = [a for a in live if a.status.is_open]
        out.append(WorkstreamYear(
            w.code, w.name, len(live), sum(_completed_in(a, start, end) for a in live), len(open_),
            sum(a.is_overdue(at) for a in open_),
            sum(a.percent_complete for a in live) / len(live) if live else 0.0))
    return out


def _trend(series: list[tuple[str, float]], higher: bool) -> str:
    if len(series) < 2:
        return "Not enough data"
    delta = series[-1][1] - series[-2][1]
    if delta == 0:
        return "No change"
    return "Improving" if (delta > 0) == higher else "Worsening"


def _indicator(i: Indicator, start: dt.date, end: dt.date) -> IndicatorYear:
    series = [(v.period, v.value) for v in i.values if v.period_start <= end]
    year = [v for v in i.values if start <= v.period_start <= end]
    last = series[-1][1] if series else None
    if i.target is None or last is None:
        state = "No target" if i.target is None else "No data"
    else:
        state = "Target met" if i.status_of(last) == "met" else "Target not met"
    groups = tuple((v.period, tuple(GroupShare(g.tag.label, g.value, g.value / v.value if v.value else None)
                                    for g in v.by_group)) for v in year if v.by_group)
    return IndicatorYear(i.code, i.name, i.unit, i.higher_is_better, i.target, tuple(series),
                         tuple((v.period, v.value) for v in year), state,
                         _trend(series, i.higher_is_better),
                         ", ".join(t.label for t in i.tags), groups)


def annual_report_data(session: Session, year: str, *, public: bool = False,
                       today: dt.date | None = None) -> AnnualReport:
    start, end = year_bounds(year)
    today = today or dt.date.today()
    at = min(today, end)
    board = the_board(session)
    q = select(Action).options(selectinload(Action.tags)).order_by(Action.reference)
    actions = list(session.scalars(q))
    withheld = 0
    if public:
        items = _excluded_items(session)
        decisions = _excluded_decisions(session, items)
        kept = [a for a in actions if _public_ok(a, items, decisions)]
        withheld, actions = len(actions) - len(kept), kept
    rec = get_duty(session, SYSTEM)  # the report's reader was checked by its caller
    return AnnualReport(
        board.name, board.council, year.strip(), start, end, at, public,
        _workstreams(session, actions, start, end, at), review_rows(session, public, at),
        community_figures(session, start, end),
        [_indicator(i, start, end) for i in indicators_with_groups(session)],
        lens_rows(session, actions, at), status(rec, at),
        rec.local_definition if rec else "", withheld)
