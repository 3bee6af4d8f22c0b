"""Turns ``tables.TABLES`` into the database's own rules: group roles, GRANTs, row-level
security, the SQL functions the policies use, and the triggers that check who signs off,
who approves minutes and who an audit entry names.

``apply(conn)`` is idempotent: the PostgreSQL-only migration runs it, every later upgrade runs it
again, and so does ``vrboard users sync``. It takes back what it does not grant (REVOKE, then
GRANT), drops and recreates its own policies (named ``vrboard_*``), and replaces its functions
and triggers, all in the caller's transaction.

Identifiers are quoted with ``psycopg.sql``; the only SQL text built by hand is the rules'
conditions in ``tables.py`` (code, not input).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from . import tables as t
from .admin import can_create_roles, raw_connection

# Every function takes no input from a user; SECURITY DEFINER ones read the tables as their
# owner (the administrator group), so a policy's lookup is not itself filtered.
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION {s}.vrboard_role_prefix() RETURNS text
LANGUAGE sql IMMUTABLE AS $f$ SELECT {prefix}::text $f$;

CREATE OR REPLACE FUNCTION {s}.vrboard_is_admin() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT coalesce((SELECT r.rolsuper FROM pg_roles r WHERE r.rolname = session_user), false)
      OR EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = {admin}
                 AND pg_has_role(session_user, g.oid, 'MEMBER'))
      OR EXISTS (SELECT 1 FROM pg_tables v WHERE v.schemaname = {schema}
                 AND v.tablename = 'alembic_version' AND pg_has_role(session_user, v.tableowner, 'MEMBER'))
$f$;

CREATE OR REPLACE FUNCTION {s}.vrboard_current_person_id() RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT p.id FROM person p WHERE p.login = session_user AND p.active
$f$;

CREATE OR REPLACE FUNCTION {s}.vrboard_current_access() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT p.access_role::text FROM person p WHERE p.login = session_user AND p.active
$f$;

CREATE OR REPLACE FUNCTION {s}.vrboard_may_write() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT vrboard_is_admin() OR coalesce(vrboard_current_access() IN ('secretariat', 'chair'), false)
$f$;

-- The same rule as services.context.exempt_refusal: the secretariat, the chair and current
-- board members (any board role) see exempt information; so does the administrator.
CREATE OR REPLACE FUNCTION {s}.vrboard_sees_exempt() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT vrboard_is_admin()
      OR coalesce(vrboard_current_access() IN ('secretariat', 'chair'), false)
      OR EXISTS (SELECT 1 FROM person p JOIN membership m ON m.person_id = p.id
                 WHERE p.login = session_user AND p.active AND m.term_start <= current_date
                   AND (m.term_end IS NULL OR m.term_end >= current_date))
$f$;

-- The audit chain's head for every writer: row-level security hides some entries from some
-- logins, yet each new entry must follow the newest one (services/chain.py). plpgsql, so it
-- can be created before the chain's columns exist (revision 0006 adds them).
CREATE OR REPLACE FUNCTION {s}.vrboard_audit_chain_head() RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
BEGIN
  RETURN (SELECT entry_hash FROM audit_entry ORDER BY id DESC LIMIT 1);
END $f$;

-- The same rule as services.context.chair_status.
CREATE OR REPLACE FUNCTION {s}.vrboard_is_chair() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT EXISTS (
    SELECT 1 FROM person p JOIN membership m ON m.person_id = p.id
    WHERE p.login = session_user AND p.active AND m.term_start <= current_date
      AND (m.term_end IS NULL OR m.term_end >= current_date)
      AND (m.role = 'chair' OR (m.role = 'vice_chair' AND EXISTS (
            SELECT 1 FROM board b WHERE b.id = m.board_id AND b.acting_chair_id = p.id))))
$f$;

-- An agenda item's content is exempt when the item is in Part 2 or marked OFFICIAL-SENSITIVE
-- (what the public pack withholds: services.pack_data._sensitive). Unknown item: exempt.
CREATE OR REPLACE FUNCTION {s}.vrboard_item_is_exempt(p_item integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT coalesce((SELECT i.part = 2 OR i.classification = 'OFFICIAL-SENSITIVE'
                   FROM agenda_item i WHERE i.id = p_item), true)
$f$;

CREATE OR REPLACE FUNCTION {s}.vrboard_minute_is_exempt(p_minute integer) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {s} AS $f$
  SELECT coalesce((SELECT vrboard_item_is_exempt(m.agenda_item_id) FROM minute m
                   WHERE m.id = p_minute), true)
$f$;

-- Who an audit entry says made it must be the person signed in. The person is
-- recorded_by_id/recorded_by_name when the table has those columns and they are set (a
-- secretary recording for someone else, a tracker imported for its owner), else
-- actor_id/actor_name. The entry is refused, never rewritten (entries may be hash-chained).
CREATE OR REPLACE FUNCTION {s}.vrboard_check_audit_actor() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, {s} AS $f$
DECLARE
  me integer;
  my_name text;
  r jsonb;
  who integer;
  who_name text;
BEGIN
  IF vrboard_is_admin() THEN
    RETURN NEW;
  END IF;
  me := vrboard_current_person_id();
  IF me IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
      'vrboard: the login %s is not linked to an active person on this board, so it may not '
      'add to the audit trail', session_user);
  END IF;
  r := to_jsonb(NEW);
  IF r ? 'recorded_by_id' AND (r ->> 'recorded_by_id') IS NOT NULL THEN
    who := (r ->> 'recorded_by_id')::integer;
    who_name := r ->> 'recorded_by_name';
  ELSE
    who := NEW.actor_id;
    who_name := NEW.actor_name;
  END IF;
  SELECT p.name INTO my_name FROM person p WHERE p.id = me;
  IF who IS DISTINCT FROM me OR (who_name IS NOT NULL AND who_name IS DISTINCT FROM my_name) THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
      'vrboard: an audit entry must name the person signed in (%s, login %s), not %s',
      my_name, session_user, coalesce(who_name, 'nobody'));
  END IF;
  RETURN NEW;
END
$f$;

-- Only the chair (or the vice-chair recorded as acting chair) signs off or reopens an action.
CREATE OR REPLACE FUNCTION {s}.vrboard_check_sign_off() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, {s} AS $f$
BEGIN
  IF vrboard_is_admin() THEN
    RETURN NEW;
  END IF;
  IF (TG_OP = 'INSERT' AND NEW.status = 'signed_off')
     OR (TG_OP = 'UPDATE' AND (NEW.status = 'signed_off') IS DISTINCT FROM (OLD.status = 'signed_off'))
  THEN
    IF NOT vrboard_is_chair() THEN
      RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
        'vrboard: only the chair (or the vice-chair recorded as acting chair) signs off or '
        'reopens an action; the login %s is not the chair', session_user);
    END IF;
  END IF;
  RETURN NEW;
END
$f$;

-- Only the chair approves and signs minutes, in their own name.
CREATE OR REPLACE FUNCTION {s}.vrboard_check_minutes_approval() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, {s} AS $f$
DECLARE
  changed boolean;
BEGIN
  IF vrboard_is_admin() THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN
    changed := NEW.minutes_signed_at IS NOT NULL OR NEW.minutes_signed_by_id IS NOT NULL
               OR NEW.minutes_approved_at_id IS NOT NULL;
  ELSE
    changed := (NEW.minutes_signed_at, NEW.minutes_signed_by_id, NEW.minutes_approved_at_id)
               IS DISTINCT FROM (OLD.minutes_signed_at, OLD.minutes_signed_by_id,
                                 OLD.minutes_approved_at_id);
  END IF;
  IF changed AND (NOT vrboard_is_chair() OR NEW.minutes_signed_by_id IS DISTINCT FROM
                  CASE WHEN NEW.minutes_signed_at IS NULL THEN NEW.minutes_signed_by_id
                       ELSE vrboard_current_person_id() END) THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = format(
      'vrboard: only the chair approves and signs minutes, in their own name; the login %s '
      'may not', session_user);
  END IF;
  RETURN NEW;
END
$f$;
"""

FUNCTIONS = (
    "vrboard_role_prefix()", "vrboard_is_admin()", "vrboard_current_person_id()",
    "vrboard_current_access()", "vrboard_may_write()", "vrboard_sees_exempt()",
    "vrboard_is_chair()", "vrboard_item_is_exempt(integer)", "vrboard_minute_is_exempt(integer)",
    "vrboard_check_audit_actor()", "vrboard_audit_chain_head()",
    "vrboard_check_sign_off()", "vrboard_check_minutes_approval()",
)

# table -> (trigger name, timing and events, function)
TRIGGERS = {
    "audit_entry": ("vrboard_audit_actor", "BEFORE INSERT", "vrboard_check_audit_actor"),
    "action": ("vrboard_sign_off", "BEFORE INSERT OR UPDATE", "vrboard_check_sign_off"),
    "meeting": ("vrboard_minutes_approval", "BEFORE INSERT OR UPDATE",
                "vrboard_check_minutes_approval"),
}


@dataclass
class Applied:
    """What ``apply`` did: changes to roles (for ``users sync`` to print) and a summary."""

    schema: str = "public"
    created_roles: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    groups: bool = True  # False: the group roles do not exist and could not be created

    def lines(self) -> list[str]:
        out = [f"created group role {r} (NOLOGIN)" for r in self.created_roles]
        out.append(f"applied the database rules (GRANTs, row-level security, triggers) to "
                   f"{len(self.tables)} tables in schema {self.schema}")
        for name in self.unlisted:
            out.append(f"table {name} is not in vrboard's table list: only board members, the "
                       "chair and the secretariat may read it, only the secretariat and the chair "
                       "write it")
        if not self.groups:
            out.append("the group roles do not exist and this login may not create roles: run "
                       "'vrboard users sync' with a login that has CREATEROLE")
        return out


def _run(cur: Any, query: sql.Composable | str, params: Any = None) -> None:
    cur.execute(query, params)


def _role_exists(cur: Any, name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
    return cur.fetchone() is not None


def ensure_group_roles(cur: Any, prefix: str) -> list[str]:
    """Create the NOLOGIN group roles that do not exist yet; returns their names."""
    created = []
    for access in ("admin", *t.ACCESS_ROLES):
        name = t.group_role(access, prefix)
        if _role_exists(cur, name):
            continue
        cur.execute("SAVEPOINT vrboard_role")
        try:
            cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
        except Exception as exc:  # noqa: BLE001 - another session created it meanwhile
            cur.execute("ROLLBACK TO SAVEPOINT vrboard_role")
            if not _role_exists(cur, name):
                raise exc from None
        else:
            cur.execute("RELEASE SAVEPOINT vrboard_role")
            created.append(name)
    return created


def apply(conn: Any, prefix: str | None = None) -> Applied:
    """Apply every rule to every table of vrboard's schema. ``conn`` is a SQLAlchemy
    Connection (or a psycopg one) on PostgreSQL, in a transaction the caller commits."""
    prefix = t.role_prefix() if prefix is None else prefix
    raw = raw_connection(conn)
    cur = raw.cursor()
    cur.execute("SELECT current_schema()")
    schema = cur.fetchone()[0]
    result = Applied(schema=schema)
    groups_exist = all(_role_exists(cur, t.group_role(a, prefix)) for a in ("admin", *t.ACCESS_ROLES))
    if not groups_exist and can_create_roles(cur):
        result.created_roles = ensure_group_roles(cur, prefix)
        groups_exist = True
    result.groups = groups_exist
    admin = t.group_role("admin", prefix)
    s = sql.Identifier(schema)
    if groups_exist:
        _make_admin(cur, admin)
    _run(cur, sql.SQL(_FUNCTIONS).format(
        s=s, prefix=sql.Literal(prefix), admin=sql.Literal(admin), schema=sql.Literal(schema)))
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", (schema,))
    names = [r[0] for r in cur.fetchall()]
    owner_group = groups_exist and _is_member(cur, admin)
    if owner_group:  # the new owner must be able to create in the schema
        cur.execute("SAVEPOINT vrboard_schema")
        try:
            _run(cur, sql.SQL("GRANT CREATE ON SCHEMA {} TO {}").format(s, sql.Identifier(admin)))
        except Exception:  # noqa: BLE001 - not the schema's owner: the tables keep their owner
            cur.execute("ROLLBACK TO SAVEPOINT vrboard_schema")
            owner_group = False
        else:
            cur.execute("RELEASE SAVEPOINT vrboard_schema")
    for fn in FUNCTIONS:
        if owner_group:
            _run(cur, sql.SQL("ALTER FUNCTION {}.{} OWNER TO {}").format(
                s, sql.SQL(fn), sql.Identifier(admin)))
    for name in names:
        rule = t.rule_for(name, set(names))
        if name not in t.TABLES:
            result.unlisted.append(name)
        table = sql.Identifier(schema, name)
        if owner_group:
            _run(cur, sql.SQL("ALTER TABLE {} OWNER TO {}").format(table, sql.Identifier(admin)))
        _table_rules(cur, table, name, rule, prefix if groups_exist else None)
        result.tables.append(name)
    if groups_exist:
        _schema_grants(cur, s, prefix, owner_group)
    return result


def _is_member(cur: Any, role: str) -> bool:
    cur.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')", (role,))
    return bool(cur.fetchone()[0])


def _make_admin(cur: Any, admin: str) -> None:
    """Whoever applies the rules (the administrator) holds the administrator group, which owns
    vrboard's tables, so any administrator can later upgrade the schema."""
    if _is_member(cur, admin):
        return
    cur.execute("SAVEPOINT vrboard_admin")
    try:
        _run(cur, sql.SQL("GRANT {} TO {}").format(sql.Identifier(admin), sql.SQL("SESSION_USER")))
    except Exception:  # noqa: BLE001 - no right to grant it: the tables keep their owner
        cur.execute("ROLLBACK TO SAVEPOINT vrboard_admin")
    else:
        cur.execute("RELEASE SAVEPOINT vrboard_admin")


def _table_rules(cur: Any, table: sql.Composable, name: str, rule: t.Rule, prefix: str | None) -> None:
    group = {a: sql.Identifier(t.group_role(a, prefix)) for a in t.ACCESS_ROLES} if prefix else {}
    if prefix is not None:
        _run(cur, sql.SQL("REVOKE ALL ON {} FROM PUBLIC, {}").format(
            table, sql.SQL(", ").join(group.values())))
        _run(cur, sql.SQL("GRANT ALL ON {} TO {}").format(
            table, sql.Identifier(t.group_role("admin", prefix))))
        _run(cur, sql.SQL("GRANT SELECT ON {} TO {}").format(
            table, sql.SQL(", ").join(group.values())))
        writers = [group[a] for a in rule.write]
        if writers:
            verbs = "INSERT" if rule.append_only else "INSERT, UPDATE, DELETE"
            _run(cur, sql.SQL("GRANT " + verbs + " ON {} TO {}").format(
                table, sql.SQL(", ").join(writers)))
        inserters = [group[a] for a in rule.extra_insert_roles if a not in rule.write]
        if rule.owner_insert is not None and "owner" not in rule.extra_insert_roles:
            inserters.append(group["owner"])
        if rule.chair_insert is not None:
            inserters += [group["chair"], group["secretariat"]]
        if inserters:
            _run(cur, sql.SQL("GRANT INSERT ON {} TO {}").format(
                table, sql.SQL(", ").join(inserters)))
        # Columns a later revision adds get their grant when the rules are applied after it.
        cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                    "current_schema() AND table_name = %s", (name,))
        present = {r[0] for r in cur.fetchall()}
        updatable = [c for c in rule.owner_update if c in present]
        if updatable:
            _run(cur, sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in updatable), table, group["owner"]))
    if name == "alembic_version":
        return  # no rows to protect: everyone reads the schema version
    _run(cur, sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(table))
    cur.execute("SELECT policyname FROM pg_policies WHERE schemaname = current_schema() "
                "AND tablename = %s AND policyname LIKE 'vrboard%%'", (name,))
    for (policy,) in cur.fetchall():
        _run(cur, sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(policy), table))

    def policy(pname: str, command: str, using: str | None, check: str | None) -> None:
        q = sql.SQL("CREATE POLICY {} ON {} AS PERMISSIVE FOR " + command + " TO PUBLIC").format(
            sql.Identifier(pname), table)
        if using is not None:
            q += sql.SQL(" USING (" + using + ")")
        if check is not None:
            q += sql.SQL(" WITH CHECK (" + check + ")")
        _run(cur, q)

    read = "true" if rule.read == "true" else f"(SELECT vrboard_sees_exempt()) OR ({rule.read})"
    policy("vrboard_read", "SELECT", read, None)
    admin = "(SELECT vrboard_is_admin())"
    may_write = "(SELECT vrboard_may_write())"
    if rule.write:
        policy("vrboard_insert", "INSERT", None, may_write)
        if not rule.append_only:
            policy("vrboard_update", "UPDATE", may_write, may_write)
            policy("vrboard_delete", "DELETE", may_write, None)
    else:
        policy("vrboard_admin_insert", "INSERT", None, admin)
        if not rule.append_only:
            policy("vrboard_admin_update", "UPDATE", admin, admin)
            policy("vrboard_admin_delete", "DELETE", admin, None)
    if rule.append_only and rule.extra_insert_roles:
        policy("vrboard_append", "INSERT", None,
               "(SELECT vrboard_current_access()) IN ("
               + ", ".join(f"'{a}'" for a in rule.extra_insert_roles) + ")")
    is_owner = "(SELECT vrboard_current_access()) = 'owner'"
    if rule.owner_insert is not None:
        policy("vrboard_owner_insert", "INSERT", None, f"{is_owner} AND ({rule.owner_insert})")
    if rule.owner_update:
        cond = f"{is_owner} AND ({rule.owner_update_rows})"
        policy("vrboard_owner_update", "UPDATE", cond, cond)
    if rule.chair_insert is not None:
        policy("vrboard_chair_insert", "INSERT", None, rule.chair_insert)
    trigger = TRIGGERS.get(name)
    if trigger is not None:
        tname, when, fn = trigger
        _run(cur, sql.SQL("CREATE OR REPLACE TRIGGER {} " + when + " ON {} FOR EACH ROW "
                          "EXECUTE FUNCTION {}()").format(
            sql.Identifier(tname), table, sql.Identifier(fn)))


def _schema_grants(cur: Any, s: sql.Composable, prefix: str, owner_group: bool) -> None:
    groups = [sql.Identifier(t.group_role(a, prefix)) for a in t.ACCESS_ROLES]
    writers = [sql.Identifier(t.group_role(a, prefix)) for a in ("secretariat", "chair", "owner")]
    admin = sql.Identifier(t.group_role("admin", prefix))
    everyone = sql.SQL(", ").join(groups)
    _run(cur, sql.SQL("GRANT USAGE ON SCHEMA {} TO {}, {}").format(s, everyone, admin))
    _run(cur, sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(s, everyone))
    _run(cur, sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
        s, sql.SQL(", ").join(writers)))
    cur.execute("SELECT current_database()")
    db = sql.Identifier(cur.fetchone()[0])
    _run(cur, sql.SQL("GRANT CONNECT ON DATABASE {} TO {}, {}").format(db, everyone, admin))
    # Tables created later (a newer vrboard's migration) are readable and writable by the
    # secretariat and the chair at once; the next apply gives them their full rules.
    targets = [sql.SQL("")] + ([sql.SQL("FOR ROLE {} ").format(admin)] if owner_group else [])
    for who in targets:
        _run(cur, sql.SQL("ALTER DEFAULT PRIVILEGES {}IN SCHEMA {} GRANT SELECT, INSERT, UPDATE, "
                          "DELETE ON TABLES TO {}, {}").format(
            who, s, sql.Identifier(t.group_role("secretariat", prefix)),
            sql.Identifier(t.group_role("chair", prefix))))
        _run(cur, sql.SQL("ALTER DEFAULT PRIVILEGES {}IN SCHEMA {} GRANT USAGE, SELECT ON "
                          "SEQUENCES TO {}").format(who, s, sql.SQL(", ").join(writers)))


def drop(conn: Any) -> None:
    """Undo ``apply`` on this database (the downgrade): policies, row-level security, triggers
    and functions. Group roles are shared by the server's databases and are left in place."""
    cur = raw_connection(conn).cursor()
    cur.execute("SELECT current_schema()")
    schema = cur.fetchone()[0]
    s = sql.Identifier(schema)
    cur.execute("SELECT tablename, policyname FROM pg_policies WHERE schemaname = %s "
                "AND policyname LIKE 'vrboard%%'", (schema,))
    for table, policy in cur.fetchall():
        _run(cur, sql.SQL("DROP POLICY {} ON {}").format(sql.Identifier(policy),
                                                         sql.Identifier(schema, table)))
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
    for (table,) in cur.fetchall():
        _run(cur, sql.SQL("ALTER TABLE {} DISABLE ROW LEVEL SECURITY").format(
            sql.Identifier(schema, table)))
        trigger = TRIGGERS.get(table)
        if trigger is not None:
            _run(cur, sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(
                sql.Identifier(trigger[0]), sql.Identifier(schema, table)))
    for fn in reversed(FUNCTIONS):
        _run(cur, sql.SQL("DROP FUNCTION IF EXISTS {}.{}").format(s, sql.SQL(fn)))
