"""``init``, ``meetings``, ``actions`` and ``gui``."""
from __future__ import annotations

import argparse
import datetime as dt

from ..errors import NotFound
from ..model import Meeting
from ..services.common import uk_date
from ..services.context import Perm, os_login, require
from ..services.identity import setup_login
from ..services.queries import ActionFilter, list_actions
from ..store import Database, OpenMode
from .common import acting_user, open_db, out, row


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create the board, workstreams, plans and domains")
    p.add_argument("--demo", action="store_true",
                   help="also add fictional people, meetings, actions and indicators")
    p.add_argument("--if-needed", action="store_true",
                   help="do nothing (and succeed) when the database already holds a board")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("meetings", help="list meetings: id, date, title, status")
    p.set_defaults(func=cmd_meetings)

    p = sub.add_parser("actions", help="list actions: reference, owner, due, status, RAG")
    p.add_argument("--overdue", action="store_true", help="only overdue actions")
    p.add_argument("--domain", help="only actions in this domain (its name, or the start of it)")
    p.add_argument("--tag", metavar="'GROUP: NAME'", help="only actions tagged with this group")
    p.set_defaults(func=cmd_actions)

    p = sub.add_parser("gui", help="open the desktop app")
    p.set_defaults(func=cmd_gui)


def cmd_init(args: argparse.Namespace) -> int:
    from ..demo import build_demo
    from ..seed import init_board, is_initialised

    db = open_db(args, OpenMode.CREATE)
    try:
        with db.session() as s:  # on a server: the connection's login (services/identity.py)
            login = setup_login(s, args.as_user, os_login())
        with db.transaction(exclusive=True) as s:  # a second init waits, then is refused
            if args.if_needed and is_initialised(s):
                out(f"The board is already set up in {db.label}.")
                return 0
            init_board(s, "" if args.demo else login)
            if args.demo:
                from ..signing.keys import key_dir

                build_demo(s, login, key_dir=key_dir())
    finally:
        db.close()
    what = "with demo data" if args.demo else "empty"
    out(f"Initialised the board ({what}) in {db.label}.")
    out(f"You ({login}) are recorded as the board secretariat.")
    if args.demo:
        from ..signing.keys import DEMO_PASSPHRASE

        out(f"The demo chair (login zadeyemi) has a DEMO signing key; its passphrase is "
            f"'{DEMO_PASSPHRASE}'.")
    return 0


def _require_reader(db: Database, args: argparse.Namespace) -> None:
    """The board must exist and the acting user (``--as`` or the OS login) be a person on it."""
    from ..seed import is_initialised

    with db.session() as s:
        if not is_initialised(s):
            raise NotFound(f"{db.label} holds no board yet: run 'vrboard init' (or 'vrboard init "
                           "--demo' to explore with fictional data) first.")
    require(acting_user(db, args), Perm.READ)


def cmd_meetings(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    db = open_db(args, OpenMode.READ, "read")
    try:
        _require_reader(db, args)
        with db.session() as s:
            for m in s.scalars(select(Meeting).order_by(Meeting.starts_at)):
                out(row(m.id, f"{m.starts_at:%d/%m/%Y %H:%M}", m.title, m.status.label))
    finally:
        db.close()
    return 0


def cmd_actions(args: argparse.Namespace) -> int:
    db = open_db(args, OpenMode.READ, "read")
    today = dt.date.today()
    try:
        _require_reader(db, args)
        with db.session() as s:
            from ..services.lenses import find_domain, find_tag

            f = ActionFilter(overdue=args.overdue,
                             domain_id=find_domain(s, args.domain).id if args.domain else None,
                             tag_id=find_tag(s, args.tag).id if args.tag else None)
            for a in list_actions(s, f, today):
                flags = " OVERDUE" if a.is_overdue(today) else ""
                if a.is_inconsistent(today):
                    flags += " (shown green: check)"
                owner = a.owner.name if a.owner else "-"
                out(row(a.reference, owner, uk_date(a.effective_due) or "-", a.status.label)
                    + f"\t{a.rag.label}{flags}")
    finally:
        db.close()
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from ..app import main as gui_main

    return gui_main(["--db", args.db] if args.db else [], as_user=args.as_user)
