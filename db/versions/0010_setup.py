"""set-up and cycle: quorum as a fraction, indicator frequency / Home Office measure / retiring,
retiring domains, items that need no paper, the forward plan, late issue reasons

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 09:00:00

Every column is a plain ADD COLUMN (never a batch copy): on SQLite, with foreign keys
enforced, copying ``board``, ``meeting``, ``agenda_item``, ``indicator`` or ``domain`` would
drop a table others refer to (see 0004 and 0008). Existing procedural agenda and standing
items (welcome and apologies, declarations, minutes, any other business) are marked as
needing no paper, which is what the pack checklist assumed from their titles until now.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_PAPER_TITLES = (
    'welcome and apologies', 'apologies', 'declarations of interest', 'any other business',
    'date of next meeting', 'minutes of the previous meeting and matters arising',
)

COLUMNS = (
    ('board', sa.Column('quorum_fraction', sa.String(length=20), nullable=False,
                        server_default=sa.text("''"))),
    ('meeting', sa.Column('quorum_fraction', sa.String(length=20), nullable=False,
                          server_default=sa.text("''"))),
    ('agenda_item', sa.Column('no_paper', sa.Boolean(), nullable=False,
                              server_default=sa.false())),
    ('standing_item', sa.Column('no_paper', sa.Boolean(), nullable=False,
                                server_default=sa.false())),
    ('indicator', sa.Column('frequency', sa.String(length=20), nullable=False,
                            server_default=sa.text("'Quarterly'"))),
    ('indicator', sa.Column('home_office_measure', sa.Boolean(), nullable=False,
                            server_default=sa.false())),
    ('indicator', sa.Column('retired_on', sa.Date(), nullable=True)),
    ('domain', sa.Column('retired_on', sa.Date(), nullable=True)),
    ('issued_document', sa.Column('late_reason', sa.Text(), nullable=False,
                                  server_default=sa.text("''"))),
)


def _fk(table: str, ondelete: str | None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([f'{table}_id'], [f'{table}.id'], ondelete=ondelete,
                                   name=op.f(f'fk_planned_item_{table}_id_{table}'))


def upgrade() -> None:
    for table, column in COLUMNS:
        op.add_column(table, column)
    for table in ('agenda_item', 'standing_item'):
        t = sa.table(table, sa.column('title', sa.String), sa.column('no_paper', sa.Boolean))
        op.execute(t.update().where(sa.func.lower(t.c.title).in_(NO_PAPER_TITLES))
                   .values(no_paper=True))

    op.create_table('planned_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('presenter', sa.String(length=200), nullable=False),
    sa.Column('minutes_allotted', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=True),
    sa.Column('action_id', sa.Integer(), nullable=True),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    _fk('action', 'SET NULL'), _fk('agenda_item', 'SET NULL'), _fk('meeting', 'CASCADE'),
    _fk('workstream', None),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_planned_item'))
    )
    op.create_index(op.f('ix_planned_item_meeting_id'), 'planned_item', ['meeting_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_planned_item_meeting_id'), table_name='planned_item')
    op.drop_table('planned_item')
    # Plain DROP COLUMN (SQLite 3.35+), never a batch copy of a table others refer to.
    for table, column in reversed(COLUMNS):
        op.execute(f'ALTER TABLE {table} DROP COLUMN {column.name}')
