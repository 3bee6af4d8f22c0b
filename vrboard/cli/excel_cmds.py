"""Excel round trip commands: export-actions, export-members, export-meetings, export-audit,
import-actions, export-recommendations, import-recommendations, save-mapping, mappings."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ValidationError
from ..store import OpenMode
from .common import acting_user, open_db, out


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export-actions", help="write an action tracker workbook for owners to update")
    p.add_argument("out", nargs="?", metavar="OUT.xlsx", help="the workbook to write")
    p.add_argument("--workstream", metavar="CODE", help="only this workstream, e.g. WS3")
    p.add_argument("--owner", metavar="NAME", help="only this owner's actions (name, login or e-mail)")
    p.add_argument("--plan", metavar="CODE", help="only actions linked to this plan, e.g. KCAP")
    p.add_argument("--per-owner", metavar="FOLDER",
                   help="instead of OUT.xlsx: one workbook per owner in FOLDER")
    p.set_defaults(func=cmd_export_actions)

    for name, what in (("export-members", "the members list"),
                       ("export-meetings", "meetings with attendance"),
                       ("export-audit", "the audit log")):
        p = sub.add_parser(name, help=f"write {what} to an Excel workbook")
        p.add_argument("out", metavar="OUT.xlsx")
        p.set_defaults(func=cmd_export_list)

    p = sub.add_parser("import-actions", help="import a returned tracker (shows every change first)")
    p.add_argument("file", metavar="IN.xlsx", help="the returned workbook (.xlsx or .ods)")
    p.add_argument("--dry-run", action="store_true", help="print the change plan and write nothing")
    p.add_argument("--skip-invalid", action="store_true",
                   help="apply the valid rows and report the others (default: any error refuses the file)")
    p.add_argument("--mapping", metavar="NAME",
                   help="a saved column mapping, for trackers not made by vrboard")
    p.add_argument("--accept-conflicts", action="store_true",
                   help="where a field was changed both in vrboard and in the file, take the file's value "
                        "(default: leave such rows as they are in vrboard and report them)")
    p.add_argument("--all", action="store_true", help="with --dry-run: also list unchanged rows")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export-recommendations",
                       help="write a recommendation tracker: the reviews' recommendations, to update "
                            "and return")
    p.add_argument("out", metavar="OUT.xlsx", help="the workbook to write")
    p.add_argument("--review", type=int, metavar="ID", help="only this review's recommendations")
    p.set_defaults(func=cmd_export_recommendations)

    p = sub.add_parser("import-recommendations",
                       help="import a returned recommendation tracker (shows every change first)")
    p.add_argument("file", metavar="FILE.xlsx", help="the returned workbook (.xlsx or .ods)")
    p.add_argument("--dry-run", action="store_true", help="print the change plan and write nothing")
    p.add_argument("--accept-conflicts", action="store_true",
                   help="where a field was changed both in vrboard and in the file, take the file's value "
                        "(default: leave such rows as they are in vrboard and report them)")
    p.add_argument("--all", action="store_true", help="with --dry-run: also list unchanged rows")
    p.set_defaults(func=cmd_import_recommendations)

    p = sub.add_parser("save-mapping", help="save a column mapping for a legacy tracker, by name")
    p.add_argument("name", metavar="NAME")
    p.add_argument("file", metavar="FILE.json",
                   help='JSON: {"header in the tracker": "vrboard field", ..., "_sheet": "optional sheet"}')
    p.set_defaults(func=cmd_save_mapping)

    p = sub.add_parser("mappings", help="list saved column mappings")
    p.set_defaults(func=cmd_mappings)


def cmd_export_actions(args: argparse.Namespace) -> int:
    from ..excel import export_actions, export_per_owner

    if bool(args.out) == bool(args.per_owner):
        raise ValidationError("Give either OUT.xlsx or --per-owner FOLDER (not both).")
    if args.per_owner and (args.workstream or args.owner or args.plan):
        raise ValidationError("--per-owner exports every owner's actions; it takes no filters.")
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            if args.per_owner:
                results = export_per_owner(s, actor, Path(args.per_owner))
            else:
                results = [export_actions(s, actor, Path(args.out), workstream=args.workstream,
                                          owner=args.owner, plan=args.plan)]
    finally:
        db.close()
    for r in results:
        out(f"Wrote {r.path} ({r.rows:,} action{'s' if r.rows != 1 else ''}; export {r.batch_id}).")
    return 0


def cmd_export_list(args: argparse.Namespace) -> int:
    from ..excel import export_audit, export_meetings, export_members

    fn = {"export-members": export_members, "export-meetings": export_meetings,
          "export-audit": export_audit}[args.command]
    db = open_db(args, OpenMode.READ, "read")
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            r = fn(s, actor, Path(args.out))
    finally:
        db.close()
    out(f"Wrote {r.path} ({r.rows:,} rows).")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..excel import apply_plan, read_plan
    from ..excel.apply import refusal

    db = open_db(args, purpose="bulk")
    try:
        actor = acting_user(db, args, f"vrboard import-actions {Path(args.file).name}")
        if args.dry_run:
            with db.session() as s:
                plan = read_plan(s, actor, Path(args.file), mapping_name=args.mapping)
                # Let go of the actions the plan loaded before rolling back: a rollback would
                # first expire each of them (5,000 in a 50,000-row return: 0.1 s) only to drop them.
                s.expunge_all()
                s.rollback()
            out(plan.render(include_unchanged=args.all))
            if plan.has_errors and not args.skip_invalid:
                # the refusal goes to standard error, as the real import's does
                n = len(plan.errors)
                sys.stderr.write(f"vrboard: {plan.source}: dry run: importing would be refused ({n:,} "
                                 f"problem{'' if n == 1 else 's'}, listed above). Nothing was written.\n")
                return 1
            out("Dry run: nothing was written.")
            return 0
        with db.transaction() as s:
            plan = read_plan(s, actor, Path(args.file), mapping_name=args.mapping)
            if plan.has_errors and not args.skip_invalid:
                raise refusal(plan)
            accept = None
            if args.accept_conflicts:
                accept = {r.row for r in plan.rows}
            result = apply_plan(s, actor, plan, accept=accept, skip_invalid=args.skip_invalid)
    finally:
        db.close()
    out(plan.summary())
    for w in plan.warnings:
        out(f"Warning: {w}")
    out(result.summary())
    for row, reason in result.skipped:
        sys.stdout.write(f"  skipped row {row}: {reason}\n")
    return 0


def cmd_export_recommendations(args: argparse.Namespace) -> int:
    from ..excel.rectracker import export_recommendations

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            r = export_recommendations(s, actor, Path(args.out), review_id=args.review)
    finally:
        db.close()
    out(f"Wrote {r.path} ({r.rows:,} recommendation{'s' if r.rows != 1 else ''}; export {r.batch_id}).")
    return 0


def cmd_import_recommendations(args: argparse.Namespace) -> int:
    from ..excel.apply import refusal
    from ..excel.recimport import apply_recommendations, read_recommendation_plan

    db = open_db(args)
    try:
        actor = acting_user(db, args, f"vrboard import-recommendations {Path(args.file).name}")
        if args.dry_run:
            with db.session() as s:
                plan = read_recommendation_plan(s, actor, Path(args.file))
                s.rollback()
            out(plan.render(include_unchanged=args.all))
            if plan.has_errors:
                n = len(plan.errors)
                sys.stderr.write(f"vrboard: {plan.source}: dry run: importing would be refused ({n:,} "
                                 f"problem{'' if n == 1 else 's'}, listed above). Nothing was written.\n")
                return 1
            out("Dry run: nothing was written.")
            return 0
        with db.transaction() as s:
            plan = read_recommendation_plan(s, actor, Path(args.file))
            if plan.has_errors:
                raise refusal(plan, hint="")
            result = apply_recommendations(s, actor, plan, accept_conflicts=args.accept_conflicts)
    finally:
        db.close()
    out(plan.summary())
    for w in plan.warnings:
        out(f"Warning: {w}")
    out(result.summary())
    for row, reason in result.skipped:
        sys.stdout.write(f"  skipped row {row}: {reason}\n")
    return 0


def cmd_save_mapping(args: argparse.Namespace) -> int:
    from ..excel import read_mapping_file, save_mapping

    mapping = read_mapping_file(Path(args.file))
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            save_mapping(s, actor, args.name, mapping)
    finally:
        db.close()
    out(f"Saved column mapping '{args.name}' ({len(mapping)} entries). "
        f"Use it with: vrboard import-actions FILE --mapping \"{args.name}\"")
    return 0


def cmd_mappings(args: argparse.Namespace) -> int:
    from ..excel import list_mappings

    db = open_db(args, OpenMode.READ, "read")
    try:
        with db.session() as s:
            found = list_mappings(s)
    finally:
        db.close()
    if not found:
        out("No column mappings saved yet (vrboard save-mapping NAME FILE.json).")
    for name, mapping in found:
        pairs = ", ".join(f"{h!r} -> {f}" for h, f in mapping.items())
        out(f"{name}: {pairs}")
    return 0
