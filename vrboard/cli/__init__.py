"""The command line: ``vrboard [--db URL] [--as USER] COMMAND ...``.

Each command group lives in its own module and registers its sub-commands with
``register(subparsers)``. Exit codes: 0 done; 1 input refused, nothing written;
2 usage error. Errors are plain messages on stderr, never a traceback.
"""
from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence

from ..errors import VrboardError
from ..explain import describe, explain
from . import board_cmds
from .common import follow_terminal_encoding

# Modules that add commands. Each has register(subparsers) and sets args.func.
COMMAND_MODULES = [board_cmds]


def _optional_modules() -> list:
    mods = []
    for name in ("backup_cmds", "excel_cmds", "pdf_cmds", "users_cmds", "verify_cmds",
                 "document_cmds", "chair_cmds", "key_cmds", "cycle_cmds", "review_cmds",
                 "publish_cmds", "duty_cmds", "report_cmds", "community_cmds"):
        try:
            mods.append(__import__(f"{__name__}.{name}", fromlist=["register"]))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return mods


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with a plain message
        self.print_usage(sys.stderr)
        self.exit(2, f"vrboard: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="vrboard", description="Run a council's Violence Reduction Board.")
    p.add_argument("--db", metavar="URL",
                   help="database: a SQLAlchemy URL or a SQLite file path (default: "
                        "$VRBOARD_DATABASE_URL, else the file in your user data folder)")
    p.add_argument("--as", dest="as_user", metavar="USER",
                   help="act as this person (login, e-mail or name); default: your OS login")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in COMMAND_MODULES + _optional_modules():
        mod.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    follow_terminal_encoding()
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return 2
    code = _run(args, func)
    if argv is None and args.command != "gui":
        # The process exits next (the ``vrboard`` script, ``python -m vrboard``). Python's
        # last garbage collections would walk every object still alive - SQLAlchemy's
        # mappings, the models - only to free what the process's end frees anyway: 0.2-0.3 s
        # of a command's time, measured. Frozen objects are still freed by reference
        # counting and atexit handlers still run; only the final cycle search skips them.
        # (Not for the desktop app, whose Qt objects keep the order of teardown they have.)
        gc.freeze()
    return code


def _run(args: argparse.Namespace, func: Callable[[argparse.Namespace], int]) -> int:
    try:
        return int(func(args) or 0)
    except VrboardError as exc:
        print(f"vrboard: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # output piped into head(1) or similar: not an error
        return 0
    except KeyboardInterrupt:
        print("vrboard: interrupted; nothing further was written.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - last resort: a plain message, never a traceback
        # A server's refusal of this login first (it names the rights missing), then the
        # database busy, read-only or out of reach, a disk full...
        message = _server_refusal(args, exc) or describe(exc)
        if message is not None:
            print(f"vrboard: {message}", file=sys.stderr)
            return 1
        print(f"vrboard: {explain(exc)}", file=sys.stderr)
        print("vrboard: nothing was written. Please report this with the command you ran.",
              file=sys.stderr)
        return 1


def _server_refusal(args: argparse.Namespace, exc: Exception) -> str | None:
    """A PostgreSQL server's refusal (a login without the rights, one of the database's own
    checks) in plain words; None for anything else."""
    from sqlalchemy.exc import DBAPIError

    if not isinstance(exc, DBAPIError):
        return None
    from ..pg.errors import describe_server, privilege_error
    from ..store import resolve_url

    url = resolve_url(getattr(args, "db", None))
    err = privilege_error(url, describe_server(url)[1], exc)
    return None if err is None else str(err)
