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

from vrboard.model import Channel  # noqa: E402
from vrboard.services.context import Actor, resolve_actor  # noqa: E402
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


@pytest.fixture
def board_db(sqlite_url: str) -> Iterator[Database]:
    """A database after ``vrboard init`` (no demo data); login 'sec' is secretariat."""
    from vrboard.seed import init_board

    db = open_database(sqlite_url)
    with db.transaction() as s:
        init_board(s, "sec")
    yield db
    db.close()


TODAY = dt.date.today()


@pytest.fixture
def demo_db(sqlite_url: str) -> Iterator[Database]:
    """A database after ``vrboard init --demo``."""
    db = open_database(sqlite_url)
    build_demo_into(db)
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
        return resolve_actor(s, who, channel)
