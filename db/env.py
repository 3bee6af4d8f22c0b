"""Alembic environment: vrboard passes its engine, or an open connection, in
``config.attributes``.

With a connection (what ``vrboard.store.migrate`` passes) the caller owns the transaction:
the whole upgrade, from the first CREATE TABLE to the version stamp, commits or rolls back
as one, on SQLite as on PostgreSQL, and nothing here commits.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from vrboard.model import Base

config = context.config
target_metadata = Base.metadata


def _run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=conn,
        target_metadata=target_metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is not None:
        _run(conn)
        return
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("set sqlalchemy.url, or pass an engine in config.attributes")
        engine = create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")  # pysqlite would run each CREATE on its own
        _run(conn)


run()
