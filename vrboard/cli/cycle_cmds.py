"""The meeting cycle from the command line: ``calendar`` (an .ics of meetings, pack
deadlines and an owner's due dates) and ``chase`` (e-mail drafts to owners with their
trackers)."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import getpass
import os
import sys

from ..errors import ValidationError, VrboardError
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calendar", help="write meetings, pack deadlines and (with --owner) an "
                                        "owner's action due dates to an .ics calendar file")
    p.add_argument("out", metavar="OUT.ics", help="the calendar file to write")
    p.add_argument("--owner", metavar="NAME",
                   help="add this owner's open actions (login, e-mail or full name)")
    p.set_defaults(func=cmd_calendar)
    register_chase(sub)
    p = sub.add_parser("forward-plan", help="write the forward plan (meetings still to come and "
                                            "the items planned for them) as .pdf or .xlsx")
    p.add_argument("--out", required=True, metavar="FILE.pdf|FILE.xlsx",
                   help="the file to write; its ending chooses PDF or Excel")
    p.set_defaults(func=cmd_forward_plan)


def cmd_forward_plan(args: argparse.Namespace) -> int:
    from ..services.forward_plan import write_forward_plan

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            path, meetings, items = write_forward_plan(s, actor, args.out)
    finally:
        db.close()
    out(f"Wrote the forward plan ({meetings} meetings, {items} items) to {path}.")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from ..services.calendar import write_calendar

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            result = write_calendar(s, actor, args.out, owner=args.owner)
    finally:
        db.close()
    extra = f", {result.actions} due dates of {result.owner}'s actions" if result.owner else ""
    out(f"Wrote {result.meetings} meetings, {result.deadlines} pack deadlines{extra} to "
        f"{result.path}.")
    return 0


def register_chase(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("chase", help="draft (or send) one e-mail per owner with their tracker "
                                     "attached, listing overdue and due-soon actions")
    p.add_argument("--out", required=True, metavar="FOLDER",
                   help="folder for the drafts (.eml, open in Outlook or Thunderbird to send)")
    p.add_argument("--overdue-only", action="store_true",
                   help="only owners with at least one overdue action")
    p.add_argument("--return-by", metavar="DATE",
                   help="the date to return trackers by, dd/mm/yyyy (default: a week today)")
    p.add_argument("--send", metavar="HOST[:PORT]",
                   help="also send through this mail server (STARTTLS; port 587 by default)")
    p.add_argument("--smtp-user", metavar="USER", default="",
                   help="login for the mail server; the password is read from "
                        "$VRBOARD_SMTP_PASSWORD or asked for, never stored")
    p.add_argument("--smtp-cafile", metavar="FILE",
                   help="a certificate authority file to trust for the mail server")
    p.set_defaults(func=cmd_chase)


def _date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise ValidationError(f"'{text}' is not a date: write it as dd/mm/yyyy, e.g. 04/12/2026.")


def _password(user: str) -> str:
    if not user:
        return ""
    env = os.environ.get("VRBOARD_SMTP_PASSWORD")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise ValidationError("Give the mail server password in $VRBOARD_SMTP_PASSWORD (it is "
                              "never stored); nothing was sent.")
    return getpass.getpass(f"Password for {user}: ")


def cmd_chase(args: argparse.Namespace) -> int:
    from ..mail import Sender, Smtp
    from ..services.chase import chase

    return_by = _date(args.return_by) if args.return_by else None
    sender = None
    if args.send:
        sender = Sender(Smtp.parse(args.send, args.smtp_user, args.smtp_cafile),
                        _password(args.smtp_user))
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with contextlib.ExitStack() as stack:
            if sender is not None:
                stack.enter_context(sender)  # a refusing server stops here: nothing written
            with db.transaction() as s:
                result = chase(s, actor, args.out, overdue_only=args.overdue_only,
                               return_by=return_by, sender=sender)
    finally:
        db.close()
    out(f"Drafted {len(result.drafted)} e-mail(s) in {result.folder}, trackers to return by "
        f"{result.return_by:%d/%m/%Y}.")
    if sender is not None:
        out(f"Sent {len(result.sent)} of them through {args.send}.")
    if result.no_email:
        out(f"No e-mail address for {len(result.no_email)} owner(s); their trackers were saved "
            "to hand over:")
        for name, path in result.no_email:
            out(f"  {name}: {path.name}")
    if result.failed:
        raise VrboardError(f"{result.failed} The rest were not sent (their drafts are in "
                           f"{result.folder}); what was sent is in the audit trail.")
    return 0
