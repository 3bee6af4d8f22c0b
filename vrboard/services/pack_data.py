"""Everything a board pack or a set of minutes needs, gathered as plain data.

No Qt and no reportlab here: the PDF writers only lay out what these functions return.
With ``public=True`` the exempt (Part 2) and OFFICIAL-SENSITIVE content is filtered out
HERE, at the data level, so nothing sensitive can ever reach a renderer: Part 2 items keep
only their number, title and exempt paragraph; their minutes, decisions, papers and the
actions raised from them are dropped, as are OFFICIAL-SENSITIVE papers and items. A
declaration on an exempt item keeps only who declared and the item's number.

The marking of each document is the highest marking of everything it ends up containing
(``services.access.marking``): the meeting, its items and papers, the declarations, the
actions listed (an action raised from a Part 2 item is OFFICIAL-SENSITIVE) and, in a
pack, the previous meeting's minutes. The writers show it on the cover, on every page and
in the PDF's metadata.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import RuleViolation
from ..model import (
    RAG,
    Action,
    ActionStatus,
    AgendaItem,
    AuditEntry,
    BoardRole,
    Classification,
    Indicator,
    Meeting,
    MeetingStatus,
    Minute,
    Paper,
    ProgressUpdate,
    Workstream,
)
from . import common as c
from .access import item_is_exempt, marking, part2_action_owners
from .board import current_members, the_board
from .lenses import lens_rows
from .meetings import quorum, signed_by
from .minute_record import minute_numbers
from .pack_community import community_pack
from .pack_reviews import review_rows
from .pack_rows import (
    ActionRow,
    AttendanceRow,
    DeclarationRow,
    Highlight,
    IndicatorRow,
    ItemRow,
    MeetingInfo,
    MinuteItem,
    MinutesData,
    Moved,
    PackData,
    PaperRow,
    SignedState,
    WorkstreamActions,
)
from .queries import OPEN, previous_meeting

OS = Classification.OFFICIAL_SENSITIVE
WITHHELD_DECLARATION = "Interest declared on an exempt item; the details are not published."

MAX_LISTED = 10
_STATUS_PREFIX = "Status changed: "
# Status changes worth reporting as movement (starting work shows in the progress updates).
_NOTABLE = {ActionStatus.AWAITING_SIGN_OFF.value, ActionStatus.SIGNED_OFF.value,
            ActionStatus.DROPPED.value}  # per list in a highlight report; the action log carries the rest


# --- helpers -----------------------------------------------------------------------------------


def _sensitive(item: AgendaItem) -> bool:
    return item_is_exempt(item.part, item.classification)


def _load_meeting(session: Session, meeting_id: int, public: bool) -> Meeting:
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    if public and meeting.classification is Classification.OFFICIAL_SENSITIVE:
        raise RuleViolation(
            f"The meeting of {meeting.starts_at:%d/%m/%Y} is classified OFFICIAL-SENSITIVE as a "
            "whole, so it has no public version. Change the meeting's classification first if "
            "only some items are exempt.")
    return meeting


def _meeting_info(m: Meeting) -> MeetingInfo:
    return MeetingInfo(m.id, m.title, m.starts_at, m.venue, m.status.label,
                       m.chaired_by.name if m.chaired_by else "", m.pack_final, m.ends_at)


def _item_row(item: AgendaItem, public: bool) -> ItemRow:
    withheld = public and _sensitive(item)
    papers = [] if withheld else [
        p for p in item.papers
        if not (public and p.classification is Classification.OFFICIAL_SENSITIVE)]
    sensitive = _sensitive(item) or any(p.classification is OS for p in papers)
    return ItemRow(item.position, item.title, "" if withheld else item.presenter,
                   0 if withheld else item.minutes_allotted, item.part, item.exempt_paragraph,
                   withheld, tuple(p.title for p in papers), sensitive)


def _content_marking(meeting: Meeting, items: list[ItemRow], papers: tuple[PaperRow, ...],
                     declarations: tuple[DeclarationRow, ...], actions: bool,
                     previous: MinutesData | None = None) -> str:
    """The highest marking of what a document contains. ``actions``: it lists an action
    raised from a Part 2 item."""
    marks: list[Classification | str] = [meeting.classification]
    marks += [OS for i in items if i.sensitive and not i.withheld]
    marks += [p.classification for p in papers]
    marks += [OS for d in declarations if d.exempt and not d.withheld]
    if actions:
        marks.append(OS)
    if previous is not None:
        marks.append(previous.classification)
    return marking(marks).value


def _secretariat(session: Session) -> str:
    board = the_board(session)
    names = [m.person.name for m in board.memberships if m.role is BoardRole.SECRETARIAT]
    return names[0] if names else "The board secretariat"


def _action_row(a: Action, today: dt.date) -> ActionRow:
    latest = a.updates[-1] if a.updates else None
    last_sign = next((s for s in reversed(a.sign_offs) if s.kind.value == "signed_off"), None)
    signed = f"{last_sign.by.name}, {last_sign.at.astimezone():%d/%m/%Y}" if (
        last_sign and a.status is ActionStatus.SIGNED_OFF) else ""
    return ActionRow(
        a.reference, a.title, a.workstream.code, a.owner.name if a.owner else "",
        a.effective_due, a.is_overdue(today), a.is_inconsistent(today), a.status.label, a.rag,
        a.percent_complete, latest.text if latest else "", latest.on_date if latest else None,
        a.completed_on, signed)


def _excluded_items(session: Session) -> set[int]:
    """Agenda items (any meeting) whose actions stay out of a public document."""
    rows = session.execute(select(AgendaItem.id, AgendaItem.part, AgendaItem.classification))
    return {i for i, part, cls in rows if part == 2 or cls is Classification.OFFICIAL_SENSITIVE}


def _excluded_decisions(session: Session, items: set[int]) -> set[int]:
    if not items:
        return set()
    q = select(Minute).where(Minute.agenda_item_id.in_(items)).options(selectinload(Minute.decisions))
    return {d.id for m in session.scalars(q) for d in m.decisions}


def _action_query():  # noqa: ANN202 - a SQLAlchemy Select
    return select(Action).options(
        selectinload(Action.owner), selectinload(Action.workstream),
        selectinload(Action.updates), selectinload(Action.sign_offs),
    ).order_by(Action.reference)


def _public_ok(a: Action, items: set[int], decisions: set[int]) -> bool:
    return a.raised_item_id not in items and a.decision_id not in decisions


# --- minutes -----------------------------------------------------------------------------------


def _attendance(session: Session, meeting: Meeting) -> tuple[AttendanceRow, ...]:
    on = meeting.starts_at.date()
    roles = {m.person_id: m.role.label for m in current_members(session, on)}
    recorded = {a.person_id: a for a in meeting.attendance}
    rows = []
    for m in current_members(session, on):
        a = recorded.pop(m.person_id, None)
        status = a.status.label if a else ("Not yet recorded" if meeting.status is
                                           MeetingStatus.PLANNED else "Not recorded")
        rows.append(AttendanceRow(m.person.name, m.role.label, status,
                                  a.substitute.name if a and a.substitute else "",
                                  a.note if a else ""))
    for a in recorded.values():
        rows.append(AttendanceRow(a.person.name, roles.get(a.person_id, "In attendance"),
                                  a.status.label, a.substitute.name if a.substitute else "", a.note))
    return tuple(rows)


def _declarations(meeting: Meeting, public: bool) -> tuple[DeclarationRow, ...]:
    """The declarations; in a public document one on an exempt item names who declared and
    the item's number, nothing more."""
    rows = []
    for d in meeting.declarations:
        exempt = d.item is not None and _sensitive(d.item)
        if public and exempt:
            rows.append(DeclarationRow(d.person.name, f"Item {d.item.position}", "",
                                       WITHHELD_DECLARATION, "", exempt=True, withheld=True))
            continue
        rows.append(DeclarationRow(
            d.person.name, f"Item {d.item.position}: {d.item.title}" if d.item else "General",
            d.interest_type, d.nature, d.dispensation, exempt=exempt))
    return tuple(rows)


def _quorum_text(session: Session, meeting: Meeting) -> str:
    if meeting.status is MeetingStatus.PLANNED:
        return f"{meeting.quorum} needed (voting members or their substitutes)"
    return quorum(session, meeting).describe()


def _signed(meeting: Meeting) -> SignedState:
    if not meeting.minutes_locked:
        return SignedState(False)
    by = signed_by(meeting) or "the chair"
    at = meeting.minutes_approved_at
    return SignedState(True, by, meeting.minutes_signed_at, f"{at.starts_at:%d/%m/%Y}" if at else "")


def minutes_data(session: Session, meeting_id: int, *, public: bool = False,
                 today: dt.date | None = None) -> MinutesData:
    """The minutes of one meeting, ready to lay out."""
    today = today or dt.date.today()
    meeting = _load_meeting(session, meeting_id, public)
    board = the_board(session)
    items_out = set(_excluded_items(session)) if public else set()
    decisions_out = _excluded_decisions(session, items_out)
    raised = list(session.scalars(_action_query().where(Action.raised_meeting_id == meeting.id)))
    item_ids = {i.id for i in meeting.items}
    by_decision = {d.id: i.id for i in meeting.items if i.minute for d in i.minute.decisions}
    per_item: dict[int, list[ActionRow]] = {}
    other: list[ActionRow] = []
    for a in raised:
        if public and not _public_ok(a, items_out, decisions_out):
            continue
        item_id = a.raised_item_id if a.raised_item_id in item_ids else by_decision.get(a.decision_id or -1)
        (per_item.setdefault(item_id, []) if item_id else other).append(_action_row(a, today))
    items = []
    for item, number in zip(meeting.items, minute_numbers(session, meeting), strict=True):
        row = _item_row(item, public)
        if row.withheld:
            items.append(MinuteItem(row, "", (), (), number))
            continue
        minute = item.minute
        items.append(MinuteItem(row, minute.discussion if minute else "",
                                tuple(d.text for d in minute.decisions) if minute else (),
                                tuple(per_item.get(item.id, ())), number))
    declarations = _declarations(meeting, public)
    part2 = set(part2_action_owners(session))
    listed = [a for a in raised if not public or _public_ok(a, items_out, decisions_out)]
    mark = _content_marking(meeting, [i.item for i in items], (), declarations,
                            any(a.id in part2 for a in listed))
    return MinutesData(
        board.name, board.council, _meeting_info(meeting), mark, public,
        _attendance(session, meeting), _quorum_text(session, meeting),
        declarations, tuple(items), tuple(other), _signed(meeting), _secretariat(session))


# --- the pack ----------------------------------------------------------------------------------


def _moved(session: Session, since: dt.date | None, until: dt.date, keep: set[int],
           refs: dict[int, tuple[str, int]]) -> dict[int, list[Moved]]:
    """Per workstream id: progress updates and status changes since ``since``."""
    out: dict[int, list[Moved]] = {}
    q = select(ProgressUpdate).where(ProgressUpdate.on_date <= until,
                                     ProgressUpdate.action_id.in_(keep))
    if since is not None:
        q = q.where(ProgressUpdate.on_date > since)
    for u in session.scalars(q.order_by(ProgressUpdate.on_date, ProgressUpdate.id)):
        ref, ws = refs[u.action_id]
        extra = ", ".join(x for x in (f"{u.percent}%" if u.percent is not None else "",
                                      u.rag.label if u.rag else "") if x)
        out.setdefault(ws, []).append(Moved(u.on_date, ref, f"{u.text}" + (f" ({extra})" if extra else "")))
    q2 = select(AuditEntry).where(AuditEntry.entity == "action", AuditEntry.field == "status",
                                  AuditEntry.entity_id.in_(keep))
    if since is not None:
        q2 = q2.where(AuditEntry.at >= dt.datetime.combine(since + dt.timedelta(days=1), dt.time(),
                                                           tzinfo=dt.UTC))
    for e in session.scalars(q2.order_by(AuditEntry.at, AuditEntry.id)):
        if e.entity_id not in refs or e.new_value is None:
            continue
        if e.new_value not in _NOTABLE and e.old_value not in _NOTABLE:
            continue
        ref, ws = refs[e.entity_id]
        new = ActionStatus(e.new_value).label
        old = ActionStatus(e.old_value).label if e.old_value else "new"
        out.setdefault(ws, []).append(Moved(e.at.date(), ref, f"{_STATUS_PREFIX}{old} → {new}."))
    for ws, moves in out.items():
        moves.sort(key=lambda m: (m.on, m.reference), reverse=True)
        out[ws] = _merge_status_changes(moves)
    return out


def _merge_status_changes(moves: list[Moved]) -> list[Moved]:
    """One line per action and day for a chain of status changes (A → B, B → C: A → B → C)."""
    kept: list[tuple[Moved, list[str] | None]] = []
    chains: dict[tuple[dt.date, str], list[str]] = {}
    for m in reversed(moves):  # oldest first
        if not m.text.startswith(_STATUS_PREFIX):
            kept.append((m, None))
            continue
        old, new = m.text[len(_STATUS_PREFIX):].rstrip(".").split(" → ")
        chain = chains.get((m.on, m.reference))
        if chain is not None and chain[-1] == old:
            chain.append(new)
            continue
        chains[(m.on, m.reference)] = chain = [old, new]
        kept.append((m, chain))
    merged = [Moved(m.on, m.reference, _STATUS_PREFIX + " → ".join(chain) + ".") if chain else m
              for m, chain in kept]
    return list(reversed(merged))


def _indicators(session: Session) -> tuple[IndicatorRow, ...]:
    q = (select(Indicator).where(Indicator.retired_on.is_(None))  # retired: history only
         .options(selectinload(Indicator.values)).order_by(Indicator.code))
    return tuple(IndicatorRow(i.code, i.name, i.unit, i.higher_is_better, i.target,
                              tuple((v.period, v.value) for v in i.values))
                 for i in session.scalars(q))


def _papers(session: Session, meeting: Meeting, public: bool) -> tuple[PaperRow, ...]:
    """The papers the pack lists and merges, in agenda order. The public pack keeps only
    papers of Part 1 items that are not OFFICIAL-SENSITIVE (neither item nor paper)."""
    keep: list[tuple[AgendaItem, Paper]] = []
    for item in meeting.items:
        if public and _sensitive(item):
            continue
        for p in item.papers:
            if public and p.classification is Classification.OFFICIAL_SENSITIVE:
                continue
            keep.append((item, p))
    ids = [p.id for _, p in keep if not p.missing]
    data = {pid: content for pid, content in session.execute(
        select(Paper.id, Paper.content).where(Paper.id.in_(ids)))} if ids else {}
    return tuple(PaperRow(item.position, item.title, p.title, p.file_name, p.classification.value,
                          p.id, p.kind, p.pages, p.size, p.sha256, data.get(p.id))
                 for item, p in keep)


def pack_data(session: Session, meeting_id: int, *, public: bool = False,
              today: dt.date | None = None) -> PackData:
    """Everything the board pack for ``meeting_id`` shows, filtered when ``public``."""
    today = today or dt.date.today()
    meeting = _load_meeting(session, meeting_id, public)
    board = the_board(session)
    prev = previous_meeting(session, meeting)
    since = prev.starts_at.date() if prev else None
    prev_withheld = bool(public and prev and prev.classification is Classification.OFFICIAL_SENSITIVE)
    items_out = _excluded_items(session) if public else set()
    decisions_out = _excluded_decisions(session, items_out)
    actions = [a for a in session.scalars(_action_query())
               if not public or _public_ok(a, items_out, decisions_out)]
    workstreams = list(session.scalars(select(Workstream).options(selectinload(Workstream.lead))
                                       .order_by(Workstream.position, Workstream.code)))
    rows = {a.id: _action_row(a, today) for a in actions}
    open_by = {w.id: [] for w in workstreams}  # type: dict[int, list[ActionRow]]
    awaiting, completed = [], []
    completed_by: dict[int, int] = {}
    for a in actions:
        if a.status in OPEN:
            open_by.setdefault(a.workstream_id, []).append(rows[a.id])
        elif a.status is ActionStatus.AWAITING_SIGN_OFF:
            awaiting.append(rows[a.id])
        if a.status.is_complete and (since is None or (a.completed_on and a.completed_on > since) or any(
                s.at.date() > since for s in a.sign_offs)):
            # Counted as the action log lists them: signed off (awaiting sign-off is its own line).
            if a.status is ActionStatus.SIGNED_OFF:
                completed.append(rows[a.id])
                completed_by[a.workstream_id] = completed_by.get(a.workstream_id, 0) + 1
    refs = {a.id: (a.reference, a.workstream_id) for a in actions}
    moved = _moved(session, since, today, set(refs), refs)
    highlights = []
    for w in workstreams:
        mine = [a for a in actions if a.workstream_id == w.id]
        live = [a for a in mine if a.status is not ActionStatus.DROPPED]
        open_rows = open_by.get(w.id, [])
        risk = [r for r in open_rows if r.rag is RAG.RED or r.overdue]
        risk.sort(key=lambda r: (r.rag is not RAG.RED, not r.overdue, r.due or dt.date.max))
        by_rag = {r: sum(1 for x in open_rows if x.rag is r) for r in RAG}
        wm = moved.get(w.id, [])
        highlights.append(Highlight(
            w.code, w.name, w.lead.name if w.lead else "",
            sum(a.percent_complete for a in live) / len(live) if live else 0.0, by_rag,
            len(open_rows), sum(1 for r in open_rows if r.overdue),
            sum(1 for a in mine if a.status is ActionStatus.AWAITING_SIGN_OFF),
            completed_by.get(w.id, 0), tuple(wm[:MAX_LISTED]), len(wm), tuple(risk[:MAX_LISTED]),
            len(risk)))
    agenda = [_item_row(i, public) for i in meeting.items]
    declarations = _declarations(meeting, public)
    previous = (minutes_data(session, prev.id, public=public, today=today)
                if prev and not prev_withheld else None)
    papers = _papers(session, meeting, public)
    part2 = set(part2_action_owners(session))
    mark = _content_marking(meeting, agenda, papers, declarations,
                            any(a.id in part2 for a in actions), previous)
    reviews = review_rows(session, public, today)
    if not public and any(r.exempt for r in reviews):
        mark = OS.value  # the full pack carries an exempt (case) review
    return PackData(
        board.name, board.short_name, board.council, _meeting_info(meeting),
        mark, public, today, _secretariat(session),
        tuple(agenda), _attendance(session, meeting),
        _quorum_text(session, meeting), declarations,
        previous, since,
        tuple(WorkstreamActions(w.code, w.name, tuple(open_by.get(w.id, []))) for w in workstreams),
        tuple(awaiting), tuple(completed), tuple(highlights), _indicators(session),
        papers,
        includes_exempt=not public and mark == OS.value,
        previous_withheld=prev_withheld, reviews=reviews, lenses=lens_rows(session, actions, today),
        community=community_pack(session))
