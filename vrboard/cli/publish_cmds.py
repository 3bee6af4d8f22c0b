"""``publish``: the board's public record as a static website, ready to upload."""
from __future__ import annotations

import argparse

from ..store import OpenMode
from .common import open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="write the public record (meetings, agendas, public papers "
                                       "and packs, approved minutes, the action log's summary) as a "
                                       "static website")
    p.add_argument("--out", required=True, metavar="FOLDER",
                   help="the folder to write the website into: new, empty, or a site published before "
                        "(which is replaced)")
    p.add_argument("--no-packs", action="store_true",
                   help="leave out the public board pack PDFs (faster)")
    p.set_defaults(func=cmd_publish)


def cmd_publish(args: argparse.Namespace) -> int:
    from ..web import check_folder, publish_site

    target = check_folder(args.out)  # refuse a bad folder before opening the board
    db = open_db(args, OpenMode.READ, "read")
    try:
        with db.session() as s:
            result = publish_site(s, target, packs=not args.no_packs)
    finally:
        db.close()
    out(f"Published {result.meetings} meetings ({result.pages} pages, {result.files} files, "
        f"{result.size / 1048576:.1f} MB) to {result.path}.")
    return 0
