"""Community conversations, the youth panel and the needs assessment:
``community list|session|member|theme|respond|link|workshop``,
``youth-panel list|session|ask|reply|link`` and ``needs list|add|finding|link``."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from ..store import OpenMode
from .common import acting_user, open_db, out, row
from .review_cmds import _date

STATES = ("open", "in_progress", "done")


def _add(sub: argparse._SubParsersAction, name: str, help: str, func: Callable[..., int],
         *args: tuple[tuple[str, ...], dict[str, Any]]) -> None:
    p = sub.add_parser(name, help=help)
    for flags, kw in args:
        p.add_argument(*flags, **kw)
    p.set_defaults(func=func)


def _a(*flags: str, **kw: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    return flags, kw


DATE = {"required": True, "metavar": "DATE", "help": "dd/mm/yyyy"}
LINK = (_a("reference", metavar="REF", help="the action's reference, e.g. WS1-003"),
        _a("--remove", action="store_true", help="unlink it instead"))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("community", help="community conversations (WS1): sessions, trained "
                                         "members, themes (you said, we did) and workshops")
    cs = p.add_subparsers(dest="community_command", required=True,
                          metavar="list|session|member|theme|respond|link|workshop")
    _add(cs, "list", "the figures, sessions, themes and workshops", cmd_community_list)
    _add(cs, "session", "record a community conversation", cmd_session,
         _a("--date", **DATE), _a("--place", required=True, help="the venue or ward"),
         _a("--lead", required=True, help="the lead organisation"),
         _a("--facilitators", default=""), _a("--participants", type=int, default=0),
         _a("--groups", default="", help="who came, in broad groups"),
         _a("--notes", default="", help="what was said"))
    _add(cs, "member", "record a community member trained in the conversation method",
         cmd_member, _a("--name", required=True), _a("--trained-by", required=True),
         _a("--date", **DATE))
    _add(cs, "theme", "add a theme collated from sessions", cmd_theme,
         _a("--title", required=True),
         _a("--session", type=int, action="append", required=True, metavar="SESSION_ID",
            help="a session that raised it (repeat for each)"),
         _a("--quote", action="append", default=[], help="a short quote (repeat for each)"))
    _add(cs, "respond", "record what the board did about a theme (we did)", cmd_respond,
         _a("id", type=int, metavar="THEME_ID"), _a("state", choices=STATES),
         _a("--we-did", default="", metavar="TEXT", help="required for done"))
    _add(cs, "link", "link an action that answers a theme", cmd_theme_link,
         _a("id", type=int, metavar="THEME_ID"), *LINK)
    _add(cs, "workshop", "record a Community Champions workshop", cmd_workshop,
         _a("--date", **DATE), _a("--audience", required=True,
                                  choices=("residents_businesses", "professionals")),
         _a("--participants", type=int, required=True, help="up to 30"),
         _a("--hours", type=float, default=4.0), _a("--place", default=""))

    p = sub.add_parser("youth-panel", help="the youth panel (WS7): sessions, what the young "
                                           "people raised and the board's reply")
    ys = p.add_subparsers(dest="youth_command", required=True, metavar="list|session|ask|reply|link")
    _add(ys, "list", "sessions with what was raised, the reply and the actions", cmd_youth_list)
    _add(ys, "session", "record a youth panel session", cmd_youth_session, _a("--date", **DATE),
         _a("--place", required=True), _a("--participants", type=int, default=0),
         _a("--notes", default=""))
    _add(ys, "ask", "record what the young people raised (you said)", cmd_ask,
         _a("--session", type=int, required=True, metavar="SESSION_ID"), _a("--raised", required=True))
    _add(ys, "reply", "record the board's reply (we did)", cmd_reply,
         _a("id", type=int, metavar="ASK_ID"), _a("state", choices=STATES),
         _a("--we-did", default="", metavar="TEXT", help="required for done"))
    _add(ys, "link", "link an action that answers an ask", cmd_ask_link,
         _a("id", type=int, metavar="ASK_ID"), *LINK)

    p = sub.add_parser("needs", help="the strategic needs assessment (WS4): findings and actions")
    ns = p.add_subparsers(dest="needs_command", required=True, metavar="list|add|finding|link")
    _add(ns, "list", "assessments with their findings and actions", cmd_needs_list)
    _add(ns, "add", "record a needs assessment", cmd_needs_add, _a("--title", required=True),
         _a("--date", **DATE), _a("--summary", default=""))
    _add(ns, "finding", "add a finding to an assessment", cmd_finding,
         _a("--assessment", type=int, required=True, metavar="ASSESSMENT_ID"),
         _a("--number", required=True), _a("--text", required=True))
    _add(ns, "link", "link an action that answers a finding", cmd_finding_link,
         _a("id", type=int, metavar="FINDING_ID"), *LINK)


def _refs(actions: list[Any]) -> str:
    return ", ".join(a.reference for a in actions) or "-"


def _write(args: argparse.Namespace, change: Callable[[Any, Any], Any],
           say: Callable[[Any], str]) -> int:
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            message = say(change(s, actor))
    finally:
        db.close()
    out(message)
    return 0


def _read(args: argparse.Namespace, show: Callable[[Any, Any], None]) -> int:
    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            show(s, actor)
    finally:
        db.close()
    return 0


def cmd_community_list(args: argparse.Namespace) -> int:
    from ..services import community as cm
    from ..services.common import uk_date

    def show(s: Any, actor: Any) -> None:
        e = cm.engagement(s)
        out(f"{e.sessions} sessions, {e.people} people; {e.trained} of {e.target} community "
            f"members trained; {e.workshops} Champions workshops, {e.workshop_people} people; "
            f"{e.themes_done} of {e.themes} themes done")
        for x in cm.list_sessions(s, actor):
            out(row("session", x.id, uk_date(x.held_on), x.place, x.lead_organisation,
                    f"{x.participants} people"))
        for t in cm.list_themes(s, actor):
            out(row("theme", t.id, t.title, f"{len(t.sessions)} sessions", t.state.label,
                    _refs(t.actions), t.response or "-"))
        for w in cm.list_workshops(s, actor):
            out(row("workshop", w.id, uk_date(w.held_on), w.audience.label, f"{w.hours:g} hours",
                    f"{w.participants} people"))
    return _read(args, show)


def cmd_session(args: argparse.Namespace) -> int:
    from ..services import community as cm

    return _write(args, lambda s, a: cm.add_session(
        s, a, held_on=_date(args.date), place=args.place, lead_organisation=args.lead,
        facilitators=args.facilitators, participants=args.participants, groups=args.groups,
        notes=args.notes), lambda x: f"Added community conversation {x.id}: {x.label}.")


def cmd_member(args: argparse.Namespace) -> int:
    from ..services import community as cm

    return _write(args, lambda s, a: (cm.add_member(s, a, args.name, args.trained_by, _date(args.date)),
                                      cm.engagement(s)),
                  lambda r: f"Recorded {r[0].name} as trained (id {r[0].id}); {r[1].trained} of "
                            f"{r[1].target} community members trained.")


def _theme_say(t: Any) -> str:
    return (f"Theme {t.id} '{t.title}': raised at {len(t.sessions)} session(s), "
            f"{t.state.label.lower()}; actions: {_refs(t.actions)}.")


def cmd_theme(args: argparse.Namespace) -> int:
    from ..services import community as cm

    return _write(args, lambda s, a: cm.add_theme(s, a, args.title, args.session, args.quote),
                  lambda t: "Added. " + _theme_say(t))


def cmd_respond(args: argparse.Namespace) -> int:
    from ..services import community as cm

    return _write(args, lambda s, a: cm.respond_theme(s, a, args.id, args.we_did, args.state),
                  lambda t: "Recorded. " + _theme_say(t))


def cmd_theme_link(args: argparse.Namespace) -> int:
    from ..services import community as cm

    return _write(args, lambda s, a: cm.link_action(s, a, args.id, args.reference, args.remove),
                  lambda t: ("Unlinked. " if args.remove else "Linked. ") + _theme_say(t))


def cmd_workshop(args: argparse.Namespace) -> int:
    from ..services import community as cm

    return _write(args, lambda s, a: cm.add_workshop(
        s, a, held_on=_date(args.date), audience=args.audience, participants=args.participants,
        hours=args.hours, place=args.place),
        lambda w: f"Added {w.label}: {w.participants} people, {w.hours:g} hours (id {w.id}).")


def cmd_youth_list(args: argparse.Namespace) -> int:
    from ..services import youth_panel as yp
    from ..services.common import uk_date

    def show(s: Any, actor: Any) -> None:
        for x in yp.list_sessions(s, actor):
            out(row("session", x.id, uk_date(x.held_on), x.place, f"{x.participants} young people"))
            for q in x.asks:
                out(row("ask", q.id, q.raised, q.state.label, _refs(q.actions), q.reply or "-"))
    return _read(args, show)


def cmd_youth_session(args: argparse.Namespace) -> int:
    from ..services import youth_panel as yp

    return _write(args, lambda s, a: yp.add_session(s, a, _date(args.date), args.place,
                                                    args.participants, args.notes),
                  lambda x: f"Added youth panel session {x.id}: {x.label}.")


def _ask_say(q: Any) -> str:
    return f"Ask {q.id} ({q.session.label}): {q.state.label.lower()}; actions: {_refs(q.actions)}."


def cmd_ask(args: argparse.Namespace) -> int:
    from ..services import youth_panel as yp

    return _write(args, lambda s, a: yp.add_ask(s, a, args.session, args.raised),
                  lambda q: "Added. " + _ask_say(q))


def cmd_reply(args: argparse.Namespace) -> int:
    from ..services import youth_panel as yp

    return _write(args, lambda s, a: yp.reply(s, a, args.id, args.we_did, args.state),
                  lambda q: "Recorded. " + _ask_say(q))


def cmd_ask_link(args: argparse.Namespace) -> int:
    from ..services import youth_panel as yp

    return _write(args, lambda s, a: yp.link_action(s, a, args.id, args.reference, args.remove),
                  lambda q: ("Unlinked. " if args.remove else "Linked. ") + _ask_say(q))


def cmd_needs_list(args: argparse.Namespace) -> int:
    from ..services import needs as nd
    from ..services.common import uk_date

    def show(s: Any, actor: Any) -> None:
        for x in nd.list_assessments(s, actor):
            out(row("assessment", x.id, uk_date(x.published_on), x.title))
            for f in nd.findings(x):
                out(row("finding", f.id, f.number, f.text, _refs(f.actions)))
    return _read(args, show)


def cmd_needs_add(args: argparse.Namespace) -> int:
    from ..services import needs as nd

    return _write(args, lambda s, a: nd.add_assessment(s, a, args.title, _date(args.date),
                                                       args.summary),
                  lambda x: f"Added needs assessment {x.id}: {x.title}.")


def _finding_say(f: Any) -> str:
    return f"Finding {f.number} of {f.assessment.title} (id {f.id}); actions: {_refs(f.actions)}."


def cmd_finding(args: argparse.Namespace) -> int:
    from ..services import needs as nd

    return _write(args, lambda s, a: nd.add_finding(s, a, args.assessment, args.number, args.text),
                  lambda f: "Added. " + _finding_say(f))


def cmd_finding_link(args: argparse.Namespace) -> int:
    from ..services import needs as nd

    return _write(args, lambda s, a: nd.link_action(s, a, args.id, args.reference, args.remove),
                  lambda f: ("Unlinked. " if args.remove else "Linked. ") + _finding_say(f))
