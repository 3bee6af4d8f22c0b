"""The plain records a board pack or a set of minutes is made of (see pack_data)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import RAG
from .lenses import LensRow
from .meetings import EXEMPT_PARAGRAPHS
from .pack_community import CommunityPack
from .pack_reviews import ReviewRow


@dataclass(frozen=True)
class MeetingInfo:
    id: int
    title: str
    starts_at: dt.datetime
    venue: str
    status: str
    chair: str
    final: bool
    ends_at: dt.datetime | None = None  # when the meeting closed, once recorded

    @property
    def date(self) -> str:
        return f"{self.starts_at:%d/%m/%Y}"

    @property
    def time(self) -> str:
        return f"{self.starts_at:%H:%M}"

    @property
    def end_time(self) -> str:
        return f"{self.ends_at:%H:%M}" if self.ends_at else ""


@dataclass(frozen=True)
class ItemRow:
    number: int
    title: str
    presenter: str
    minutes: int
    part: int
    exempt_paragraph: int | None
    withheld: bool  # public version: only number, title and exempt paragraph are shown
    papers: tuple[str, ...] = ()
    sensitive: bool = False  # exempt, or carries an OFFICIAL-SENSITIVE paper (full version)

    @property
    def exempt_text(self) -> str:
        if self.exempt_paragraph is None:
            return ""
        return (f"Exempt under paragraph {self.exempt_paragraph} of Schedule 12A to the Local "
                f"Government Act 1972: {EXEMPT_PARAGRAPHS[self.exempt_paragraph]}.")


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    role: str
    status: str
    substitute: str = ""
    note: str = ""


@dataclass(frozen=True)
class DeclarationRow:
    name: str
    item: str
    interest_type: str
    nature: str
    dispensation: str
    exempt: bool = False    # made on an exempt (Part 2) item
    withheld: bool = False  # public version of such a declaration: name and item number only


@dataclass(frozen=True)
class ActionRow:
    reference: str
    title: str
    workstream: str
    owner: str
    due: dt.date | None
    overdue: bool
    inconsistent: bool
    status: str
    rag: RAG
    percent: int
    latest_update: str = ""
    latest_update_on: dt.date | None = None
    completed_on: dt.date | None = None
    signed_off: str = ""


@dataclass(frozen=True)
class MinuteItem:
    item: ItemRow
    discussion: str
    decisions: tuple[str, ...]
    actions: tuple[ActionRow, ...]
    number: str = ""  # the minute number, "12/26" (services/minute_record.py)


@dataclass(frozen=True)
class SignedState:
    signed: bool
    by: str = ""
    at: dt.datetime | None = None
    approved_at: str = ""  # the meeting at which they were approved, "dd/mm/yyyy"

    def describe(self) -> str:
        if not self.signed or self.at is None:
            return "Not yet signed: for approval as a correct record."
        at = self.at.astimezone().strftime("%d/%m/%Y at %H:%M")
        where = f" at the meeting of {self.approved_at}" if self.approved_at else ""
        return f"Approved as a correct record{where} and signed by {self.by} on {at}."


@dataclass(frozen=True)
class MinutesData:
    board: str
    council: str
    meeting: MeetingInfo
    classification: str
    public: bool
    attendance: tuple[AttendanceRow, ...]
    quorum: str
    declarations: tuple[DeclarationRow, ...]
    items: tuple[MinuteItem, ...]
    other_actions: tuple[ActionRow, ...]
    signed: SignedState
    secretariat: str


@dataclass(frozen=True)
class Moved:
    on: dt.date
    reference: str
    text: str


@dataclass(frozen=True)
class Highlight:
    code: str
    name: str
    lead: str
    mean_percent: float
    by_rag: dict[RAG, int]
    open: int
    overdue: int
    awaiting: int
    completed_since: int
    moved: tuple[Moved, ...]
    moved_total: int
    at_risk: tuple[ActionRow, ...]
    at_risk_total: int


@dataclass(frozen=True)
class IndicatorRow:
    code: str
    name: str
    unit: str
    higher_is_better: bool
    target: float | None
    series: tuple[tuple[str, float], ...]

    @property
    def latest(self) -> tuple[str, float] | None:
        return self.series[-1] if self.series else None

    @property
    def trend(self) -> str:
        if len(self.series) < 2:
            return "Not enough data"
        delta = self.series[-1][1] - self.series[-2][1]
        if delta == 0:
            return "No change"
        better = delta > 0 if self.higher_is_better else delta < 0
        return "Improving" if better else "Worsening"

    @property
    def status(self) -> str:
        if self.target is None or not self.series:
            return "No target" if self.target is None else "No data"
        v = self.series[-1][1]
        good = v >= self.target if self.higher_is_better else v <= self.target
        return "Target met" if good else "Target not met"


@dataclass(frozen=True)
class PaperRow:
    item_number: int
    item_title: str
    title: str
    file_name: str
    classification: str
    id: int = 0
    kind: str = "pdf"          # see vrboard/pdf/paperfile.py
    pages: int | None = None   # a PDF's page count
    size: int | None = None
    sha256: str | None = None  # None: the file went missing (migration 0008)
    data: bytes | None = field(default=None, repr=False)  # the file, for merging into the pack

    @property
    def missing(self) -> bool:
        return self.sha256 is None


@dataclass(frozen=True)
class WorkstreamActions:
    code: str
    name: str
    actions: tuple[ActionRow, ...]


@dataclass
class PackData:
    board: str
    short_name: str
    council: str
    meeting: MeetingInfo
    classification: str
    public: bool
    today: dt.date
    secretariat: str
    agenda: tuple[ItemRow, ...]
    attendance: tuple[AttendanceRow, ...]
    quorum: str
    declarations: tuple[DeclarationRow, ...]
    previous: MinutesData | None
    since: dt.date | None
    open_by_workstream: tuple[WorkstreamActions, ...]
    awaiting: tuple[ActionRow, ...]
    completed: tuple[ActionRow, ...]
    highlights: tuple[Highlight, ...]
    indicators: tuple[IndicatorRow, ...]
    papers: tuple[PaperRow, ...]
    includes_exempt: bool = field(default=False)
    previous_withheld: bool = field(default=False)  # public: the whole previous meeting is sensitive
    reviews: tuple[ReviewRow, ...] = field(default=())
    lenses: tuple[LensRow, ...] = field(default=())  # actions by domain and by tag
    community: CommunityPack | None = field(default=None)
