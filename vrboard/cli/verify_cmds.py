"""``verify``: check the chained audit trail and the record against it."""
from __future__ import annotations

import argparse
import sys

from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check the audit trail's chain, and that the record matches it "
                                      "(exit 1 naming the first thing that does not)")
    p.add_argument("--all", action="store_true", help="list every finding, not only the first")
    p.set_defaults(func=cmd_verify)


def cmd_verify(args: argparse.Namespace) -> int:
    from ..services.verify import verify

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.session() as s, s.begin():
            result = verify(s, actor)
    finally:
        db.close()
    if result.ok:
        out(result.summary)
        out(f"Chain head: {result.head}")
        return 0
    first, rest = result.findings[0], result.findings[1:]
    print(f"vrboard: the record does not prove itself: {first}", file=sys.stderr)
    if args.all:
        for f in rest:
            print(f"vrboard: {f}", file=sys.stderr)
    elif rest:
        print(f"vrboard: ... and {len(rest):,} more finding{'s' if len(rest) != 1 else ''} "
              "(vrboard verify --all lists them).", file=sys.stderr)
    return 1
