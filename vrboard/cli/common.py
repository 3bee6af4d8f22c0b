"""Helpers the command modules share: opening the database and resolving the user."""
from __future__ import annotations

import argparse
import sys

from ..model import Channel
from ..services.context import Actor, resolve_actor
from ..store import Database, OpenMode, Timeouts, open_database


def open_db(args: argparse.Namespace, mode: OpenMode = OpenMode.MIGRATE,
            purpose: str = "write") -> Database:
    """The board named by ``--db``. ``mode``: READ for commands that only read (nothing is
    created or upgraded), MIGRATE for commands that change an existing board, CREATE for
    ``init`` only. ``purpose`` (read, write, bulk) sets the statement timeout."""
    return open_database(args.db, mode=mode, timeouts=Timeouts.for_purpose(purpose))


def acting_user(db: Database, args: argparse.Namespace, source: str = "") -> Actor:
    with db.session() as s:
        actor = resolve_actor(s, args.as_user, Channel.COMMAND_LINE)
    return actor.via(Channel.COMMAND_LINE, source or f"vrboard {args.command}")


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
