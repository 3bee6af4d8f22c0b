"""Reviews and their recommendations: ``reviews``, ``review add|show`` and
``recommendation add|respond|state|link``."""
from __future__ import annotations

import argparse
import datetime as dt

from ..errors import ValidationError
from ..store import OpenMode
from .common import acting_user, open_db, out, row

KINDS = {"service": "service_review", "case": "case_review"}
RESPONSES = ("accepted", "partly_accepted", "not_accepted", "awaiting")
STATES = ("open", "implemented", "evidenced")


def _date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            pass
    raise ValidationError(f"'{text}' is not a date: write it as dd/mm/yyyy, e.g. 04/12/2026.")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reviews", help="list reviews: id, kind, title, status, reporting date, "
                                       "recommendations accepted, implemented, overdue")
    p.set_defaults(func=cmd_reviews)

    review = sub.add_parser("review", help="add a review or show one with its recommendations")
    rsub = review.add_subparsers(dest="review_command", metavar="add|show", required=True)
    p = rsub.add_parser("add", help="add a review of a service or a case review")
    p.add_argument("--title", required=True)
    p.add_argument("--kind", choices=sorted(KINDS), default="service",
                   help="service (a review of services, WS2) or case (the Homicide and Serious "
                        "Violence Case Review, WS3; OFFICIAL-SENSITIVE unless --official)")
    p.add_argument("--workstream", metavar="CODE", help="default: WS2 for service, WS3 for case")
    p.add_argument("--commissioned", type=str, metavar="DATE", help="dd/mm/yyyy")
    p.add_argument("--reporting", type=str, metavar="DATE", help="reporting date, dd/mm/yyyy")
    p.add_argument("--status", default="commissioned",
                   choices=("commissioned", "in_progress", "reported", "closed"))
    p.add_argument("--summary", default="")
    marking = p.add_mutually_exclusive_group()
    marking.add_argument("--sensitive", action="store_true", help="mark it OFFICIAL-SENSITIVE")
    marking.add_argument("--official", action="store_true", help="mark it OFFICIAL")
    p.set_defaults(func=cmd_review_add)
    p = rsub.add_parser("show", help="a review's recommendations: id, number, response, state, "
                                     "due, actions")
    p.add_argument("id", type=int, metavar="REVIEW_ID")
    p.set_defaults(func=cmd_review_show)

    rec = sub.add_parser("recommendation", help="add a recommendation, record the board's "
                                                "response, its state, or the actions carrying it out")
    csub = rec.add_subparsers(dest="recommendation_command", metavar="add|respond|state|link",
                              required=True)
    p = csub.add_parser("add", help="add a recommendation to a review")
    p.add_argument("--review", type=int, required=True, metavar="REVIEW_ID")
    p.add_argument("--number", required=True, help="its number in the report, e.g. 3 or 3a")
    p.add_argument("--text", required=True)
    p.add_argument("--due", metavar="DATE", help="dd/mm/yyyy")
    p.set_defaults(func=cmd_rec_add)
    p = csub.add_parser("respond", help="record the board's response")
    p.add_argument("id", type=int, metavar="RECOMMENDATION_ID")
    p.add_argument("response", choices=RESPONSES)
    p.add_argument("--reason", default="", help="required for partly_accepted and not_accepted")
    p.set_defaults(func=cmd_rec_respond)
    p = csub.add_parser("state", help="open, implemented (every linked action complete) or "
                                      "evidenced (with --evidence)")
    p.add_argument("id", type=int, metavar="RECOMMENDATION_ID")
    p.add_argument("state", choices=STATES)
    p.add_argument("--evidence", default=None, metavar="TEXT", help="the evidence note")
    p.set_defaults(func=cmd_rec_state)
    p = csub.add_parser("link", help="link an action that carries the recommendation out")
    p.add_argument("id", type=int, metavar="RECOMMENDATION_ID")
    p.add_argument("reference", metavar="REF", help="the action's reference, e.g. WS2-004")
    p.add_argument("--remove", action="store_true", help="unlink it instead")
    p.set_defaults(func=cmd_rec_link)


def cmd_reviews(args: argparse.Namespace) -> int:
    from ..services.common import uk_date
    from ..services.reviews import counts, list_reviews

    db = open_db(args, OpenMode.READ, "read")
    today = dt.date.today()
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            for r in list_reviews(s, actor):
                n = counts(r, today)
                out(row(r.id, r.kind.label, r.title, r.status.label,
                        uk_date(r.reporting_date) or "-", r.classification.value,
                        f"{n.recommendations} recommendations", f"{n.accepted} accepted",
                        f"{n.implemented} implemented", f"{n.overdue} overdue"))
    finally:
        db.close()
    return 0


def cmd_review_add(args: argparse.Namespace) -> int:
    from ..services.reviews import add_review

    kind = KINDS[args.kind]
    fields: dict[str, object] = {
        "title": args.title, "kind": kind, "status": args.status, "summary": args.summary,
        "workstream": args.workstream or ("WS3" if args.kind == "case" else "WS2"),
        "commissioned_on": _date(args.commissioned) if args.commissioned else None,
        "reporting_date": _date(args.reporting) if args.reporting else None}
    if args.sensitive or args.official:
        fields["classification"] = "OFFICIAL-SENSITIVE" if args.sensitive else "OFFICIAL"
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            r = add_review(s, actor, **fields)
            ident, label, marking = r.id, r.kind.label, r.classification.value
    finally:
        db.close()
    out(f"Added review {ident}: {args.title.strip()} ({label}, {marking}).")
    return 0


def cmd_review_show(args: argparse.Namespace) -> int:
    from ..services.common import uk_date
    from ..services.reviews import get_review, recommendations

    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            r = get_review(s, actor, args.id)
            out(row(r.title, r.kind.label, r.status.label, r.classification.value))
            for rec in recommendations(r):
                refs = ", ".join(a.reference for a in rec.actions) or "-"
                out(row(rec.id, rec.number, rec.response.label, rec.state.label,
                        uk_date(rec.due_date) or "-", refs, rec.text))
    finally:
        db.close()
    return 0


def _write(args: argparse.Namespace, what: str, change) -> int:  # noqa: ANN001
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            rec = change(s, actor)
            summary = (f"Recommendation {rec.number} of {rec.review.title} (id {rec.id}): "
                       f"{rec.response.label.lower()}, {rec.state.label.lower()}; actions: "
                       + (", ".join(a.reference for a in rec.actions) or "none"))
    finally:
        db.close()
    out(f"{what}. {summary}.")
    return 0


def cmd_rec_add(args: argparse.Namespace) -> int:
    from ..services.reviews import add_recommendation

    due = _date(args.due) if args.due else None
    return _write(args, "Added", lambda s, a: add_recommendation(s, a, args.review, args.number,
                                                                args.text, due))


def cmd_rec_respond(args: argparse.Namespace) -> int:
    from ..services.reviews import respond

    return _write(args, "Recorded the response",
                  lambda s, a: respond(s, a, args.id, args.response, args.reason))


def cmd_rec_state(args: argparse.Namespace) -> int:
    from ..services.reviews import set_state

    return _write(args, "Recorded the state",
                  lambda s, a: set_state(s, a, args.id, args.state, args.evidence))


def cmd_rec_link(args: argparse.Namespace) -> int:
    from ..services.reviews import link_action, unlink_action

    if args.remove:
        return _write(args, f"Unlinked {args.reference}",
                      lambda s, a: unlink_action(s, a, args.id, args.reference))
    return _write(args, f"Linked {args.reference}",
                  lambda s, a: link_action(s, a, args.id, args.reference))
