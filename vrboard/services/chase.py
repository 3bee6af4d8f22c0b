"""Chasing owners: one e-mail per owner with open actions, their tracker workbook attached,
listing what is overdue and due soon and the date to return it by, replies going to the
secretariat. Written as drafts (.eml, opened by Outlook and Thunderbird ready to send) and,
when a mail server is given, sent. Each message drafted or sent is recorded in the audit
trail. Owners with no e-mail address are listed (their workbook is saved beside the drafts
to hand over), never skipped silently.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import ValidationError, VrboardError
from ..model import Action, BoardRole, Person
from ..progress import Progress, report
from .audit import record_event
from .board import the_board
from .context import Actor, Perm, require
from .cycle import working_day
from .queries import DUE_SOON_DAYS

RETURN_DAYS = 7


@dataclass
class ChaseResult:
    folder: Path
    return_by: dt.date
    drafted: list[tuple[str, Path]] = field(default_factory=list)   # (owner, .eml)
    sent: list[str] = field(default_factory=list)                    # owners e-mailed
    no_email: list[tuple[str, Path]] = field(default_factory=list)   # (owner, .xlsx to hand over)
    failed: str = ""  # the server's refusal, when sending stopped part-way


@dataclass(frozen=True)
class _Line:
    reference: str
    title: str
    due: dt.date
    status: str
    days: int  # late (>0) or to go


def default_return_by(today: dt.date) -> dt.date:
    day = today + dt.timedelta(days=RETURN_DAYS)
    while not working_day(day):
        day += dt.timedelta(days=1)
    return day


def _secretariat(session: Session, actor: Actor) -> tuple[str, str]:
    """(name, e-mail) replies go to: the acting person if they have an address, else the
    board's secretariat member."""
    me = session.get(Person, actor.person_id) if actor.person_id else None
    if me is not None and me.email:
        return me.name, me.email
    board = the_board(session)
    for m in board.memberships:
        if m.role is BoardRole.SECRETARIAT and m.person.email:
            return m.person.name, m.person.email
    raise ValidationError("Nobody has a secretariat e-mail address for replies: add your "
                          "e-mail address on the Board page first.", "email")


def _fmt(d: dt.date) -> str:
    return f"{d:%a %d/%m/%Y}"


def _bodies(board: str, owner: str, overdue: list[_Line], soon: list[_Line], total: int,
            return_by: dt.date, secretariat: str, file_name: str) -> tuple[str, str]:
    first = owner.split()[0] if owner else "colleague"
    text = [f"Dear {first},", "",
            f"Please update the attached tracker of your {total} open action"
            f"{'s' if total != 1 else ''} for the {board} and return it by "
            f"{_fmt(return_by)} (reply to this e-mail with the workbook attached).", ""]
    parts = []
    for title, lines, late in (("Overdue", overdue, True),
                               (f"Due in the next {DUE_SOON_DAYS} days", soon, False)):
        if not lines:
            continue
        text.append(f"{title}:")
        for ln in lines:
            when = f"{ln.days} day{'s' if ln.days != 1 else ''} late" if late else \
                f"in {ln.days} day{'s' if ln.days != 1 else ''}"
            text.append(f"  - {ln.reference} {ln.title} (due {ln.due:%d/%m/%Y}, {when}; "
                        f"{ln.status})")
        text.append("")
        rows = "".join(
            f"<tr><td>{html.escape(ln.reference)}</td><td>{html.escape(ln.title)}</td>"
            f"<td>{ln.due:%d/%m/%Y}</td><td>{html.escape(ln.status)}</td></tr>" for ln in lines)
        parts.append(f"<h3>{html.escape(title)}</h3><table border='1' cellpadding='4' "
                     "style='border-collapse:collapse'><tr><th>Reference</th><th>Action</th>"
                     f"<th>Due</th><th>Status</th></tr>{rows}</table>")
    if not overdue and not soon:
        text += ["Nothing is overdue or due in the next fortnight; a short update on each "
                 "action is still welcome.", ""]
        parts.append("<p>Nothing is overdue or due in the next fortnight; a short update on "
                     "each action is still welcome.</p>")
    text += [f"The tracker is {file_name}: follow its Instructions sheet; vrboard reads your "
             "changes back from it.", "", "Thank you,", secretariat]
    body = (f"<p>Dear {html.escape(first)},</p><p>Please update the attached tracker of your "
            f"{total} open action{'s' if total != 1 else ''} for the {html.escape(board)} and "
            f"return it by <b>{_fmt(return_by)}</b> (reply to this e-mail with the workbook "
            f"attached).</p>{''.join(parts)}<p>The tracker is {html.escape(file_name)}: follow "
            "its Instructions sheet; vrboard reads your changes back from it.</p><p>Thank you,<br>"
            f"{html.escape(secretariat)}</p>")
    return "\n".join(text), f"<html><body>{body}</body></html>"


def chase(session: Session, actor: Actor, folder: str | os.PathLike[str], *,
          overdue_only: bool = False, return_by: dt.date | None = None,
          today: dt.date | None = None, sender: object | None = None,
          progress: Progress | None = None) -> ChaseResult:
    """Draft (and, with an open ``mail.Sender``, send) one message per owner."""
    from ..excel.export import _safe_name, export_for_owner
    from ..mail import message, write_eml

    require(actor, Perm.EDIT_ACTIONS)
    require(actor, Perm.EXPORT)
    today = today or dt.date.today()
    return_by = return_by or default_return_by(today)
    if return_by < today:
        raise ValidationError(f"The return-by date {return_by:%d/%m/%Y} is in the past.",
                              "return_by")
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ValidationError(f"{out} is a file; give a folder for the drafts.", "out")
    out.mkdir(parents=True, exist_ok=True)
    board = the_board(session)
    sec_name, sec_email = _secretariat(session, actor)
    actions = session.scalars(select(Action).options(selectinload(Action.owner))
                              .where(Action.owner_id.is_not(None)).order_by(Action.reference))
    by_owner: dict[int, list[Action]] = {}
    for a in actions:
        if a.status.is_open:
            by_owner.setdefault(a.owner_id or 0, []).append(a)
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(by_owner)))}
    owners = sorted(by_owner, key=lambda pid: people[pid].name.lower())
    if overdue_only:
        owners = [pid for pid in owners if any(a.is_overdue(today) for a in by_owner[pid])]
    result = ChaseResult(out, return_by)
    with tempfile.TemporaryDirectory(prefix="vrboard-chase-") as tmp:
        for n, pid in enumerate(owners):
            person = people[pid]
            report(progress, n, len(owners), f"Preparing {person.name}'s tracker")
            mine = by_owner[pid]
            name = f"VRB actions - {_safe_name(person.name)}.xlsx"
            book = (out if not person.email else Path(tmp)) / name
            export_for_owner(session, actor, pid, book)
            if not person.email:
                result.no_email.append((person.name, book))
                record_event(session, actor, "person", pid, person.name, "chase",
                             f"no e-mail address: tracker saved as {book.name} to hand over")
                continue
            overdue = [_Line(a.reference, a.title, a.effective_due, a.status.label,
                             (today - a.effective_due).days)
                       for a in mine if a.effective_due and a.is_overdue(today)]
            soon = [_Line(a.reference, a.title, a.effective_due, a.status.label,
                          (a.effective_due - today).days)
                    for a in mine if a.effective_due and not a.is_overdue(today)
                    and (a.effective_due - today).days <= DUE_SOON_DAYS]
            text, body = _bodies(board.name, person.name, overdue, soon, len(mine), return_by,
                                 sec_name, name)
            subject = (f"{board.short_name or board.name}: please update your actions by "
                       f"{_fmt(return_by)}" + (f" ({len(overdue)} overdue)" if overdue else ""))
            data = book.read_bytes()
            msg = message(sender=(sec_name, sec_email), to=(person.name, person.email),
                          reply_to=sec_email, subject=subject, text=text, html=body,
                          attachment=(name, data))
            eml = out / f"{_safe_name(person.name)}.eml"
            write_eml(msg, eml)
            result.drafted.append((person.name, eml))
            record_event(session, actor, "person", pid, person.name, "chase",
                         f"drafted {eml.name} to {person.email} with {name} ({len(mine)} open, "
                         f"{len(overdue)} overdue), return by {return_by:%d/%m/%Y}")
            if sender is not None and not result.failed:
                del msg["X-Unsent"]
                try:
                    sender.send(msg)  # type: ignore[attr-defined]
                except VrboardError as exc:
                    result.failed = str(exc)
                    continue
                result.sent.append(person.name)
                record_event(session, actor, "person", pid, person.name, "chase",
                             f"sent to {person.email} through the mail server")
    report(progress, len(owners), len(owners), "Done")
    return result
