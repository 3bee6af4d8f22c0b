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
    p.add_argument("--late-reason", default="", metavar="TEXT",
                   help="with --issue, why the pack goes out after its publication deadline "
                        "(required then; recorded with the pack and in the audit trail)")
    p.set_defaults(func=cmd_board_pack)

    p = sub.add_parser("minutes", help="write a meeting's minutes for signature as a PDF")
    p.add_argument("--meeting", type=int, required=True, metavar="ID",
                   help="the meeting's id, as `vrboard meetings` lists it")
    p.add_argument("--out", required=True, metavar="MINUTES.pdf", help="the PDF file to write")
    p.add_argument("--public", action="store_true",
                   help="the public minutes: Part 2 items by number, title and exempt paragraph only")
    p.set_defaults(func=cmd_minutes)
    register_papers(sub)


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
    if (args.reason or args.late_reason) and not args.issue:
        raise ValidationError("--reason and --late-reason go with --issue.")
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
            doc = issue_pack(s, actor, args.meeting, public=args.public, reason=args.reason,
                             late_reason=args.late_reason)
            ident, version, digest, data = doc.id, doc.version_number, doc.sha256, doc.content
            label, late = doc.kind.label.lower(), doc.late_reason
    finally:
        db.close()
    out(f"Issued the {label} as version {version}: document {ident}, {len(data):,} bytes, "
        f"sha256 {digest}." + (f" Late, because: {late}" if late else ""))
    if target is not None:
        write_document(data, target)
        out(f"Wrote it to {target}.")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    return _run(args, "minutes")


def register_papers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("attach-paper", help="attach a paper (PDF, Word, Excel...) to an agenda "
                                            "item; its file is stored in the database")
    p.add_argument("file", metavar="FILE", help="the paper's file")
    p.add_argument("--meeting", type=int, required=True, metavar="ID",
                   help="the meeting's id, as `vrboard meetings` lists it")
    p.add_argument("--item", type=int, required=True, metavar="N",
                   help="the agenda item's number in that meeting")
    p.add_argument("--title", help="the paper's title (default: the file name)")
    p.add_argument("--marking", choices=["OFFICIAL", "OFFICIAL-SENSITIVE"],
                   help="default: OFFICIAL-SENSITIVE for a Part 2 or sensitive item, else OFFICIAL")
    p.set_defaults(func=cmd_attach_paper)


def cmd_attach_paper(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sqlalchemy import select

    from ..errors import NotFound
    from ..model import AgendaItem, Classification
    from ..services.papers import attach_paper

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            item = s.scalars(select(AgendaItem).where(AgendaItem.meeting_id == args.meeting,
                                                      AgendaItem.position == args.item)).first()
            if item is None:
                raise NotFound(f"Meeting {args.meeting} has no agenda item {args.item}.")
            marking = args.marking or (
                Classification.OFFICIAL_SENSITIVE if item.is_exempt
                or item.classification is Classification.OFFICIAL_SENSITIVE
                else Classification.OFFICIAL)
            paper = attach_paper(s, actor, item.id, args.title or Path(args.file).stem,
                                 args.file, marking)
            said = (f"Attached '{paper.title}' ({paper.file_name}, {paper.size:,} bytes"
                    + (f", {paper.pages} pages" if paper.pages else "")
                    + f", {paper.classification.value}) to item {item.position} '{item.title}'.")
    finally:
        db.close()
    out(said)
    return 0
