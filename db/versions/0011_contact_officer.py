"""contact officer and meeting end time: the board's contact officer (name, e-mail, phone)
for the cover of its packs, and the time each meeting closed, for its minutes

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 09:30:00

Plain ADD COLUMNs only: never a batch (copy-and-rename) on ``board`` or ``meeting``, since on
SQLite, with foreign keys enforced, dropping the old table would cascade to every meeting or
agenda item (see 0004 and 0008).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONTACT = (('contact_name', 200), ('contact_email', 254), ('contact_phone', 50))


def upgrade() -> None:
    for name, length in CONTACT:
        op.add_column('board', sa.Column(name, sa.String(length=length), nullable=False,
                                         server_default=''))
    op.add_column('meeting', sa.Column('ends_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN works in place on SQLite 3.35+ and PostgreSQL.
    op.execute('ALTER TABLE meeting DROP COLUMN ends_at')
    for name, _length in reversed(CONTACT):
        op.execute(f'ALTER TABLE board DROP COLUMN {name}')
