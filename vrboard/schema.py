"""The schema: Alembic revisions applied on open, in one transaction under a lock, and who
may change a shared server's schema. ``store.open_database`` calls ``migrate``; restore
calls ``upgrade_schema`` inside its own transaction. (Split from ``store``, whose names it
still re-exports.)"""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import OperationalError, ProgrammingError

from . import store as _store
from . import store_errors
from .errors import DatabaseError
from .store import describe_url, sqlite_file

# --- migrations -----------------------------------------------------------------------------


def alembic_config(engine: Engine | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_store.DB_DIR))
    cfg.set_main_option("path_separator", "os")
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


_REV = re.compile(r"^(down_)?revision(?:\s*:\s*[^=]+)?\s*=\s*['\"]?([\w]+|None)['\"]?", re.M)


def schema_head() -> str:
    """The newest revision in db/versions, read from the revision files without importing
    Alembic (it costs start-up time). A test checks it against Alembic's own answer."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (_store.DB_DIR / "versions").glob("*.py"):
        found = dict((bool(m.group(1)), m.group(2)) for m in _REV.finditer(path.read_text("utf-8")))
        if False in found:
            revisions.add(found[False])
        if found.get(True) not in (None, "None"):
            parents.add(found[True])
    heads = revisions - parents
    if len(heads) != 1:
        return head_revision()  # branches or an unusual file: let Alembic decide
    return heads.pop()


def stamped_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, read with plain SQL (None: not a vrboard db yet)."""
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except (OperationalError, ProgrammingError) as exc:
        if getattr(exc.orig, "sqlstate", None) == "42501":
            raise  # the table is there but this login may not read it: not "no board"
        return None


def current_revision(engine: Engine | Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    if isinstance(engine, Connection):
        return MigrationContext.configure(engine).get_current_revision()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class MigrationResult:
    before: str | None
    after: str
    backup: Path | None


SCHEMA_LOCK = 0x76726264  # "vrbd": PostgreSQL advisory lock taken while a schema is built


@contextmanager
def schema_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction that holds the schema lock: SQLite's write lock (BEGIN IMMEDIATE; a
    second process waits for the first), or a PostgreSQL advisory lock. Everything done on
    the connection, DDL included, commits at the end or not at all."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.begin()
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


def migrate(engine: Engine, url: str) -> MigrationResult:
    """Bring the schema to the newest revision, refusing a database from a newer vrboard.

    A SQLite file that holds data is copied aside (``<name>.before-<rev>-<time>.bak``)
    before any upgrade touches it. The upgrade runs in one transaction (see
    ``schema_transaction``); a schema that an interrupted first open left half-built is
    cleared and built again in that same transaction.
    """
    stamped = stamped_revision(engine)
    if stamped is not None and stamped == schema_head():
        return MigrationResult(stamped, stamped, None)
    head = head_revision()
    _refuse_newer(url, stamped, head)
    if engine.dialect.name == "postgresql":
        _require_schema_admin(engine, url, stamped, head)
    backup = None
    path = sqlite_file(url)
    if stamped is not None and path is not None and path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.name}.before-{head}-{stamp}.bak")
        _copy_sqlite(path, backup)
    try:
        with schema_transaction(engine) as conn:
            before = upgrade_schema(conn, url)
            if conn.dialect.name == "postgresql" and before != head:
                _reapply_server_rules(conn)  # every table, new ones too, under the schema lock
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)  # nothing changed: no copy needed
        raise
    if before == head and backup is not None:
        backup.unlink(missing_ok=True)  # another process upgraded it meanwhile
        backup = None
    return MigrationResult(before, head, backup)


def upgrade_schema(conn: Connection, url: str) -> str | None:
    """Inside the caller's transaction: build or upgrade the schema to head; returns the
    revision found. Refuses a newer schema and one holding tables that are not vrboard's."""
    from alembic import command

    before = current_revision(conn)
    head = head_revision()
    if before == head:
        return before
    _refuse_newer(url, before, head)
    if before is None:
        state = schema_state(conn)
        if state == "foreign":
            raise DatabaseError(
                f"The database {describe_url(url)} holds tables that are not vrboard's. "
                "Choose an empty database or a vrboard database. Nothing was changed.")
        if state == "partial":
            _clear_partial_schema(conn, url)
    cfg = alembic_config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
    return before


def _refuse_newer(url: str, found: str | None, head: str) -> None:
    if found is not None and found != head and found not in known_revisions():
        raise DatabaseError(
            f"The database {describe_url(url)} was written by a newer version of vrboard "
            f"(schema {found}); this version knows schemas up to {head}. "
            "Install the newer vrboard to open it. Nothing was changed."
        )


def _our_tables() -> set[str]:
    from .model import Base

    return set(Base.metadata.tables) | {"alembic_version"}


def schema_state(conn: Connection | Engine) -> str:
    """For a database with no version stamp: ``empty`` (no tables), ``partial`` (only
    tables of vrboard's own schema: a first open that was interrupted before it finished,
    e.g. by an older vrboard that built the tables one by one), or ``foreign``."""
    names = set(inspect(conn).get_table_names())
    if not names:
        return "empty"
    return "partial" if names <= _our_tables() else "foreign"


def _clear_partial_schema(conn: Connection, url: str) -> None:
    """Drop the tables of an unfinished schema so the migration can build it whole. They
    never held rows (rows arrive only after the schema is complete); if they do, refuse."""
    from sqlalchemy import text

    from .model import Base

    present = set(inspect(conn).get_table_names())
    order = [t.name for t in reversed(Base.metadata.sorted_tables)] + ["alembic_version"]
    for name in order:
        if name in present and name != "alembic_version" and conn.execute(
                text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None:
            raise DatabaseError(
                f"The database {describe_url(url)} holds part of vrboard's tables, with rows in "
                f"{name}, but no schema version. It was not made by vrboard as it is; restore "
                "a backup into a new database instead. Nothing was changed.")
    cascade = " CASCADE" if conn.dialect.name == "postgresql" else ""
    for name in order:
        if name in present:
            conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"{cascade}')


def _copy_sqlite(path: Path, backup: Path) -> None:
    """A consistent copy even in WAL mode, through SQLite's own backup API."""
    try:
        src = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(backup)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        backup.unlink(missing_ok=True)
        msg = store_errors.sqlite_message(str(exc), str(path))
        raise DatabaseError(msg or f"Cannot copy {path} aside before upgrading it: {exc}. "
                            "Nothing was changed.") from None



# --- a shared PostgreSQL server: who may change the schema -------------------------------------


def _connect_server(engine: Engine, url: str) -> None:
    """Connect once, turning a refused login or an unreachable server into a plain message."""
    from .pg.errors import connection_error

    try:
        with engine.connect():
            pass
    except OperationalError as exc:
        raise (connection_error(url, exc) or DatabaseError(
            f"Cannot open the database {describe_url(url)}: {exc.orig}")) from None


def _require_schema_admin(engine: Engine, url: str, before: str | None, head: str) -> None:
    """Only the administrator's login changes the schema of a shared board (pg/admin.py says
    who that is); anyone else is told to ask them, and nothing is changed."""
    from .pg.admin import is_administrator, may_create_schema, session_login

    with engine.connect() as conn:
        login = session_login(conn)
        if is_administrator(conn) or (before is None and schema_state(conn) != "foreign"
                                      and may_create_schema(conn)):
            return
    where = describe_url(url)
    if before is None:
        state = "holds no vrboard board yet"
        ask = "to set it up (vrboard init) with the administrator's login"
    elif before in known_revisions():
        state = f"has an older schema ({before}) than this vrboard ({head})"
        ask = "to upgrade it by opening it once with this version of vrboard"
    else:
        state = f"was written by a newer vrboard (schema {before}; this one knows up to {head})"
        ask = "which version of vrboard the board uses, and install that"
    raise DatabaseError(
        f"The database {where} {state}. Only the administrator may change a shared board's "
        f"schema, and you are connected as '{login}'. Ask the administrator {ask}. "
        "Nothing was changed.")


def _reapply_server_rules(conn: Connection) -> None:
    """After an upgrade, give every table (new ones too) the database's rules again."""
    from .pg.security import apply

    apply(conn)
