"""The database: engine and sessions, migrations on open, and safety copies.

Default: one SQLite file in the user's data folder (WAL, foreign keys, busy
timeout). Any SQLAlchemy URL may be given instead (``--db`` or
``VRBOARD_DATABASE_URL``); PostgreSQL goes through psycopg 3.

``open_database(url, mode=...)`` says what the caller may do to the database:
``OpenMode.CREATE`` (``init``, the app) makes a missing file and its schema, finishes a
schema an interrupted first open left half-built, and upgrades an older one;
``OpenMode.MIGRATE`` (commands that change a board) needs an existing board and upgrades it;
``OpenMode.READ`` (commands that only read) needs an existing board at this version's schema
and writes nothing at all. The schema is built or upgraded in ONE transaction (SQLite's DDL
is transactional too), under a lock, so a kill, a full disk or a second process racing the
first leaves either no schema or all of it.

Every connection has a connect timeout and a statement timeout (``Timeouts``); driver
errors a user can act on (busy, read-only, disk full, no answer) come out as
``DatabaseError`` with a plain message naming the file or server (``store_errors``).
"""
from __future__ import annotations

import datetime as dt
import enum
import os
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from . import store_errors
from .errors import DatabaseError

ENV_URL = "VRBOARD_DATABASE_URL"
APP_NAME = "vrboard"
DB_DIR = Path(__file__).resolve().parent.parent / "db"


def default_sqlite_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / "vrboard.sqlite3"


class OpenMode(enum.Enum):
    """What opening a database may do to it."""

    CREATE = "create"    # make the file and schema when missing, finish or upgrade the schema
    MIGRATE = "migrate"  # an existing board only; upgrade an older schema
    READ = "read"        # an existing board at this version's schema; write nothing


@dataclass(frozen=True)
class Timeouts:
    """Seconds. ``connect``: how long a server may take to accept a connection (libpq's
    minimum is 2). ``statement``: the longest one statement may run on PostgreSQL (0: no
    limit); ``busy``: how long SQLite waits for another program's write lock."""

    connect: float = 10
    statement: float = 60
    busy: float = 10

    @classmethod
    def for_purpose(cls, purpose: str) -> Timeouts:
        """``read`` (listings, reports), ``write`` (a change), ``bulk`` (backup, restore,
        import of a whole board). ``$VRBOARD_CONNECT_TIMEOUT`` overrides the connect timeout."""
        base = {"read": cls(statement=60), "write": cls(statement=120),
                "bulk": cls(statement=1800, busy=30)}[purpose]
        env = os.environ.get(ENV_CONNECT_TIMEOUT, "").strip()
        if env:
            try:
                value = float(env)
            except ValueError:
                raise DatabaseError(f"{ENV_CONNECT_TIMEOUT}={env!r} is not a number of "
                                    "seconds.") from None
            base = replace(base, connect=max(2.0, value))
        return base


ENV_CONNECT_TIMEOUT = "VRBOARD_CONNECT_TIMEOUT"
NO_BOARD = "There is no board at {where}; create it with `vrboard init`."


def resolve_url(url: str | None = None, *, create_folder: bool = False) -> str:
    """The URL to use: the argument, else $VRBOARD_DATABASE_URL, else the default file.

    A bare file path is accepted and means a SQLite file. The default file's folder is
    made only when ``create_folder`` (a command that creates the board).
    """
    url = url or os.environ.get(ENV_URL) or ""
    if not url:
        try:
            path = default_sqlite_path()
        except (OSError, RuntimeError) as exc:
            raise DatabaseError(f"Cannot work out your data folder ({exc}). Give the board "
                                "file with --db FILE or $VRBOARD_DATABASE_URL.") from None
        if create_folder:
            _make_folder(path.parent)
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


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            f"Cannot create the folder {folder} for the board's file: "
            f"{exc.strerror or exc}. Check $XDG_DATA_HOME and $HOME, or give the board file "
            "with --db FILE.") from None
    _require_writable(folder)


def _require_writable(folder: Path) -> None:
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DatabaseError(f"The folder {folder} is not writable, so no board can be created "
                            "there. Choose another place with --db FILE.")


def sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(busy_ms: int) -> Any:
    def pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            cur.execute("PRAGMA journal_mode=WAL")  # a write: only when not set already
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
    return pragmas


def server_label(url: str) -> str:
    """host:port/database of a server URL (how messages name the server)."""
    try:
        u = make_url(url)
    except ArgumentError:
        return url
    host = u.host or "localhost"
    return f"{host}:{u.port or 5432}/{u.database or ''}"


def make_engine(url: str, timeouts: Timeouts | None = None) -> Engine:
    timeouts = timeouts or Timeouts()
    try:
        u = make_url(url)
    except ArgumentError:
        raise DatabaseError(f"'{url}' is not a database address vrboard understands.") from None
    kwargs: dict[str, Any] = {}
    sqlite = u.get_backend_name() == "sqlite"
    if sqlite:
        path = sqlite_file(url)
        if path is not None and not path.parent.exists():
            raise DatabaseError(f"The folder {path.parent} does not exist.")
        kwargs["connect_args"] = {"timeout": timeouts.busy}
        label = str(path) if path is not None else describe_url(url)
    else:
        kwargs["pool_pre_ping"] = True
        args: dict[str, Any] = {"connect_timeout": max(2, round(timeouts.connect)),
                                "application_name": "vrboard"}
        if timeouts.statement and u.get_backend_name() == "postgresql":
            args["options"] = f"-c statement_timeout={round(timeouts.statement * 1000)}"
        kwargs["connect_args"] = args
        label = server_label(url)
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"Cannot use the database {describe_url(url)}: {exc}") from None
    if sqlite:
        event.listen(engine, "connect", _sqlite_pragmas(round(timeouts.busy * 1000)))
    store_errors.install(engine, label, timeouts)
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
    def transaction(self, *, exclusive: bool = False) -> Iterator[Session]:
        """A session whose work commits at the end, or rolls back whole on any error.

        ``exclusive``: one such transaction at a time (SQLite's write lock taken at the
        start; a PostgreSQL advisory lock), so a check-then-write such as ``init`` cannot
        race another process doing the same."""
        with self._sessions() as session, session.begin():
            if exclusive:
                conn = session.connection()
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                elif conn.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK + 1})")
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate_schema: bool = True,
                  mode: OpenMode = OpenMode.CREATE, timeouts: Timeouts | None = None) -> Database:
    """Open the board at ``url`` (None: $VRBOARD_DATABASE_URL, else the default file).

    ``mode`` says what opening may do (see ``OpenMode``); ``migrate_schema=False`` opens
    whatever schema is there without touching it (tests of old schemas)."""
    full = resolve_url(url, create_folder=mode is OpenMode.CREATE)
    path = sqlite_file(full)
    if mode is not OpenMode.CREATE and path is not None:
        _require_file(path)
    elif path is not None and not path.exists() and path.parent.is_dir():
        _require_writable(path.parent)
    engine = make_engine(full, timeouts)
    try:
        if engine.dialect.name == "postgresql":
            _connect_server(engine, full)
        if not migrate_schema:
            rev = current_revision(engine)
            result = MigrationResult(rev, rev or "", None)
        elif mode is OpenMode.CREATE:
            result = migrate(engine, full)
        else:
            result = _check_existing(engine, full, mode)
    except DatabaseError:
        engine.dispose()
        raise
    except SQLAlchemyError as exc:
        engine.dispose()
        from .pg.errors import describe_server, privilege_error  # a login without its grants

        raise privilege_error(full, describe_server(full)[1], exc) or DatabaseError(
            f"Cannot open the database {describe_url(full)}: {exc}") from None
    return Database(full, engine, result)


def _where(url: str) -> str:
    path = sqlite_file(url)
    return str(path) if path is not None else describe_url(url)


def _require_file(path: Path) -> None:
    if path.is_dir():
        raise DatabaseError(f"{path} is a folder, not a board file.")
    if not path.exists():
        raise DatabaseError(NO_BOARD.format(where=path))


def _check_existing(engine: Engine, url: str, mode: OpenMode) -> MigrationResult:
    """READ and MIGRATE: the database must already hold a board's schema. READ never writes;
    MIGRATE upgrades an older schema (in one transaction, a copy kept first)."""
    head = schema_head()
    stamped = stamped_revision(engine)
    if stamped == head:
        return MigrationResult(stamped, stamped, None)
    if stamped is None:
        state = schema_state(engine)
        if state == "foreign":
            raise DatabaseError(f"The database {_where(url)} holds tables that are not vrboard's: "
                                "it is not a board.")
        raise DatabaseError(NO_BOARD.format(where=_where(url)))
    _refuse_newer(url, stamped, head_revision())
    if mode is OpenMode.READ:
        raise DatabaseError(
            f"The board at {_where(url)} has an older schema ({stamped}; this vrboard uses "
            f"{head}), and reading does not change it. Upgrade it first: `vrboard init "
            "--if-needed` or open it in the app (a copy of a board file is kept first).")
    return migrate(engine, url)


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
