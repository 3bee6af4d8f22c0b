"""Need-to-know: who may see exempt (Part 2) information, which things are exempt, what
marking a document carries, and who may back up and restore the board.

Every reader asks this module; nothing else decides. On PostgreSQL the same rules are
enforced again by the database (row-level security); the definitions below are the
contract both layers implement, written so that each is one SQL condition.

WHO IS ENTITLED ("may see exempt information"), for the acting person P today (D):

    P is the system account (no person), or
    P.access_role IN ('secretariat', 'chair'), or
    P holds a membership of the board current on D (any board role: chair, vice-chair,
    member, adviser, secretariat):  term_start <= D AND (term_end IS NULL OR term_end >= D).

Everyone else is not entitled: an officer who only owns actions, a viewer who is not a
board member, a member whose term has ended or not yet begun.

WHAT IS EXEMPT:

    E1 agenda item:  part = 2 OR classification = 'OFFICIAL-SENSITIVE'
    E2 paper:        its agenda item is E1 OR its own classification = 'OFFICIAL-SENSITIVE'
    E3 minute:       its agenda item is E1
    E4 decision:     its minute is E3
    E5 declaration:  its agenda item is E1 (a declaration on the whole meeting is not)
    E6 audit entry:  its (entity, entity_id) is one of E1-E5. A record since deleted is
                     judged by its last recorded state (the snapshot in its "deleted" entry):
                     an item snapshot with part 2 or OFFICIAL-SENSITIVE, a paper marked
                     OFFICIAL-SENSITIVE, or a child whose parent id is exempt. The entry
                     keeps who, when, how and the kind of record; its label and old and new
                     values are what is exempt.
    E7 "Part 2 action": an action whose raised_item_id is E1 or whose decision_id is E4.
    E8 review:       classification = 'OFFICIAL-SENSITIVE' (a Homicide and Serious Violence
                     Case Review is, by default)
    E9 recommendation: its review is E8 (and so are its links to actions). The actions
                     linked to it are not hidden: they are not Part 2 actions by this alone.

NOT EXEMPT: community conversations, trained members, themes, Champions workshops, youth
panel sessions and asks, the needs assessment and its findings (model/community.py). They
are public by nature; the pack shows them in both versions, with actions by reference and
status only (which a Part 2 action shows to all anyway) and trained members by number only.

A Part 2 action itself is NOT hidden: its reference, workstream, owner, dates, status, RAG
and percent stay visible to all (the board's oversight counts them; its owner works on
it). What came from the Part 2 item is exempt: where it was raised (the item's title and the
decision) is shown to the entitled only; its title, description, dropped reason, progress
update texts and sign-off notes are shown to the entitled and to the action's owner (who
must know what they are asked to do), and to nobody else. Audit entries about a Part 2
action, its progress updates and sign-offs follow the same rule for their values.

What the not-entitled see instead is ``exempt_text(paragraph)``: "Exempt under paragraph 1
of Schedule 12A: visible to board members".

MARKING: the marking of a set of content is the highest marking of everything in it
(OFFICIAL < OFFICIAL-SENSITIVE). Every exempt thing above counts as OFFICIAL-SENSITIVE,
whatever its own classification field says, as does a meeting classified so.

BACKUP AND RESTORE: a backup holds the whole board, exempt material included, so only the
secretariat and the administrator may make one. Only the administrator may restore. The
administrator is: on PostgreSQL, the login that is a superuser or owns the database (the
one that created it and runs ``users sync``); on an SQLite file, which is one person's
file that anyone who can copy it can read, the board secretariat of that file (for a
restore into a new file: a secretariat person of the board in the backup).
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, and_, false, or_, select, text
from sqlalchemy.orm import Session

from ..errors import PermissionDenied
from ..model import (
    AccessRole,
    Action,
    AgendaItem,
    AuditEntry,
    Classification,
    Decision,
    Declaration,
    Membership,
    Minute,
    Paper,
    ProgressUpdate,
    Recommendation,
    Review,
    SignOff,
)
from .context import Actor

OS = Classification.OFFICIAL_SENSITIVE
BOARD_MEMBERS = "visible to board members"
OWNER_TOO = "visible to board members and the action's owner"
#: in place of an exempt record's label and values (audit trail)
RECORD_NOTICE = "Exempt (Part 2 or OFFICIAL-SENSITIVE): visible to board members"
#: in place of what a Part 2 action carries from its item (title, description, updates)
ACTION_NOTICE = f"Exempt (raised from a Part 2 item): {OWNER_TOO}"


# --- who is entitled ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Access:
    """What one actor may see, decided once per read (one query)."""

    actor: Actor
    entitled: bool
    reason: str | None = None  # why not, when not entitled

    def sees_action_content(self, owner_id: int | None) -> bool:
        """May see the title, description and updates of a Part 2 action owned by ``owner_id``."""
        return self.entitled or (owner_id is not None and owner_id == self.actor.person_id)


def _refusal(session: Session, actor: Actor, on: dt.date) -> str | None:
    if actor.person_id is None or actor.role in (AccessRole.SECRETARIAT, AccessRole.CHAIR):
        return None
    current = session.scalar(
        select(Membership.id).where(
            Membership.person_id == actor.person_id, Membership.term_start <= on,
            or_(Membership.term_end.is_(None), Membership.term_end >= on)).limit(1))
    if current is not None:
        return None
    return (f"{actor.name} is not a member of the board: exempt (Part 2) information goes only to "
            "board members, the chair and the secretariat. Ask for the public version instead.")


def access_for(session: Session, actor: Actor, on: dt.date | None = None) -> Access:
    reason = _refusal(session, actor, on or dt.date.today())
    return Access(actor, reason is None, reason)


def full_access(actor: Actor) -> Access:
    """For code that already checked entitlement (e.g. the full pack after its refusal)."""
    return Access(actor, True)


def exempt_refusal(session: Session, actor: Actor, on: dt.date | None = None) -> str | None:
    """None when the actor may see exempt (Part 2) information, else why not."""
    return _refusal(session, actor, on or dt.date.today())


def require_exempt_access(session: Session, actor: Actor) -> None:
    reason = exempt_refusal(session, actor)
    if reason is not None:
        raise PermissionDenied(reason)


# --- what is exempt -----------------------------------------------------------------------------

def item_is_exempt(part: int, classification: Classification | str | None) -> bool:
    return part == 2 or _is_os(classification)


def paper_is_exempt(item_exempt: bool, classification: Classification | str | None) -> bool:
    return item_exempt or _is_os(classification)


def _is_os(classification: Classification | str | None) -> bool:
    return classification is not None and str(getattr(classification, "value", classification)) == OS.value


def exempt_text(paragraph: int | None, who: str = BOARD_MEMBERS) -> str:
    """What the not-entitled see in place of exempt content."""
    if paragraph is None:
        return f"Exempt (OFFICIAL-SENSITIVE): {who}"
    return f"Exempt under paragraph {paragraph} of Schedule 12A: {who}"


def exempt_items() -> Select:
    return select(AgendaItem.id).where(or_(AgendaItem.part == 2, AgendaItem.classification == OS))


def exempt_papers() -> Select:
    return select(Paper.id).where(or_(Paper.agenda_item_id.in_(exempt_items()),
                                      Paper.classification == OS))


def exempt_minutes() -> Select:
    return select(Minute.id).where(Minute.agenda_item_id.in_(exempt_items()))


def exempt_decisions() -> Select:
    return select(Decision.id).where(Decision.minute_id.in_(exempt_minutes()))


def exempt_declarations() -> Select:
    return select(Declaration.id).where(Declaration.agenda_item_id.in_(exempt_items()))


def exempt_reviews() -> Select:
    return select(Review.id).where(Review.classification == OS)


def exempt_recommendations() -> Select:
    return select(Recommendation.id).where(Recommendation.review_id.in_(exempt_reviews()))


def part2_action_clause() -> ColumnElement[bool]:
    """E7 as a condition on ``action``."""
    return or_(Action.raised_item_id.in_(exempt_items()), Action.decision_id.in_(exempt_decisions()))


def part2_actions() -> Select:
    return select(Action.id).where(part2_action_clause())


def part2_action_owners(session: Session) -> dict[int, int | None]:
    """Every Part 2 action's id and owner id (a short list: few actions come from Part 2)."""
    return {aid: owner for aid, owner in session.execute(
        select(Action.id, Action.owner_id).where(part2_action_clause()))}


# --- the audit trail ----------------------------------------------------------------------------

#: fields of an action (and its updates and sign-offs) whose values came from a Part 2 item
ACTION_CONTENT_FIELDS = frozenset({"created", "deleted", "title", "description", "dropped_reason",
                                   "text", "note", "raised_item_id", "decision_id"})
_MEETING_KINDS = ("agenda_item", "paper", "minute", "decision", "declaration", "review",
                  "recommendation")
_ACTION_KINDS = ("action", "progress_update", "sign_off")
REDACTED_LABEL = "Exempt record"


@dataclass
class AuditScope:
    """Which audit entries an actor may not read in full (E6, and Part 2 actions' values).

    Made once per read (the Audit page makes one per filter): the ids are few (exempt items
    and what hangs off them; Part 2 actions), so they are gathered here, current records from
    their tables and records since deleted from the snapshot in their "deleted" entry, and
    the query tests each entry against short lists instead of re-running subqueries."""

    access: Access
    records: dict[str, set[int]] = field(default_factory=dict)  # E1-E5 ids by table, all hidden
    content: dict[str, set[int]] = field(default_factory=dict)  # Part 2 actions' rows: content only

    @property
    def entitled(self) -> bool:
        return self.access.entitled

    def hidden_clause(self) -> ColumnElement[bool]:
        """True for an entry whose label and values the actor may not see."""
        if self.entitled:
            return false()
        e = AuditEntry
        parts: list[ColumnElement[bool]] = [
            and_(e.entity == kind, e.entity_id.in_(sorted(ids)))
            for kind, ids in self.records.items() if ids]
        parts += [and_(e.entity == kind, e.field.in_(ACTION_CONTENT_FIELDS), e.entity_id.in_(sorted(ids)))
                  for kind, ids in self.content.items() if ids]
        return or_(*parts) if parts else false()

    def redact(self, entry: Any, hidden: bool) -> AuditRow:
        row = AuditRow.of(entry)
        if not hidden:
            return row
        what = ACTION_NOTICE if row.entity in _ACTION_KINDS else RECORD_NOTICE
        label = row.entity_label if row.entity == "action" else REDACTED_LABEL
        return replace(row, entity_label=label,
                       old_value=None if row.old_value is None else what,
                       new_value=None if row.new_value is None else what)


@dataclass(frozen=True)
class AuditRow:
    """One audit entry as a reader may see it (the ORM row, or its redacted copy)."""

    id: int
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    channel: Any
    source: str
    entity: str
    entity_id: int | None
    entity_label: str
    field: str
    old_value: str | None
    new_value: str | None
    recorded_by_name: str = ""  # who recorded it for the actor (the secretariat, with --as)

    @classmethod
    def of(cls, e: Any) -> AuditRow:
        return cls(e.id, e.at, e.actor_id, e.actor_name, e.channel, e.source, e.entity,
                   e.entity_id, e.entity_label, e.field, e.old_value, e.new_value,
                   getattr(e, "recorded_by_name", "") or "")


def audit_scope(session: Session, actor: Actor, access: Access | None = None) -> AuditScope:
    """What ``actor`` may not read in the audit trail (nothing, when entitled).

    Actions, their progress updates and sign-offs are never deleted (an action is dropped),
    so Part 2 actions are judged from the action table alone."""
    access = access or access_for(session, actor)
    scope = AuditScope(access)
    if access.entitled:
        return scope
    snaps: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for kind in _MEETING_KINDS:  # each an index range of (entity, entity_id): short
        for ident, old in session.execute(
                select(AuditEntry.entity_id, AuditEntry.old_value)
                .where(AuditEntry.entity == kind, AuditEntry.field == "deleted",
                       AuditEntry.entity_id.is_not(None))):
            snaps.setdefault(kind, []).append((ident, _json(old)))
    items = set(session.scalars(exempt_items()))
    items |= {i for i, s in snaps.get("agenda_item", ())
              if s.get("part") == "2" or _is_os(s.get("classification"))}
    minutes = set(session.scalars(exempt_minutes()))
    minutes |= {i for i, s in snaps.get("minute", ()) if _int(s.get("agenda_item_id")) in items}
    decisions = set(session.scalars(exempt_decisions()))
    decisions |= {i for i, s in snaps.get("decision", ()) if _int(s.get("minute_id")) in minutes}
    papers = set(session.scalars(exempt_papers()))
    papers |= {i for i, s in snaps.get("paper", ())
               if _int(s.get("agenda_item_id")) in items or _is_os(s.get("classification"))}
    declarations = set(session.scalars(exempt_declarations()))
    declarations |= {i for i, s in snaps.get("declaration", ())
                     if _int(s.get("agenda_item_id")) in items}
    reviews = set(session.scalars(exempt_reviews()))
    reviews |= {i for i, s in snaps.get("review", ()) if _is_os(s.get("classification"))}
    recommendations = set(session.scalars(exempt_recommendations()))
    recommendations |= {i for i, s in snaps.get("recommendation", ())
                        if _int(s.get("review_id")) in reviews}
    scope.records = {"agenda_item": items, "paper": papers, "minute": minutes,
                     "decision": decisions, "declaration": declarations, "review": reviews,
                     "recommendation": recommendations}
    others = sorted(a for a, owner in part2_action_owners(session).items()
                    if not access.sees_action_content(owner))
    scope.content = {"action": set(others)}
    if others:
        scope.content["progress_update"] = set(session.scalars(
            select(ProgressUpdate.id).where(ProgressUpdate.action_id.in_(others))))
        scope.content["sign_off"] = set(session.scalars(
            select(SignOff.id).where(SignOff.action_id.in_(others))))
    return scope


def _json(value: str | None) -> dict[str, Any]:
    try:
        data = json.loads(value or "")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- markings -----------------------------------------------------------------------------------

def marking(markings: Iterable[Classification | str | None]) -> Classification:
    """The highest marking of everything in a set of content."""
    return OS if any(_is_os(m) for m in markings) else Classification.OFFICIAL


def item_marking(part: int, classification: Classification | str | None) -> Classification:
    return OS if item_is_exempt(part, classification) else Classification.OFFICIAL


# --- backup and restore -------------------------------------------------------------------------

def is_server_administrator(session: Session) -> bool:
    """On PostgreSQL: the connection's login is a superuser or owns the current database."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    return bool(session.scalar(text(
        "SELECT r.rolsuper OR pg_has_role(session_user, d.datdba, 'MEMBER') "
        "FROM pg_roles r, pg_database d WHERE r.rolname = session_user "
        "AND d.datname = current_database()")))


def backup_refusal(session: Session, actor: Actor) -> str | None:
    """None when the actor may back up the whole board, else why not."""
    if actor.role is AccessRole.SECRETARIAT or is_server_administrator(session):
        return None
    return (f"Only the board secretariat or the database administrator may back up the board: "
            f"a backup holds everything, exempt (Part 2) material included. You are signed in as "
            f"{actor.describe()}.")


def require_backup(session: Session, actor: Actor) -> None:
    reason = backup_refusal(session, actor)
    if reason is not None:
        raise PermissionDenied(reason)


def restore_refusal_on_server(session: Session) -> str | None:
    """Restoring into a PostgreSQL database: only its administrator's login may."""
    if is_server_administrator(session):
        return None
    login = session.scalar(text("SELECT session_user"))
    return (f"Only the database administrator may restore a backup; you are connected as "
            f"'{login}', which neither owns this database nor is a superuser. Ask the "
            "administrator to restore it.")


def restore_refusal_for_file(people: Iterable[Mapping[str, Any]], who: str) -> str | None:
    """Restoring into a new SQLite file: the administrator of a file is the board secretariat,
    so ``who`` (a login, e-mail or name) must be an active secretariat person of the board in
    the backup (``people``: the backup's person rows)."""
    w = who.strip().lower()
    person = None
    if w:
        for key in ("login", "email", "name"):
            person = next((p for p in people if str(p.get(key) or "").lower() == w), None)
            if person is not None:
                break
    if person is None:
        return (f"No person on the board in this backup has the login, e-mail or name '{who}'. "
                "Only the board's secretariat (the administrator of a board kept in a file) may "
                "restore it; nothing was restored.")
    if person.get("access_role") != AccessRole.SECRETARIAT.value or not person.get("active", True):
        role = str(person.get("access_role") or "").replace("_", " ")
        return (f"Only the board's secretariat (the administrator of a board kept in a file) may "
                f"restore a backup; {person.get('name')} is recorded as {role or 'no role'} in it. "
                "Nothing was restored.")
    return None


def check_backup(session: Session, actor: Actor | None) -> None:
    """Refuse a backup to anyone but the secretariat or the server's administrator
    (``actor`` may be None when the login is the administrator's and no one on the board)."""
    if is_server_administrator(session):
        return
    if actor is None:
        raise PermissionDenied("Only the board secretariat or the database administrator may back "
                               "up the board; nobody on the board is acting.")
    require_backup(session, actor)


def check_restore(url: str, document: Mapping[str, Any], who: str,
                  target: Session | None = None) -> None:
    """Refuse a restore to anyone but the administrator (see the module's note).

    ``url``: the database restored into; ``document``: the backup as read; ``who``: the login
    or ``--as`` name of the person restoring (used for a file); ``target``: a session on the
    target, needed for a server (its login decides)."""
    if not url.startswith("sqlite"):
        if target is None:
            raise PermissionDenied("Restoring into a server needs a connection to check its login.")
        reason = restore_refusal_on_server(target)
    else:
        rows = document.get("tables", {}).get("person", {}).get("rows", [])
        reason = restore_refusal_for_file([r for r in rows if isinstance(r, Mapping)], who)
    if reason is not None:
        raise PermissionDenied(reason)


def restore_authoriser(*who: str) -> Callable[[Connection, str], None]:
    """What ``backup.restore_to`` asks, inside its transaction: on a server, whether the
    connection's login is the administrator (before anything is read); on a file, whether
    each of ``who`` (the operating-system login, and the ``--as`` name if one was given) is
    the secretariat of the board just read from the backup. A refusal rolls the restore back
    and leaves no file behind."""
    from ..model import Person

    def authorise(conn: Connection, url: str) -> None:
        if url.startswith("sqlite"):
            people = [{**r, "access_role": getattr(r["access_role"], "value", r["access_role"])}
                      for r in conn.execute(select(Person.__table__)).mappings()]
            reason = next((r for name in dict.fromkeys(who)
                           if (r := restore_refusal_for_file(people, name)) is not None), None)
        else:
            with Session(bind=conn) as s:
                reason = restore_refusal_on_server(s)
        if reason is not None:
            raise PermissionDenied(reason)
    return authorise


def open_for_restore(url: str | None, document: Mapping[str, Any], who: str) -> Any:
    """Open the database a backup is to be restored into, once the restorer is known to be
    its administrator: for a file, checked before the file is created; for a server, on the
    connection's login. Returns the open ``Database``; refuses with PermissionDenied."""
    from ..store import open_database, resolve_url

    full = resolve_url(url)
    if full.startswith("sqlite"):
        check_restore(full, document, who)
    db = open_database(full)
    if not full.startswith("sqlite"):
        try:
            with db.session() as s:
                check_restore(full, document, who, s)
        except BaseException:
            db.close()
            raise
    return db
