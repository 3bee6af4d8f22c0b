"""PostgreSQL: the database enforces the roles

Group roles (NOLOGIN) vrboard_admin, vrboard_secretariat, vrboard_chair, vrboard_owner and
vrboard_viewer; GRANTs and row-level security on every table from vrboard.pg.tables; the SQL
functions the policies use (vrboard_current_person_id() maps session_user to a person); the
triggers that check an audit entry's actor, a sign-off and an approval of minutes. Nothing
changes on SQLite. ``vrboard users sync`` re-applies the same rules, and so does every later
upgrade, so tables added later are covered.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from vrboard.pg.security import apply

    apply(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    from vrboard.pg.security import drop

    drop(bind)
