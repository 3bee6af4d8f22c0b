"""The meeting cycle from the command line: ``calendar`` (an .ics of meetings, pack
deadlines and an owner's due dates) and ``chase`` (e-mail drafts to owners with their
trackers)."""
from __future__ import annotations

import argparse

from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calendar", help="write meetings, pack deadlines and (with --owner) an "
                                        "owner's action due dates to an .ics calendar file")
    p.add_argument("out", metavar="OUT.ics", help="the calendar file to write")
    p.add_argument("--owner", metavar="NAME",
                   help="add this owner's open actions (login, e-mail or full name)")
    p.set_defaults(func=cmd_calendar)


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
