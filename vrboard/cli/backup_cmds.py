"""``backup OUT`` and ``restore IN``: the whole board in one portable file.

Who may (``services.access``): a backup, the board secretariat or the database
administrator; a restore, the administrator only (on a file, the secretariat of the board
in the backup).
"""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ValidationError
from ..services.access import check_backup, is_server_administrator, restore_authoriser
from ..services.context import os_login
from ..store import OpenMode
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="write the whole board to one portable file (.json or .json.gz); "
                                      "the secretariat or the administrator only")
    p.add_argument("out", metavar="OUT", help="the file to write; gzip-compressed when it ends in .gz")
    p.add_argument("--force", action="store_true", help="replace OUT if it already exists")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="load a backup file into an empty database (SQLite or PostgreSQL); "
                                       "the administrator only")
    p.add_argument("inp", metavar="IN", help="a file written by 'vrboard backup'")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from ..backup import backup

    path = Path(args.out).expanduser()
    if path.exists() and not args.force:
        raise ValidationError(f"{path} already exists; choose another name or add --force to replace it.")
    db = open_db(args, OpenMode.READ, "bulk")
    try:
        with db.session() as s:
            admin = is_server_administrator(s)
        actor = None if admin else acting_user(db, args)
        with db.session() as s:
            check_backup(s, actor)
        result = backup(db, path)
    finally:
        db.close()
    out(f"Backed up {result.total_rows:,} rows from {len(result.counts)} tables of {db.label} "
        f"to {path} (schema {result.schema_revision}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..backup import restore_to

    path = Path(args.inp).expanduser()
    # a new file, or an empty database; nothing left on refusal, a refused restorer included
    who = [os_login(), *([args.as_user] if args.as_user else [])]
    result = restore_to(args.db, path, authorise=restore_authoriser(*who))
    out(f"Restored {result.total_rows:,} rows into {len(result.counts)} tables of {result.target} "
        f"from {path} (backup of {result.created_at}).")
    if not result.checksum:
        out("This backup is from an older vrboard and carries no checksum: its contents were "
            "checked, but a changed byte in its text could not have been detected.")
    return 0
