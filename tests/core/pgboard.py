"""A demo board on the real PostgreSQL server whose people are real login roles.

Logins are made unique for the run (roles are cluster-wide): ``tfletcher`` becomes
``<prefix><token>_tfletcher``. ``users sync`` (as the administrator, ``postgres``) creates
the group and login roles; each login gets a password (trust authentication on the test server
ignores it, a scram-sha-256 server would check it). Everything is dropped at the end.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, _pg_database, build_demo_into
from vrboard.store import Database, open_database


@dataclass
class PgBoard:
    url: str  # the administrator's (postgres) SQLAlchemy URL
    db: Database
    token: str
    password: str
    dbs: list[Database] = field(default_factory=list)

    def login(self, who: str) -> str:
        return f"{self.token}_{who}"

    def url_as(self, who: str, *, raw: bool = False) -> str:
        u = make_url(self.url).set(username=self.login(who), password=self.password)
        if raw:
            u = u.set(drivername="postgresql")
        return u.render_as_string(hide_password=False)

    def connect(self, who: str) -> psycopg.Connection:
        """A plain psycopg connection as ``who`` (not autocommit: roll back what you try)."""
        return psycopg.connect(self.url_as(who, raw=True))

    def open(self, who: str) -> Database:
        db = open_database(self.url_as(who))
        self.dbs.append(db)
        return db

    def admin_sql(self, sql: str, **params: object) -> list[tuple]:
        with self.db.engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(r) for r in result] if result.returns_rows else []

    def person_id(self, who: str) -> int:
        return self.admin_sql("SELECT id FROM person WHERE login = :l", l=self.login(who))[0][0]


def make_board() -> Iterator[PgBoard]:
    if not PG_URL:
        pytest.skip("VRBOARD_TEST_POSTGRES_URL is not set (no PostgreSQL server to test against)")
    from vrboard.services.users_sync import sync_users

    prefix = os.environ["VRBOARD_PG_ROLE_PREFIX"]
    token = f"{prefix}{uuid.uuid4().hex[:4]}"
    gen = _pg_database()
    url = next(gen)
    db = open_database(url)
    board = PgBoard(url, db, token, f"pw-{uuid.uuid4().hex}")
    try:
        build_demo_into(db)
        # Vera: a viewer who is not on the board (the demo's viewers are all members).
        board.admin_sql(
            "INSERT INTO person (name, job_title, organisation, email, login, access_role, active,"
            " version) VALUES ('Vera Viewer', 'Analyst', 'Council', 'vv@example.gov.uk', 'vviewer',"
            " 'viewer', true, 1)")
        board.admin_sql("UPDATE person SET login = :t || '_' || login WHERE login IS NOT NULL",
                        t=token)
        with db.engine.begin() as conn:
            sync_users(conn, url)
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            for (name,) in conn.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                                        (token + "_",)).fetchall():
                conn.execute(psycopg.sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                    psycopg.sql.Identifier(name), psycopg.sql.Literal(board.password)))
        yield board
    finally:
        for d in board.dbs:
            d.close()
        db.close()
        gen.close()  # drops the database
        drop_roles(token + "_")


def drop_roles(start: str) -> None:
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for (name,) in conn.execute("SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)",
                                    (start,)).fetchall():
            conn.execute(psycopg.sql.SQL("DROP ROLE IF EXISTS {}").format(psycopg.sql.Identifier(name)))


@pytest.fixture(scope="module")
def pgb() -> Iterator[PgBoard]:
    yield from make_board()
