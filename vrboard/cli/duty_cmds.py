"""Lenses and the Serious Violence Duty: ``tags``, ``tag add|delete|action|indicator``,
``indicator from-template|group-value`` and ``duty [show|set]``."""
from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from ..store import OpenMode
from .common import acting_user, open_db, out, row
from .review_cmds import _date


def register(sub: argparse._SubParsersAction) -> None:
    from ..services.outcome_measures import BY_KEY

    p = sub.add_parser("tags", help="list the tags (groups an action or indicator addresses) and "
                                    "how many actions and indicators carry each")
    p.set_defaults(func=cmd_tags)
    tag = sub.add_parser("tag", help="make or delete a tag, or tag an action or an indicator")
    tsub = tag.add_subparsers(dest="tag_command", metavar="add|delete|action|indicator", required=True)
    p = tsub.add_parser("add", help="a new tag, e.g. tag add 'Age band' 'Under 25'")
    p.add_argument("group", help="Age band, Ethnicity, Gender or another group")
    p.add_argument("name")
    p.set_defaults(func=cmd_tag_add)
    p = tsub.add_parser("delete", help="delete a tag no action, indicator or value uses")
    p.add_argument("tag", metavar="'GROUP: NAME'")
    p.set_defaults(func=cmd_tag_delete)
    for what in ("action", "indicator"):
        p = tsub.add_parser(what, help=f"tag an {what} with one or more groups (--remove to untag)")
        p.add_argument("target", metavar="REF" if what == "action" else "CODE")
        p.add_argument("tags", nargs="+", metavar="'GROUP: NAME'")
        p.add_argument("--remove", action="store_true", help="remove the tags instead")
        p.set_defaults(func=cmd_tag_link, what=what)

    ind = sub.add_parser("indicator", help="add an indicator from a Home Office outcome-measure "
                                           "template, or record a value by group")
    isub = ind.add_subparsers(dest="indicator_command", metavar="from-template|group-value",
                              required=True)
    p = isub.add_parser("from-template", help="add an indicator from a Home Office measure "
                                              "(docs/home-office-outcome-measures.md)")
    p.add_argument("template", choices=sorted(BY_KEY))
    p.add_argument("--code", help="the indicator's code (default: the template's)")
    p.add_argument("--target", type=float)
    p.set_defaults(func=cmd_from_template)
    p = isub.add_parser("group-value", help="record one group's value for a period the indicator "
                                            "already has, e.g. HO2 '2026/27 Q1' 'Age band: Under 18' 9")
    p.add_argument("code")
    p.add_argument("period")
    p.add_argument("tag", metavar="'GROUP: NAME'")
    p.add_argument("value", type=float)
    p.add_argument("--note", default="")
    p.set_defaults(func=cmd_group_value)

    duty = sub.add_parser("duty", help="the Serious Violence Duty: show what is due next, or set "
                                       "the local definition and the dates")
    dsub = duty.add_subparsers(dest="duty_command", metavar="show|set")
    duty.set_defaults(func=cmd_duty_show)
    dsub.add_parser("show", help="the record and what is due next").set_defaults(func=cmd_duty_show)
    p = dsub.add_parser("set", help="record what changed (dates dd/mm/yyyy)")
    p.add_argument("--definition", help="the partnership's local definition of serious violence")
    p.add_argument("--definition-agreed", metavar="DATE")
    p.add_argument("--needs-assessment", metavar="DATE", help="date of the strategic needs assessment")
    p.add_argument("--needs-assessment-due", metavar="DATE", help="when the next one is due")
    p.add_argument("--strategy-published", metavar="DATE")
    p.add_argument("--strategy-link", help="where the strategy is published")
    p.add_argument("--review-due", metavar="DATE", help="the annual review's due date (default: a "
                                                        "year after publication or the last review)")
    p.add_argument("--review-done", metavar="DATE", help="date of the annual review just held")
    p.set_defaults(func=cmd_duty_set)


def _write(args: argparse.Namespace, change: Callable[[Any, Any], str]) -> int:
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            message = change(s, actor)
    finally:
        db.close()
    out(message)
    return 0


def cmd_tags(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from ..model import action_tag, indicator_tag
    from ..services.lenses import list_tags

    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            counts = [dict(s.execute(select(t.c.tag_id, func.count()).group_by(t.c.tag_id)).all())
                      for t in (action_tag, indicator_tag)]
            for t in list_tags(s, actor):
                out(row(t.id, t.tag_group, t.name, f"{counts[0].get(t.id, 0)} actions",
                        f"{counts[1].get(t.id, 0)} indicators"))
    finally:
        db.close()
    return 0


def cmd_tag_add(args: argparse.Namespace) -> int:
    from ..services.lenses import add_tag

    return _write(args, lambda s, a: f"Added tag {add_tag(s, a, args.group, args.name).label}.")


def cmd_tag_delete(args: argparse.Namespace) -> int:
    from ..services.lenses import delete_tag

    def go(s: Any, a: Any) -> str:
        delete_tag(s, a, args.tag)
        return f"Deleted tag {args.tag}."
    return _write(args, go)


def cmd_tag_link(args: argparse.Namespace) -> int:
    from ..services import lenses as ln

    fn = {("action", False): ln.tag_action, ("action", True): ln.untag_action,
          ("indicator", False): ln.tag_indicator, ("indicator", True): ln.untag_indicator}[
        (args.what, args.remove)]

    def go(s: Any, a: Any) -> str:
        obj = fn(s, a, args.target, *args.tags)
        name = getattr(obj, "reference", None) or f"Indicator {obj.code}"
        return f"{name}: tags now " + (", ".join(t.label for t in obj.tags) or "none") + "."
    return _write(args, go)


def cmd_from_template(args: argparse.Namespace) -> int:
    from ..services.outcome_measures import add_from_template

    def go(s: Any, a: Any) -> str:
        ind = add_from_template(s, a, args.template, code=args.code, target=args.target)
        return f"Added indicator {ind.code}: {ind.name} (id {ind.id})."
    return _write(args, go)


def cmd_group_value(args: argparse.Namespace) -> int:
    from ..services.lenses import set_group_value

    def go(s: Any, a: Any) -> str:
        g = set_group_value(s, a, args.code, args.period, args.tag, args.value, args.note)
        return f"Recorded {g.tag.label} = {g.value:g} for {args.code} {args.period.strip()}."
    return _write(args, go)


def cmd_duty_show(args: argparse.Namespace) -> int:
    from ..services.duty import get_duty, next_due, status

    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            rec = get_duty(s, actor)
            items = status(rec, dt.date.today())
            nxt = next_due(items)
            out("Serious Violence Duty (Police, Crime, Sentencing and Courts Act 2022)")
            defined = rec.local_definition if rec and rec.local_definition else "not recorded"
            out(f"Local definition: {defined}")
            for i in items:
                out(row(i.what, i.state, i.detail))
            out(f"Next: {nxt.what}: {nxt.detail}." if nxt else "Next: nothing is due.")
    finally:
        db.close()
    return 0


def cmd_duty_set(args: argparse.Namespace) -> int:
    from ..services.duty import set_duty

    fields: dict[str, Any] = {}
    for opt, key in (("definition", "local_definition"), ("strategy_link", "strategy_link")):
        if getattr(args, opt) is not None:
            fields[key] = getattr(args, opt)
    for opt, key in (("definition_agreed", "definition_agreed_on"),
                     ("needs_assessment", "needs_assessment_on"),
                     ("needs_assessment_due", "needs_assessment_due"),
                     ("strategy_published", "strategy_published_on"),
                     ("review_due", "review_due_on"), ("review_done", "review_done_on")):
        if getattr(args, opt) is not None:
            fields[key] = _date(getattr(args, opt))

    def go(s: Any, a: Any) -> str:
        rec = set_duty(s, a, **fields)
        due = rec.review_due_on.strftime("%d/%m/%Y") if rec.review_due_on else "not set"
        return f"Recorded the Serious Violence Duty ({', '.join(sorted(fields))}); annual review due {due}."
    return _write(args, go)
