"""The chair's acts: ``approve-minutes`` (approve and digitally sign) and ``sign-off``."""
from __future__ import annotations

import argparse
import os
import sys

from . import passphrase as pw
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("approve-minutes",
                       help="chair: approve a meeting's minutes as a correct record and sign them")
    p.add_argument("--meeting", type=int, required=True, metavar="ID",
                   help="the meeting whose minutes are approved")
    p.add_argument("--at", type=int, required=True, metavar="MEETING_ID",
                   help="the (later) meeting at which the board approved them")
    pw.add_option(p)
    p.add_argument("--tsa", metavar="URL",
                   help="an RFC 3161 timestamp server (default: $VRBOARD_TSA_URL; none: no timestamp)")
    p.add_argument("--tsa-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="how long to wait for the timestamp server (default 10)")
    p.add_argument("--without-signature", action="store_true",
                   help="approve and lock the minutes without a digital signature (no key yet)")
    p.set_defaults(func=cmd_approve)

    p = sub.add_parser("sign-off", help="chair: sign off a completed action")
    p.add_argument("reference", metavar="REF", help="the action's reference, e.g. WS3-004")
    p.add_argument("--note", default="", metavar="TEXT", help="the chair's note (evidence seen...)")
    p.set_defaults(func=cmd_sign_off)


def cmd_approve(args: argparse.Namespace) -> int:
    from ..services.signatures import TSA_ENV, approve_and_sign

    if args.without_signature:
        return _approve_unsigned(args)
    tsa = args.tsa if args.tsa is not None else os.environ.get(TSA_ENV, "")
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.session() as s:  # refuse what can be refused before asking for the passphrase
            from ..model import Meeting
            from ..services.common import get
            from ..services.context import require_chair

            require_chair(s, actor, "approve and sign minutes")
            get(s, Meeting, args.meeting, "meeting")
            get(s, Meeting, args.at, "meeting")
        secret = pw.passphrase(args)
        with db.transaction() as s:
            result = approve_and_sign(s, actor, args.meeting, args.at, secret, tsa_url=tsa or None,
                                      tsa_timeout=args.tsa_timeout)
            doc = result.document
            meeting, size, ident, digest = doc.meeting.label, doc.size, doc.id, doc.sha256
            stamped = doc.timestamped
    finally:
        db.close()
    if result.warning:
        print(f"vrboard: warning: {result.warning}", file=sys.stderr)
    out(f"Approved and signed the minutes of {meeting} as {actor.name}. Kept as issued document "
        f"{ident} ({size:,} bytes, sha256 {digest}"
        + (", with a timestamp" if stamped else ", no timestamp") + ").")
    out(f"Write it out with: vrboard documents get {ident} --out FILE.pdf")
    return 0


def _approve_unsigned(args: argparse.Namespace) -> int:
    from ..services.meetings import approve_minutes

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            label = approve_minutes(s, actor, args.meeting, args.at).label
    finally:
        db.close()
    out(f"Approved the minutes of {label} as {actor.name}, without a digital signature; they "
        "are locked.")
    return 0


def cmd_sign_off(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from ..errors import NotFound
    from ..model import Action
    from ..services.actions import sign_off

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            ref = args.reference.strip()
            action = s.scalars(select(Action).where(Action.reference == ref.upper())).first() or \
                s.scalars(select(Action).where(Action.reference == ref)).first()
            if action is None:
                raise NotFound(f"There is no action with the reference {ref}; 'vrboard actions' "
                               "lists them.")
            sign_off(s, actor, action.id, None, args.note)
            label = f"{action.reference} ({action.title})"
    finally:
        db.close()
    out(f"Signed off {label} as {actor.name}.")
    return 0
