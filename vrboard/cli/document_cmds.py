"""``documents``: issued packs and signed minutes, listed and written back byte for byte."""
from __future__ import annotations

import argparse
from pathlib import Path

from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("documents", help="list issued documents (packs, public packs, signed "
                                         "minutes); 'documents get ID --out FILE' writes one back")
    p.add_argument("--meeting", type=int, metavar="ID", help="only this meeting's documents")
    p.set_defaults(func=cmd_documents)
    inner = p.add_subparsers(dest="documents_command", metavar="get")
    g = inner.add_parser("get", help="write an issued document back, byte for byte")
    g.add_argument("id", type=int, metavar="ID", help="the document's id, as 'vrboard documents' lists it")
    g.add_argument("--out", required=True, metavar="FILE.pdf", help="the file to write")
    g.add_argument("--force", action="store_true", help="replace FILE if it exists")
    g.set_defaults(func=cmd_get)


def cmd_documents(args: argparse.Namespace) -> int:
    from ..services.documents import list_documents

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            rows = list_documents(s, actor, args.meeting)
    finally:
        db.close()
    for r in rows:
        extra = ""
        if r.signed:
            extra = " (timestamped)" if r.timestamped else " (no timestamp)"
        why = f"\t{r.reason}" if r.reason else ""
        if r.late_reason:
            why += f"\tlate: {r.late_reason}"
        out(f"{r.id}\t{r.meeting}\t{r.kind.label} v{r.version}{extra}\tissued "
            f"{r.issued_at.astimezone():%d/%m/%Y %H:%M} by {r.issued_by}\t{r.size:,} bytes\t"
            f"sha256 {r.sha256}{why}")
    return 0


def cmd_get(args: argparse.Namespace) -> int:
    from ..services.documents import fetch_document, write_document

    db = open_db(args)
    try:
        actor = acting_user(db, args, f"vrboard documents get {args.id}")
        with db.session() as s:
            row, data = fetch_document(s, actor, args.id)
    finally:
        db.close()
    path = write_document(data, Path(args.out), force=args.force)
    out(f"Wrote {row.kind.label.lower()} v{row.version} of {row.meeting} to {path} "
        f"({len(data):,} bytes, sha256 {row.sha256}).")
    return 0
