"""``board-pack`` and ``minutes``: the meeting's PDF board pack and minutes for signature."""
from __future__ import annotations

import argparse

from ..errors import ValidationError
from ..services.access import require_exempt_access
from ..store import OpenMode
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("board-pack", help="write the board pack for a meeting as a PDF")
    p.add_argument("--meeting", type=int, required=True, metavar="ID",
                   help="the meeting's id, as `vrboard meetings` lists it")
    p.add_argument("--out", metavar="PACK.pdf",
                   help="the PDF file to write (optional with --issue)")
    p.add_argument("--public", action="store_true",
                   help="the public version: Part 2 items by number, title and exempt paragraph "
                        "only, and nothing OFFICIAL-SENSITIVE")
    p.add_argument("--issue", action="store_true",
                   help="issue the pack: keep its exact bytes in the database as the next version "
                        "(the public pack is issued separately, with --public)")
    p.add_argument("--reason", default="", metavar="TEXT",
                   help="with --issue, why a pack already issued is issued again")
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
    if args.reason and not args.issue:
        raise ValidationError("--reason goes with --issue.")
    if not args.issue:
        if not args.out:
            raise ValidationError("Say where to write the pack with --out PACK.pdf (or issue it "
                                  "with --issue).")
        return _run(args, "board pack")
    return _issue(args)


def _issue(args: argparse.Namespace) -> int:
    from ..pdf.render import check_target
    from ..services.documents import issue_pack, write_document

    target = check_target(args.out) if args.out else None
    if target is not None and target.exists():
        raise ValidationError(f"{target} already exists; choose another name (the issued pack is "
                              "kept in the database either way).")
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            doc = issue_pack(s, actor, args.meeting, public=args.public, reason=args.reason)
            ident, version, digest, data = doc.id, doc.version_number, doc.sha256, doc.content
            label = doc.kind.label.lower()
    finally:
        db.close()
    out(f"Issued the {label} as version {version}: document {ident}, {len(data):,} bytes, "
        f"sha256 {digest}.")
    if target is not None:
        write_document(data, target)
        out(f"Wrote it to {target}.")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    return _run(args, "minutes")
