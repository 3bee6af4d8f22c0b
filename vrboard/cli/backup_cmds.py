"""``backup OUT`` and ``restore IN``: the whole board in one portable file."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import ValidationError
from ..store import OpenMode
from .common import open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="write the whole board to one portable file (.json or .json.gz)")
    p.add_argument("out", metavar="OUT", help="the file to write; gzip-compressed when it ends in .gz")
    p.add_argument("--force", action="store_true", help="replace OUT if it already exists")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="load a backup file into an empty database (SQLite or PostgreSQL)")
    p.add_argument("inp", metavar="IN", help="a file written by 'vrboard backup'")
    p.set_defaults(func=cmd_restore)


def cmd_backup(args: argparse.Namespace) -> int:
    from ..backup import backup

    path = Path(args.out).expanduser()
    if path.exists() and not args.force:
        raise ValidationError(f"{path} already exists; choose another name or add --force to replace it.")
    db = open_db(args, OpenMode.READ, "bulk")
    try:
        result = backup(db, path)
    finally:
        db.close()
    out(f"Backed up {result.total_rows:,} rows from {len(result.counts)} tables of {db.label} "
        f"to {path} (schema {result.schema_revision}).")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from ..backup import restore_to

    path = Path(args.inp).expanduser()
    result = restore_to(args.db, path)  # a new file, or an empty database; nothing left on refusal
    out(f"Restored {result.total_rows:,} rows into {len(result.counts)} tables of {result.target} "
        f"from {path} (backup of {result.created_at}).")
    if not result.checksum:
        out("This backup is from an older vrboard and carries no checksum: its contents were "
            "checked, but a changed byte in its text could not have been detected.")
    return 0
