"""``board-pack`` and ``minutes``: the meeting's PDF board pack and minutes for signature."""
from __future__ import annotations

import argparse

from ..services.access import require_exempt_access
from ..store import OpenMode
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("board-pack", help="write the board pack for a meeting as a PDF")
    p.add_argument("--meeting", type=int, required=True, metavar="ID",
                   help="the meeting's id, as `vrboard meetings` lists it")
    p.add_argument("--out", required=True, metavar="PACK.pdf", help="the PDF file to write")
    p.add_argument("--public", action="store_true",
                   help="the public version: Part 2 items by number, title and exempt paragraph "
                        "only, and nothing OFFICIAL-SENSITIVE")
    p.set_defaults(func=cmd_board_pack)

    p = sub.add_parser("minutes", help="write a meeting's minutes for signature as a PDF")
    p.add_argument("--meeting", type=int, required=True, metavar="ID",
                   help="the meeting's id, as `vrboard meetings` lists it")
    p.add_argument("--out", required=True, metavar="MINUTES.pdf", help="the PDF file to write")
    p.add_argument("--public", action="store_true",
                   help="the public minutes: Part 2 items by number, title and exempt paragraph only")
    p.set_defaults(func=cmd_minutes)


def _run(args: argparse.Namespace, what: str) -> int:
    from ..pdf import build_board_pack, build_minutes

    build = build_board_pack if what == "board pack" else build_minutes
    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            if not args.public:
                require_exempt_access(s, actor)
            result = build(s, args.meeting, args.out, public=args.public)
    finally:
        db.close()
    version = "public version" if result.public else "full version"
    out(f"Wrote the {what} ({version}, {result.pages} pages) to {result.path}.")
    return 0


def cmd_board_pack(args: argparse.Namespace) -> int:
    return _run(args, "board pack")


def cmd_minutes(args: argparse.Namespace) -> int:
    return _run(args, "minutes")
