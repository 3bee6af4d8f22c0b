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

import enum
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
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


# The schema's functions live in ``schema``; these names stay importable from here.
from .schema import SCHEMA_LOCK as SCHEMA_LOCK  # noqa: E402
from .schema import MigrationResult as MigrationResult  # noqa: E402
from .schema import _connect_server, _refuse_newer  # noqa: E402
from .schema import alembic_config as alembic_config  # noqa: E402
from .schema import current_revision as current_revision  # noqa: E402
from .schema import head_revision as head_revision  # noqa: E402
from .schema import known_revisions as known_revisions  # noqa: E402
from .schema import migrate as migrate  # noqa: E402
from .schema import schema_head as schema_head  # noqa: E402
from .schema import schema_state as schema_state  # noqa: E402
from .schema import schema_transaction as schema_transaction  # noqa: E402
from .schema import stamped_revision as stamped_revision  # noqa: E402
from .schema import upgrade_schema as upgrade_schema  # noqa: E402
