"""``vrboard users sync``: make the server's roles match the board's people.

Run with the administrator's login (pg/admin.py). It creates the NOLOGIN group roles
(``vrboard_secretariat``, ``vrboard_chair``, ``vrboard_owner``, ``vrboard_viewer``, and
``vrboard_admin``), a LOGIN role without a password for each person who has a login, puts each
active person in the group of their access role and nobody else in any, and re-applies the
database's rules to every table (pg/security.py). Each change is returned (to be printed) and
audited, all in one transaction; a dry run rolls it back.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import sql
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import DBAPIError

from ..errors import DatabaseError, PermissionDenied
from ..model import AccessRole, AuditEntry, Channel, Person
from ..pg import security
from ..pg import tables as t
from ..pg.admin import can_create_roles, is_administrator, raw_connection, server_of, session_login
from ..pg.errors import privilege_error
from . import chain
from .audit import entry, entry_base
from .context import Actor

SOURCE = "vrboard users sync"
RESERVED = {"public", "none", "current_user", "session_user", "current_role", "system_user"}
MAX_NAME = 63  # PostgreSQL cuts longer names short: refuse them rather than create another name


@dataclass(frozen=True)
class RoleChange:
    verb: str  # "create", "grant", "revoke"
    login: str
    group: str = ""
    person: str = ""
    why: str = ""

    def line(self, dry_run: bool = False) -> str:
        would = "would " if dry_run else ""
        who = f" ({self.person})" if self.person else ""
        if self.verb == "create":
            return (f"{would}create login role {self.login}{who}, without a password: set one "
                    "(ALTER ROLE ... PASSWORD) or map a Kerberos principal")
        if self.verb == "grant":
            return f"{would}grant {self.group} to {self.login}{who}"
        return f"{would}revoke {self.group} from {self.login}{who}: {self.why}"


@dataclass
class SyncResult:
    server: str
    login: str
    changes: list[RoleChange] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    dry_run: bool = False

    def lines(self) -> list[str]:
        out = [c.line(self.dry_run) for c in self.changes]
        out += self.notes + self.rules
        if not self.changes:
            out.append("Every login already holds the group of its access role: nothing to change.")
        if self.dry_run:
            out.append("Dry run: nothing was changed.")
        return out


def login_problem(login: str, prefix: str) -> str | None:
    """Why ``login`` cannot be a login role for vrboard, or None."""
    if len(login.encode("utf-8")) > MAX_NAME:
        return f"is longer than PostgreSQL's {MAX_NAME}-byte limit for role names"
    if login.lower() in RESERVED or login.startswith("pg_"):
        return "is a name PostgreSQL reserves"
    if login.startswith(prefix) and login[len(prefix):] in ("admin", *t.ACCESS_ROLES):
        return "is the name of one of vrboard's group roles"
    if not login.strip() or login != login.strip() or "\x00" in login:
        return "is blank or has spaces at its ends"
    return None


def sync_users(conn: Connection, url: str, *, dry_run: bool = False,
               prefix: str | None = None) -> SyncResult:
    """Do the sync on ``conn`` (PostgreSQL, inside a transaction the caller commits, or rolls
    back for a dry run)."""
    prefix = t.role_prefix() if prefix is None else prefix
    login = session_login(conn)
    result = SyncResult(server_of(conn), login, dry_run=dry_run)
    _require_administrator(conn, result)
    try:
        applied = security.apply(conn, prefix)
        result.rules = [("would have " if dry_run else "") + line for line in applied.lines()]
        _sync_logins(conn, prefix, result)
    except DBAPIError as exc:
        raise (privilege_error(url, login, exc) or exc) from None
    _audit(conn, result)
    return result


def _require_administrator(conn: Connection, result: SyncResult) -> None:
    where = f"the server {result.server}"
    if not is_administrator(conn):
        raise PermissionDenied(
            f"users sync changes the roles on {where}, so it runs with the administrator's login; "
            f"you are connected as '{result.login}'. Ask the administrator to run it (or connect "
            "as a login that holds the vrboard_admin role). Nothing was changed.")
    if not can_create_roles(conn):
        raise PermissionDenied(
            f"users sync creates roles on {where}, and the login '{result.login}' may not create "
            "roles. Run it with a login that has CREATEROLE (ask the server's administrator: "
            f"ALTER ROLE {result.login} CREATEROLE), or as a superuser. Nothing was changed.")


def _sync_logins(conn: Connection, prefix: str, result: SyncResult) -> None:
    cur = raw_connection(conn).cursor()
    groups = {access: t.group_role(access, prefix) for access in t.ACCESS_ROLES}
    people = conn.execute(select(Person.id, Person.name, Person.login, Person.access_role,
                                 Person.active).where(Person.login.is_not(None))
                          .order_by(Person.login)).all()
    wanted: dict[str, str] = {}  # login -> group it should hold
    names: dict[str, str] = {}
    for _pid, name, login, access, active in people:
        problem = login_problem(login, prefix)
        if problem:
            result.notes.append(f"skipped {name}: the login '{login}' {problem}; the secretariat "
                                "should record another login")
            continue
        names[login] = name
        role = _role(cur, login)
        if role is None:
            cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(login)))
            result.changes.append(RoleChange("create", login, person=name))
        elif role[1]:
            result.notes.append(f"left {login} ({name}) as it is: a superuser needs no group")
            continue
        elif not role[0]:
            result.notes.append(f"{login} ({name}) exists but may not log in (NOLOGIN); left so")
        if active:
            wanted[login] = groups[AccessRole(access).value]
    held = _members(cur, list(groups.values()))
    for login, group in sorted(wanted.items()):
        if (login, group) not in held:
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))
            result.changes.append(RoleChange("grant", login, group, names[login]))
    active_logins = {login for _i, _n, login, _a, active in people if active}
    for login, group in sorted(held):
        if wanted.get(login) == group:
            continue
        if login in wanted:
            why = f"{names[login]} is now {_article(wanted[login][len(prefix):])}"
        elif login in names and login not in active_logins:
            why = f"{names[login]}'s account is inactive"
        else:
            why = "no person on this board has this login"
        cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), sql.Identifier(login)))
        result.changes.append(RoleChange("revoke", login, group, names.get(login, ""), why))


def _article(access: str) -> str:
    return {"owner": "an owner"}.get(access, f"the {access}" if access in ("chair", "secretariat")
                                     else f"a {access}")


def _role(cur: Any, name: str) -> tuple[bool, bool] | None:
    cur.execute("SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = %s", (name,))
    row = cur.fetchone()
    return None if row is None else (bool(row[0]), bool(row[1]))


def _members(cur: Any, groups: list[str]) -> set[tuple[str, str]]:
    cur.execute("SELECT m.rolname, g.rolname FROM pg_auth_members am "
                "JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member "
                "WHERE g.rolname = ANY(%s)", (groups,))
    return {(m, g) for m, g in cur.fetchall()}


def _audit(conn: Connection, result: SyncResult) -> None:
    """One audit entry per change of a login's roles, in the same transaction."""
    if not result.changes:
        return
    me = conn.execute(select(Person.id, Person.name, Person.access_role)
                      .where(Person.login == result.login)).first()
    actor = (Actor(me.id, me.name, me.access_role, Channel.COMMAND_LINE, SOURCE) if me else
             Actor(None, f"{result.login} (administrator)", AccessRole.SECRETARIAT,
                   Channel.COMMAND_LINE, SOURCE))
    base = entry_base(actor)
    rows = []
    for c in result.changes:
        field_, old, new = {"create": ("login role", None, c.login),
                            "grant": ("group role", None, c.group),
                            "revoke": ("group role", c.group, None)}[c.verb]
        rows.append(entry(base, "login_role", None, c.login, field_, old, new))
    chain.link(conn, rows)
    conn.execute(insert(AuditEntry), rows)


def check_server(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise DatabaseError(
            "users sync manages the logins of a shared PostgreSQL board; a SQLite file has none "
            "(whoever can open the file can read it all). Nothing was changed.")
