"""``vrboard annual-report --year 2026/27 --out REPORT.pdf [--public]``."""
from __future__ import annotations

import argparse

from ..store import OpenMode
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("annual-report", help="write the year's report under the Serious Violence Duty "
                                             "as a PDF")
    p.add_argument("--year", required=True, metavar="YYYY/YY", help="the financial year, e.g. 2026/27")
    p.add_argument("--out", required=True, metavar="REPORT.pdf", help="the PDF file to write")
    p.add_argument("--public", action="store_true",
                   help="the public version: no Part 2 action counted, an exempt review by its kind only")
    p.set_defaults(func=cmd_annual_report)


def cmd_annual_report(args: argparse.Namespace) -> int:
    from ..pdf.annual_report import build_annual_report
    from ..services.access import require_exempt_access

    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            if not args.public:
                require_exempt_access(s, actor)
            result = build_annual_report(s, args.year, args.out, public=args.public)
    finally:
        db.close()
    version = "public version" if result.public else "full version"
    out(f"Wrote the annual report {args.year.strip()} ({version}, {result.pages} pages) to {result.path}.")
    return 0
