"""live changes: PostgreSQL tells listening windows when audit entries are committed

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 06:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# One notification per statement that wrote audit entries, carrying only the last id
# (vrboard/changes.py reads the entries themselves, under the reader's own rights).
NOTIFY = """
CREATE OR REPLACE FUNCTION vrboard_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('vrboard_changes', (SELECT max(id) FROM new_entries)::text);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS vrboard_changes ON audit_entry;
CREATE TRIGGER vrboard_changes AFTER INSERT ON audit_entry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT
    EXECUTE FUNCTION vrboard_notify_changes();
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(NOTIFY)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS vrboard_changes ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS vrboard_notify_changes()")
