"""The database: engine and sessions, migrations on open, and safety copies.

Default: one SQLite file in the user's data folder (WAL, foreign keys, busy
timeout). Any SQLAlchemy URL may be given instead (``--db`` or
``VRBOARD_DATABASE_URL``); PostgreSQL goes through psycopg 3.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from .errors import DatabaseError

ENV_URL = "VRBOARD_DATABASE_URL"
APP_NAME = "vrboard"
DB_DIR = Path(__file__).resolve().parent.parent / "db"


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "vrboard.sqlite3"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: the argument, else $VRBOARD_DATABASE_URL, else the default file.

    A bare file path is accepted and means a SQLite file.
    """
    url = url or os.environ.get(ENV_URL) or ""
    if not url:
        path = default_sqlite_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def describe_url(url: str) -> str:
    """The URL without its password, for status bars and messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str) -> Engine:
    try:
        u = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"'{url}' is not a database address vrboard understands.") from None
    kwargs: dict[str, Any] = {}
    if u.get_backend_name() == "sqlite":
        path = sqlite_file(url)
        if path is not None and not path.parent.exists():
            raise DatabaseError(f"The folder {path.parent} does not exist.")
        kwargs["connect_args"] = {"timeout": 5}
    else:
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"Cannot use the database {describe_url(url)}: {exc}") from None
    if u.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


# --- migrations -----------------------------------------------------------------------------


def alembic_config(engine: Engine | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(DB_DIR))
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
    for path in (DB_DIR / "versions").glob("*.py"):
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
    except (OperationalError, ProgrammingError):
        return None


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@dataclass
class MigrationResult:
    before: str | None
    after: str
    backup: Path | None


def migrate(engine: Engine, url: str) -> MigrationResult:
    """Bring the schema to the newest revision, refusing a database from a newer vrboard.

    A SQLite file that holds data is copied aside (``<name>.before-<rev>-<time>.bak``)
    before any upgrade touches it.
    """
    stamped = stamped_revision(engine)
    if stamped is not None and stamped == schema_head():
        return MigrationResult(stamped, stamped, None)
    from alembic import command

    try:
        before = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(
            f"Cannot open the database {describe_url(url)}: {exc.orig}"
        ) from None
    head = head_revision()
    if before == head:
        return MigrationResult(before, head, None)
    if engine.dialect.name == "postgresql":
        _require_schema_admin(engine, url, before, head)
    if before is not None and before not in known_revisions():
        raise DatabaseError(
            f"The database {describe_url(url)} was written by a newer version of vrboard "
            f"(schema {before}); this version knows schemas up to {head}. "
            "Install the newer vrboard to open it. Nothing was changed."
        )
    if before is None and _has_foreign_tables(engine):
        raise DatabaseError(
            f"The database {describe_url(url)} holds tables that are not vrboard's. "
            "Choose an empty database or a vrboard database. Nothing was changed."
        )
    backup = None
    path = sqlite_file(url)
    if before is not None and path is not None and path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.name}.before-{head}-{stamp}.bak")
        _copy_sqlite(engine, path, backup)
    command.upgrade(alembic_config(engine), "head")
    if engine.dialect.name == "postgresql":  # tables added by revisions after 0002 too
        _reapply_server_rules(engine)
    return MigrationResult(before, head, backup)


def _has_foreign_tables(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    return bool(names - {"alembic_version"})


def _copy_sqlite(engine: Engine, path: Path, backup: Path) -> None:
    """A consistent copy even in WAL mode: checkpoint first, then copy the file."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy2(path, backup)


# --- the open database ------------------------------------------------------------------------


class Database:
    """An open, migrated database: hands out sessions."""

    def __init__(self, url: str, engine: Engine, migration: MigrationResult) -> None:
        self.url = url
        self.engine = engine
        self.migration = migration
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @property
    def label(self) -> str:
        path = sqlite_file(self.url)
        return str(path) if path is not None else describe_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work commits at the end, or rolls back whole on any error."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate_schema: bool = True) -> Database:
    full = resolve_url(url)
    engine = make_engine(full)
    try:
        if engine.dialect.name == "postgresql":
            _connect_server(engine, full)
        if migrate_schema:
            result = migrate(engine, full)
        else:
            rev = current_revision(engine)
            result = MigrationResult(rev, rev or "", None)
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        from .pg.errors import describe_server, privilege_error  # a login without its grants

        raise privilege_error(full, describe_server(full)[1], exc) or DatabaseError(
            f"Cannot open the database {describe_url(full)}: {exc}") from None
    return Database(full, engine, result)


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
        if is_administrator(conn) or (before is None and not _has_foreign_tables(engine)
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


def _reapply_server_rules(engine: Engine) -> None:
    """After an upgrade, give every table (new ones too) the database's rules again."""
    from .pg.security import apply

    with engine.begin() as conn:
        apply(conn)
