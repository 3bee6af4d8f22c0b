"""``users sync [--dry-run]``: the server's login and group roles from the board's people."""
from __future__ import annotations

import argparse

from ..errors import DatabaseError, PermissionDenied
from .common import open_db, out

NOT_A_SERVER = ("users sync manages the logins of a shared PostgreSQL board; a SQLite file has "
                "none (whoever can open the file can read it all). Nothing was changed.")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="the logins of a shared PostgreSQL board")
    users = p.add_subparsers(dest="users_command", metavar="SUBCOMMAND", required=True,
                             parser_class=type(p))
    s = users.add_parser(
        "sync", help="create a login role for each person with a login and put it in the group "
                     "of their access role (administrator only)")
    s.add_argument("--dry-run", action="store_true", help="print what would change; change nothing")
    s.set_defaults(func=cmd_sync)


def cmd_sync(args: argparse.Namespace) -> int:
    from ..services.users_sync import check_server, sync_users
    from ..store import resolve_url

    if not resolve_url(args.db).startswith("postgresql"):
        raise DatabaseError(NOT_A_SERVER)
    db = open_db(args)
    try:
        with db.engine.connect() as conn:
            check_server(conn)
            if args.as_user:
                from ..pg.admin import session_login

                raise PermissionDenied(
                    f"On a shared server you act as your database login, {session_login(conn)}; "
                    "--as is not accepted there. Nothing was changed.")
            trans = conn.begin()
            try:
                result = sync_users(conn, db.url, dry_run=args.dry_run)
            except BaseException:
                trans.rollback()
                raise
            if args.dry_run:
                trans.rollback()
            else:
                trans.commit()
    finally:
        db.close()
    for line in result.lines():
        out(line)
    return 0
