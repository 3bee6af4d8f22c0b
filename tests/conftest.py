"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when
VRBOARD_TEST_POSTGRES_URL is set), a demo board, and actors in each role."""
from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Roles are cluster-wide: this test run's group roles (and the login roles tests create) carry a
# prefix of their own, and are dropped when the run ends (drop_test_roles below).
os.environ.setdefault("VRBOARD_PG_ROLE_PREFIX", f"vrbt{uuid.uuid4().hex[:6]}_")

from vrboard.model import Channel  # noqa: E402
from vrboard.services.context import Actor, actor_for, find_person  # noqa: E402
from vrboard.store import Database, open_database  # noqa: E402

PG_URL = os.environ.get("VRBOARD_TEST_POSTGRES_URL", "")


def _pg_database() -> Iterator[str]:
    """A throwaway PostgreSQL database, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"vrboard_test_{uuid.uuid4().hex[:10]}"
    admin = base.set(drivername="postgresql", database="postgres").render_as_string(
        hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session", autouse=True)
def drop_test_roles() -> Iterator[None]:
    yield
    prefix = os.environ.get("VRBOARD_PG_ROLE_PREFIX", "")
    if not PG_URL or not prefix.startswith("vrbt"):
        return
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (prefix,))]
        # logins before the groups they belong to; the admin group (it owns things) last
        for name in sorted(names, key=lambda n: (n.endswith("_admin"), n in _groups(prefix))):
            try:
                conn.execute(f'DROP ROLE IF EXISTS "{name}"')
            except psycopg.Error:
                pass  # still used by a database another process holds open: left for its run


def _groups(prefix: str) -> set[str]:
    return {prefix + g for g in ("admin", "secretariat", "chair", "owner", "viewer")}


@pytest.fixture(autouse=True)
def os_login_is_the_secretariat(monkeypatch: pytest.MonkeyPatch) -> None:
    """On an embedded file the operating-system login is who acts; tests run as the demo
    board's secretariat ('rkaplan'), who may record what others did with --as."""
    for var in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(var, "rkaplan")


@pytest.fixture(scope="session", autouse=True)
def _key_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Signing keys made by tests (``init --demo`` makes one) go to a temporary folder,
    never to the user's own key store."""
    from vrboard.signing.keys import ENV_DIR

    old = os.environ.get(ENV_DIR)
    os.environ[ENV_DIR] = str(tmp_path_factory.mktemp("keys"))
    yield Path(os.environ[ENV_DIR])
    if old is None:
        os.environ.pop(ENV_DIR, None)
    else:
        os.environ[ENV_DIR] = old


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'board.sqlite3'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("VRBOARD_TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)")
    yield from _pg_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Runs the test once on SQLite and once on PostgreSQL (skipped without a server)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'board.sqlite3'}"
    else:
        if not PG_URL:
            pytest.skip("VRBOARD_TEST_POSTGRES_URL is not set")
        yield from _pg_database()


@pytest.fixture
def empty_db(sqlite_url: str) -> Iterator[Database]:
    db = open_database(sqlite_url)
    yield db
    db.close()


def _template(folder: Path, build) -> Path:  # noqa: ANN001
    """A board file built once per test run; each test gets a copy of it (building the demo
    and running every migration took 1.4 s a test, copying takes milliseconds)."""
    path = folder / "template.sqlite3"
    db = open_database(f"sqlite:///{path}")
    try:
        build(db)
    finally:
        db.close()
    return path


def _copy_of(template: Path, sqlite_url: str) -> Database:
    import sqlite3

    target = sqlite_url.split("///", 1)[1]
    src, dst = sqlite3.connect(template), sqlite3.connect(target)
    try:
        src.backup(dst)  # a consistent copy, whatever the journal holds
    finally:
        src.close()
        dst.close()
    return open_database(sqlite_url)


def _init_sec(db: Database) -> None:
    from vrboard.seed import init_board

    with db.transaction() as s:
        init_board(s, "sec")


@pytest.fixture(scope="session")
def _board_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("board-template"), _init_sec)


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _template(tmp_path_factory.mktemp("demo-template"), build_demo_into)


@pytest.fixture
def board_db(sqlite_url: str, _board_template: Path) -> Iterator[Database]:
    """A database after ``vrboard init`` (no demo data); login 'sec' is secretariat."""
    db = _copy_of(_board_template, sqlite_url)
    yield db
    db.close()


TODAY = dt.date.today()


@pytest.fixture
def demo_db(sqlite_url: str, _demo_template: Path) -> Iterator[Database]:
    """A database after ``vrboard init --demo`` (a copy of one built for the whole run)."""
    db = _copy_of(_demo_template, sqlite_url)
    yield db
    db.close()


def build_demo_into(db: Database) -> None:
    from vrboard.demo import build_demo
    from vrboard.seed import init_board

    with db.transaction() as s:
        init_board(s, "")
        build_demo(s, "")


def actor(db: Database, who: str, channel: Channel = Channel.APP) -> Actor:
    """The Actor for a person by login, e-mail or name, e.g. 'rkaplan' (secretariat),
    'zadeyemi' (chair), 'lnowak' (vice-chair), 'tfletcher' (owner), 'hmarsh' (viewer)."""
    with db.session() as s:
        # On a file the OS login acts and --as is for the secretariat only; on a server the
        # login is the person (identity.py): tests act for the demo's people directly.
        person = find_person(s, who)
        assert person is not None, f"nobody called {who!r} on this board"
        return actor_for(person, channel)


def sit(db: Database, meeting_id: int) -> None:
    """Bring a (planned) meeting to today, an hour after it began, as the secretariat would
    record it: minutes can be approved only at a meeting that is sitting or has sat."""
    import datetime as _dt

    from vrboard.services import meetings as mtg

    with db.transaction() as s:
        now = _dt.datetime.now().replace(second=0, microsecond=0)
        mtg.update_meeting(s, actor(db, "rkaplan"), meeting_id, None,
                           {"starts_at": now - _dt.timedelta(hours=1)})


from tests.pgauth import no_pgpass, scram  # noqa: E402, F401 - a server that checks passwords
