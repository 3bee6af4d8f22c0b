"""Alembic environment: vrboard passes its engine in ``config.attributes``."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from vrboard.model import Base

config = context.config
target_metadata = Base.metadata


def run() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("set sqlalchemy.url, or pass an engine in config.attributes")
        engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=conn.dialect.name == "sqlite",
            compare_type=True,
        )
        context.run_migrations()


run()
