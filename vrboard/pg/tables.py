"""Who may read and write each table on a shared PostgreSQL board: one list, in Python.

``TABLES`` maps a table name to its ``Rule``. ``security.apply`` turns the list into GRANTs to
the four group roles and row-level-security policies, so a table added later gets its rules by
adding one line here (and running ``vrboard users sync`` or any later migration). A table that
is not listed gets ``UNLISTED``: only people entitled to exempt information (board members, the
chair, the secretariat) read it, only the secretariat and the chair write it, and
``users sync`` names it so the gap is seen.

Access roles (``person.access_role``) map to group roles: secretariat, chair, owner, viewer.
Row-level checks read the person behind ``session_user`` from the ``person`` table, so a group
membership left over from another board on the same server gives nothing here.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

ACCESS_ROLES = ("secretariat", "chair", "owner", "viewer")
WRITERS = ("secretariat", "chair")
ENV_PREFIX = "VRBOARD_PG_ROLE_PREFIX"
DEFAULT_PREFIX = "vrboard_"


def role_prefix() -> str:
    """The group roles' common prefix: ``vrboard_`` unless $VRBOARD_PG_ROLE_PREFIX says otherwise
    (a second board on the same server, or a test run, keeps its own set of group roles)."""
    return os.environ.get(ENV_PREFIX) or DEFAULT_PREFIX


def group_role(access: str, prefix: str | None = None) -> str:
    """``vrboard_secretariat``, ``vrboard_chair``, ``vrboard_owner``, ``vrboard_viewer``, and
    ``vrboard_admin`` for the administrators."""
    return f"{role_prefix() if prefix is None else prefix}{access}"


# SQL expressions used in the rules below; the functions are created by security.apply.
ME = "(SELECT vrboard_current_person_id())"
EXEMPT_ITEM = "vrboard_item_is_exempt"
# Entities whose audit entries may carry exempt information.
AUDITED_EXEMPT_TABLES = ("minute", "decision", "paper", "declaration", "review", "recommendation")
AUDITED_EXEMPT = ", ".join(f"'{e}'" for e in AUDITED_EXEMPT_TABLES)


@dataclass(frozen=True)
class Rule:
    """What one table allows. ``read`` is a SQL condition on the row: rows for which it holds are
    visible to every reader; the others only to those entitled to exempt information."""

    read: str = "true"
    # Access roles that may INSERT, UPDATE and DELETE any (visible) row.
    write: tuple[str, ...] = WRITERS
    # Extra rights of an action owner: tables they may INSERT into (with this check on the new row)...
    owner_insert: str | None = None
    # ...and columns they may UPDATE on rows meeting ``owner_update_rows``.
    owner_update: tuple[str, ...] = ()
    owner_update_rows: str = "false"
    # Only the chair (or the vice-chair recorded as acting chair) inserts; nobody updates or deletes.
    chair_insert: str | None = None
    # Written only by INSERT (no UPDATE or DELETE for anyone but the administrator).
    append_only: bool = False
    extra_insert_roles: tuple[str, ...] = field(default=())


EVERYONE_READS = Rule()
UNLISTED = Rule(read="false")

TABLES: dict[str, Rule] = {
    "alembic_version": Rule(write=()),
    "board": EVERYONE_READS,
    "person": EVERYONE_READS,
    "membership": EVERYONE_READS,
    "workstream": EVERYONE_READS,
    "plan": EVERYONE_READS,
    "domain": EVERYONE_READS,
    "indicator": EVERYONE_READS,
    "indicator_value": EVERYONE_READS,
    # Approving minutes is checked by a trigger (only the chair); see security.TRIGGERS.
    "meeting": EVERYONE_READS,
    # A Part 2 item's title stays on the public agenda; what it holds is exempt.
    "agenda_item": EVERYONE_READS,
    "attendance": EVERYONE_READS,
    "paper": Rule(read=f"classification <> 'OFFICIAL-SENSITIVE' AND NOT {EXEMPT_ITEM}(agenda_item_id)"),
    "minute": Rule(read=f"NOT {EXEMPT_ITEM}(agenda_item_id)"),
    "decision": Rule(read="NOT vrboard_minute_is_exempt(minute_id)"),
    "declaration": Rule(read=f"agenda_item_id IS NULL OR NOT {EXEMPT_ITEM}(agenda_item_id)"),
    # Owners change status, RAG and percent (and what a change of status brings) on their own.
    "action": Rule(owner_update=("status", "rag", "percent_complete", "completed_on", "updated_at",
                                 "version"),
                   owner_update_rows=f"owner_id = {ME}"),
    "action_plan": EVERYONE_READS,
    "progress_update": Rule(owner_insert=(
        f"author_id = {ME} AND EXISTS (SELECT 1 FROM action a WHERE a.id = action_id "
        f"AND a.owner_id = {ME})")),
    "sign_off": Rule(write=(), chair_insert=f"by_id = {ME} AND (SELECT vrboard_is_chair())",
                     append_only=True),
    # The actor is checked by a trigger against session_user; nobody but the administrator
    # updates or deletes an entry.
    # An entry about a paper, minute, decision or declaration is visible when that row is
    # (its own policy decides, as this login); one about a deleted row, never to the others.
    # Set-based (hashed sub-plans), so listing 100,000 entries stays fast.
    "audit_entry": Rule(read=f"entity NOT IN ({AUDITED_EXEMPT})", write=(),
                        append_only=True, extra_insert_roles=("secretariat", "chair", "owner")),
    # An owner's export records itself, then what its stamp says (services/tracker.record_stamp).
    "export_batch": Rule(owner_insert=f"by_id = {ME}",
                         owner_update=("owner_id", "owner_name", "action_ids", "stamp_digest"),
                         owner_update_rows=f"by_id = {ME}"),
    # Issued packs and signed minutes: kept as issued (never changed); a public pack is for
    # everyone, a full pack and signed minutes only for those entitled to exempt information.
    "issued_document": Rule(read="kind = 'public_pack'", append_only=True),
    # The chair's certificates (public by nature); the chair or the secretariat records them.
    "signing_certificate": EVERYONE_READS,
    # The agenda items every new meeting starts with (terms of reference).
    "standing_item": EVERYONE_READS,
    # Reviews (workstreams 2 and 3): a review marked OFFICIAL-SENSITIVE (the Homicide and
    # Serious Violence Case Review) and its recommendations and their links are exempt. Only
    # the secretariat and the chair write them: an owner progresses the actions that carry a
    # recommendation out, and the secretariat records the recommendation's state from them.
    "review": Rule(read="classification <> 'OFFICIAL-SENSITIVE'"),
    "recommendation": Rule(read="review_id IN (SELECT id FROM review)"),
    "recommendation_action": Rule(read="recommendation_id IN (SELECT id FROM recommendation)"),
    # The forward plan: items planned for future meetings (titles are public, as on the agenda).
    "planned_item": EVERYONE_READS,
    # Lenses and the Serious Violence Duty (issue 15): everyone reads them (a Part 2 action's
    # tags say which groups it addresses, not what the exempt item held); the secretariat and
    # the chair write them.
    "tag": EVERYONE_READS,
    "action_tag": EVERYONE_READS,
    "indicator_tag": EVERYONE_READS,
    "indicator_group_value": EVERYONE_READS,
    "duty_record": EVERYONE_READS,
    # Community Conversations (WS1), the Youth Panel (WS7) and the Strategic Needs Assessment
    # (WS4): none is exempt, so everyone reads them; only the secretariat and the chair write
    # them (an owner progresses the actions that answer a theme, an ask or a finding). A
    # trained member's row holds only a name, who trained them and when.
    "community_session": EVERYONE_READS,
    "community_member": EVERYONE_READS,
    "community_theme": EVERYONE_READS,
    "community_theme_session": EVERYONE_READS,
    "community_theme_action": EVERYONE_READS,
    "champions_workshop": EVERYONE_READS,
    "youth_session": EVERYONE_READS,
    "youth_ask": EVERYONE_READS,
    "youth_ask_action": EVERYONE_READS,
    "needs_assessment": EVERYONE_READS,
    "needs_finding": EVERYONE_READS,
    "needs_finding_action": EVERYONE_READS,
    "column_mapping": Rule(owner_insert="true", owner_update=("name", "mapping_json"),
                           owner_update_rows="true"),
}


def audit_entry_read(present: set[str] | None = None) -> str:
    """The read condition of ``audit_entry``: an entry about a row of an exempt kind is visible
    when that row is. Only tables ``present`` are named (an upgrade applies the rules at an
    early revision too, before later tables exist; the rules are applied again at the end)."""
    kinds = [e for e in AUDITED_EXEMPT_TABLES if present is None or e in present]
    return f"entity NOT IN ({AUDITED_EXEMPT}) OR " + " OR ".join(
        f"(entity = '{e}' AND entity_id IN (SELECT id FROM {e}))" for e in kinds)


def rule_for(table: str, present: set[str] | None = None) -> Rule:
    """The rule of ``table``; ``present``: the tables that exist now (see audit_entry_read)."""
    if table == "audit_entry":
        return replace(TABLES[table], read=audit_entry_read(present))
    return TABLES.get(table, UNLISTED)
