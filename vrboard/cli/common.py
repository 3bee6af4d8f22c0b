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


FORMULA_START = ("=", "+", "-", "@")


def cell(value: object) -> str:
    """A value for tab-separated output that a spreadsheet opening it keeps as text: tabs and
    line breaks become spaces (one record, one line) and text starting with = + - @ gets a
    leading apostrophe, so '=HYPERLINK(...)' typed into a name is shown, never run."""
    s = " ".join(str(value).replace("\t", " ").splitlines()) if value is not None else ""
    return "'" + s if len(s) > 1 and s.startswith(FORMULA_START) else s  # a lone "-" is a blank


def row(*values: object) -> str:
    """One line of tab-separated output; every value goes through ``cell``."""
    return "\t".join(cell(v) for v in values)


def follow_terminal_encoding() -> None:
    """Write standard output and error in the terminal's (or PYTHONIOENCODING's) encoding,
    replacing what it cannot show ("Nguy?n" in cp1252) rather than stopping with an error
    halfway through a list. Windows consoles and redirected output often use such code pages."""
    # A person's name on standard output reads better as Nguy?n than Nguy\u1ec5n; messages
    # on standard error keep escapes. A file name that is not valid UTF-8 shows as
    # caf\xe9.xlsx on both, which names the file.
    from ..explain import MESSAGE_ERRORS, OUTPUT_ERRORS

    for stream, errors in ((sys.stdout, OUTPUT_ERRORS), (sys.stderr, MESSAGE_ERRORS)):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            reconfigure(errors=errors)
        except (ValueError, OSError):  # a closed or unusual stream: leave it as it is
            pass
