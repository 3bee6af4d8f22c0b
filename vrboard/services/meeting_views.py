"""Read-only views for the Board and Meetings pages: plain frozen rows, no ORM objects.

The pages read through short sessions; handing them detached ORM objects would invite
lazy loads after the session closed. These functions load everything a page shows in one
go and return immutable dataclasses (Qt-free, so the command line could use them too).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..model import (
    AccessRole,
    Action,
    AgendaItem,
    AttendanceStatus,
    BoardRole,
    Classification,
    Declaration,
    Meeting,
    MeetingStatus,
    Membership,
    Minute,
    Person,
    Workstream,
)
from . import queries
from .access import Access, access_for, exempt_text, item_is_exempt, paper_is_exempt
from .board import board_warnings, the_board
from .context import Actor
from .cycle import describe_due
from .forward_plan import waiting
from .meetings import Quorum, quorum, signed_by
from .quorum import describe_rule

ROLE_ORDER = {r: n for n, r in enumerate(BoardRole)}


# --- the board ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberRow:
    membership_id: int
    version: int
    person_id: int
    person_version: int
    name: str
    job_title: str
    organisation: str
    email: str
    login: str
    access_role: AccessRole
    role: BoardRole
    voting: bool
    term_start: dt.date
    term_end: dt.date | None
    substitute_id: int | None
    substitute_name: str
    notes: str
    state: str  # "Current", "Ending soon", "Ended", "Starts later"

    @property
    def current(self) -> bool:
        return self.state in ("Current", "Ending soon")


@dataclass(frozen=True)
class BoardView:
    name: str
    quorum: str  # "3" or "one third of the voting members"
    members: tuple[MemberRow, ...]
    warnings: tuple[str, ...]
    acting_chair_id: int | None
    acting_chair_name: str
    vice_chairs: tuple[tuple[int, str], ...]  # current vice-chairs (person id, name)


def _state(m: Membership, on: dt.date) -> str:
    if m.term_start > on:
        return "Starts later"
    if m.term_end is not None and m.term_end < on:
        return "Ended"
    if m.term_end is not None and m.term_end <= on + dt.timedelta(days=60):
        return "Ending soon"
    return "Current"


def board_view(session: Session, on: dt.date | None = None) -> BoardView:
    on = on or dt.date.today()
    board = the_board(session)
    rows = session.scalars(
        select(Membership).where(Membership.board_id == board.id)
        .options(selectinload(Membership.person), selectinload(Membership.named_substitute))
    ).all()
    members = tuple(sorted(
        (MemberRow(
            m.id, m.version, m.person_id, m.person.version, m.person.name, m.person.job_title,
            m.person.organisation, m.person.email, m.person.login or "", m.person.access_role,
            m.role, m.voting, m.term_start, m.term_end, m.named_substitute_id,
            m.named_substitute.name if m.named_substitute else "", m.notes, _state(m, on))
         for m in rows),
        key=lambda r: (not r.current, ROLE_ORDER[r.role], r.name.casefold(), r.term_start)))
    vice = tuple((r.person_id, r.name) for r in members
                 if r.current and r.role is BoardRole.VICE_CHAIR)
    quorum_text = (describe_rule(board.default_quorum, board.quorum_fraction)
                   if board.quorum_fraction else str(board.default_quorum))
    return BoardView(board.name, quorum_text, members, tuple(board_warnings(session, on)),
                     board.acting_chair_id,
                     board.acting_chair.name if board.acting_chair else "", vice)


def people_choices(session: Session, active_only: bool = True) -> list[tuple[int, str]]:
    q = select(Person.id, Person.name).order_by(Person.name)
    if active_only:
        q = q.where(Person.active.is_(True))
    return [(pid, name) for pid, name in session.execute(q)]


def workstream_choices(session: Session) -> list[tuple[int, str]]:
    q = select(Workstream.id, Workstream.code, Workstream.name).order_by(
        Workstream.position, Workstream.code)
    return [(wid, f"{code} {name}") for wid, code, name in session.execute(q)]


# --- meetings -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MeetingSummary:
    id: int
    starts_at: dt.datetime
    title: str
    status: MeetingStatus
    venue: str
    classification: Classification
    locked: bool
    items: int


def list_meetings(session: Session) -> list[MeetingSummary]:
    meetings = session.scalars(
        select(Meeting).options(selectinload(Meeting.items)).order_by(Meeting.starts_at.desc())
    ).all()
    return [MeetingSummary(m.id, m.starts_at, m.title, m.status, m.venue, m.classification,
                           m.minutes_locked, len(m.items)) for m in meetings]


@dataclass(frozen=True)
class PaperView:
    id: int
    title: str
    file_name: str
    kind: str
    pages: int | None
    size: int | None
    classification: Classification
    missing: bool = False
    source_path: str = ""
    withheld: bool = False  # exempt and the reader is not entitled: title is the exempt notice

    @property
    def describe(self) -> str:
        if self.withheld:
            return "Withheld"
        if self.missing:
            return f"{self.file_name}: file missing, attach it again"
        size = f"{(self.size or 0) / 1024:,.0f} KB"
        pages = f", {self.pages} page{'s' if self.pages != 1 else ''}" if self.pages else ""
        return f"{self.file_name} ({size}{pages})"


@dataclass(frozen=True)
class DecisionView:
    id: int
    position: int
    text: str
    actions: tuple[str, ...]  # references of actions raised from this decision
    action_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ItemView:
    id: int
    version: int
    position: int
    title: str
    presenter: str
    minutes_allotted: int
    part: int
    exempt_paragraph: int | None
    classification: Classification
    workstream_id: int | None
    workstream: str
    papers: tuple[PaperView, ...]
    minute_version: int | None
    discussion: str
    decisions: tuple[DecisionView, ...]
    withheld: bool = False  # exempt and the reader is not entitled: texts are the exempt notice
    no_paper: bool = False  # procedural: the pack checklist asks for no paper

    @property
    def label(self) -> str:
        return f"{self.position}. {self.title}"


@dataclass(frozen=True)
class AttendanceView:
    person_id: int
    name: str
    role: str  # board role label, or "Not a member" for someone recorded who is not one
    voting: bool
    status: AttendanceStatus | None  # None: not recorded yet
    substitute_id: int | None
    substitute: str
    named_substitute_id: int | None


@dataclass(frozen=True)
class DeclarationView:
    id: int
    person: str
    item: str
    interest_type: str
    nature: str
    dispensation: str
    item_id: int | None = None
    withheld: bool = False  # on an exempt item, for a reader not entitled: name and item number only


@dataclass(frozen=True)
class PreviousMinutes:
    id: int
    version: int
    label: str
    status: MeetingStatus
    locked: bool
    signed_by: str
    signed_at: dt.datetime | None
    has_minutes: bool


@dataclass(frozen=True)
class MeetingDetail:
    id: int
    version: int
    title: str
    starts_at: dt.datetime
    venue: str
    status: MeetingStatus
    classification: Classification
    quorum_required: int
    pack_final: bool
    chaired_by_id: int | None
    chaired_by: str
    locked: bool
    signed_by: str
    signed_at: dt.datetime | None
    approved_at: str
    items: tuple[ItemView, ...]
    attendance: tuple[AttendanceView, ...]
    declarations: tuple[DeclarationView, ...]
    quorum: Quorum
    previous: PreviousMinutes | None
    pack_gaps: tuple[str, ...]
    entitled: bool = True  # False: exempt content below was replaced by the exempt notice
    pack_due: str = ""  # "Pack due by Thu 03/12/2026" (services/cycle.py); "" once held
    quorum_fraction: str = ""  # "1/3": the quorum is that fraction of the voting members
    planned_waiting: int = 0  # items planned for this meeting, not yet on its agenda
    ends_at: dt.datetime | None = None  # when the meeting closed, for its minutes

    @property
    def label(self) -> str:
        return f"{self.title} {self.starts_at:%d/%m/%Y}"

    def item(self, item_id: int) -> ItemView | None:
        return next((i for i in self.items if i.id == item_id), None)


def _has_minutes(m: Meeting) -> bool:
    return any(i.minute and (i.minute.discussion or i.minute.decisions) for i in m.items)


def meeting_detail(session: Session, meeting_id: int, actor: Actor | Access) -> MeetingDetail | None:
    """One meeting as ``actor`` may see it: for a reader not entitled to exempt information
    (see ``services.access``) the exempt items' titles, presenters, papers, minutes, decisions
    and declarations are replaced by the exempt notice here, before any page sees them."""
    access = actor if isinstance(actor, Access) else access_for(session, actor)
    m = session.scalars(
        select(Meeting).where(Meeting.id == meeting_id).options(
            selectinload(Meeting.items).selectinload(AgendaItem.papers),
            selectinload(Meeting.items).selectinload(AgendaItem.minute).selectinload(Minute.decisions),
            selectinload(Meeting.items).selectinload(AgendaItem.workstream),
            selectinload(Meeting.declarations),
            selectinload(Meeting.attendance),
        )
    ).first()
    if m is None:
        return None
    decision_ids = [d.id for i in m.items if i.minute for d in i.minute.decisions]
    raised: dict[int, list[tuple[int, str]]] = {}
    if decision_ids:
        for aid, ref, did in session.execute(
                select(Action.id, Action.reference, Action.decision_id)
                .where(Action.decision_id.in_(decision_ids)).order_by(Action.reference)):
            raised.setdefault(did, []).append((aid, ref))
    items = tuple(_item_view(i, raised, access.entitled) for i in m.items)
    prev = queries.previous_meeting(session, m)
    previous = None if prev is None else PreviousMinutes(
        prev.id, prev.version, prev.label, prev.status, prev.minutes_locked,
        signed_by(prev), prev.minutes_signed_at,
        _has_minutes(prev))
    return MeetingDetail(
        m.id, m.version, m.title, m.starts_at, m.venue, m.status, m.classification, m.quorum,
        m.pack_final, m.chaired_by_id, m.chaired_by.name if m.chaired_by else "",
        m.minutes_locked, signed_by(m),
        m.minutes_signed_at, m.minutes_approved_at.label if m.minutes_approved_at else "",
        items, _attendance(session, m),
        tuple(_declaration_view(d, access.entitled) for d in m.declarations),
        quorum(session, m), previous, tuple(queries.pack_gaps(session, m, access.entitled)),
        access.entitled,
        describe_due(m, session=session) if m.status is MeetingStatus.PLANNED else "",
        m.quorum_fraction, len(waiting(session, m.id)), m.ends_at)


def _item_view(i: AgendaItem, raised: dict[int, list[tuple[int, str]]], entitled: bool) -> ItemView:
    exempt = item_is_exempt(i.part, i.classification)
    hide = exempt and not entitled
    notice = exempt_text(i.exempt_paragraph)
    papers = tuple(
        PaperView(p.id, notice if hide else exempt_text(None), "", "", None, None,
                  p.classification, withheld=True)
        if not entitled and paper_is_exempt(exempt, p.classification)
        else PaperView(p.id, p.title, p.file_name, p.kind, p.pages, p.size, p.classification,
                       p.missing, p.source_path)
        for p in i.papers)
    decisions = tuple(DecisionView(d.id, d.position, notice if hide else d.text,
                                   tuple(r for _, r in raised.get(d.id, ())),
                                   tuple(a for a, _ in raised.get(d.id, ())))
                      for d in (i.minute.decisions if i.minute else ()))
    discussion = i.minute.discussion if i.minute else ""
    return ItemView(
        i.id, i.version, i.position, notice if hide else i.title, "" if hide else i.presenter,
        i.minutes_allotted, i.part, i.exempt_paragraph, i.classification, i.workstream_id,
        f"{i.workstream.code} {i.workstream.name}" if i.workstream else "", papers,
        i.minute.version if i.minute else None, notice if hide and discussion else discussion,
        decisions, hide, i.no_paper)


def _declaration_view(d: Declaration, entitled: bool) -> DeclarationView:
    item = d.item
    if item is not None and not entitled and item_is_exempt(item.part, item.classification):
        notice = exempt_text(item.exempt_paragraph)
        return DeclarationView(d.id, d.person.name, f"{item.position}. (exempt item)", "", notice,
                               "", d.agenda_item_id, True)
    return DeclarationView(d.id, d.person.name, f"{item.position}. {item.title}" if item
                           else "Whole meeting", d.interest_type, d.nature, d.dispensation,
                           d.agenda_item_id)


def paper_to_open(session: Session, actor: Actor, paper_id: int) -> str:
    """The file name of a paper ``actor`` may open (its bytes: ``services.papers.paper_file``);
    refuses an exempt paper to a reader who is not entitled (``services.access``)."""
    from ..errors import NotFound, PermissionDenied
    from ..model import Paper

    paper = session.get(Paper, paper_id)
    if paper is None:
        raise NotFound("That paper is no longer in the record.")
    item = paper.item
    exempt = item_is_exempt(item.part, item.classification)
    if paper_is_exempt(exempt, paper.classification):
        access = access_for(session, actor)
        if not access.entitled:
            raise PermissionDenied(
                f"This paper is {exempt_text(item.exempt_paragraph if exempt else None)}. "
                f"{access.reason}")
    return paper.file_name


def _attendance(session: Session, m: Meeting) -> tuple[AttendanceView, ...]:
    on = m.starts_at.date()
    board = the_board(session)
    recorded = {a.person_id: a for a in m.attendance}
    out: list[tuple[tuple, AttendanceView]] = []
    seen: set[int] = set()
    for ms in board.memberships:
        if not ms.is_current(on) or ms.person_id in seen:
            continue
        seen.add(ms.person_id)
        a = recorded.get(ms.person_id)
        view = AttendanceView(
            ms.person_id, ms.person.name, ms.role.label,
            ms.voting and ms.role is not BoardRole.SECRETARIAT,
            a.status if a else None, a.substitute_id if a else None,
            a.substitute.name if a and a.substitute else "", ms.named_substitute_id)
        out.append(((0, ROLE_ORDER[ms.role], ms.person.name.casefold()), view))
    for pid, a in recorded.items():
        if pid in seen:
            continue
        view = AttendanceView(pid, a.person.name, "Not a member", False, a.status, a.substitute_id,
                              a.substitute.name if a.substitute else "", None)
        out.append(((1, 0, a.person.name.casefold()), view))
    return tuple(v for _, v in sorted(out, key=lambda kv: kv[0]))


DECLARATION_TYPES = ("Disclosable pecuniary", "Other registrable", "Non-registrable")


_DECISION_LEAD = ("the board agreed that ", "the board agreed to ", "the board agreed ",
                  "the board resolved that ", "the board resolved to ", "agreed that ", "agreed: ",
                  "resolved that ", "resolved: ")


def action_title(decision: str, max_len: int = 300) -> str:
    """A title for an action raised from a decision: the decision without its minute-style
    opening ("The board AGREED that ..."), first letter capitalised, cut at a word."""
    text = " ".join(decision.split())
    low = text.lower()
    for lead in _DECISION_LEAD:
        if low.startswith(lead):
            text = text[len(lead):]
            break
    text = text.rstrip(".")
    if len(text) > max_len:
        cut = text[: max_len - 1].rsplit(" ", 1)[0]
        text = cut + "…"
    return text[:1].upper() + text[1:]
