"""lenses and the Serious Violence Duty: tags on actions and indicators, indicator values by
group, and the Duty record

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 12:00:00

Five new tables; nothing existing changes. On PostgreSQL the rules of the new tables (who
reads and writes them) come from ``vrboard/pg/tables.py``, applied after every upgrade.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _link(name: str, owner: str) -> None:
    op.create_table(name,
    sa.Column(f'{owner}_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint([f'{owner}_id'], [f'{owner}.id'],
                            name=op.f(f'fk_{name}_{owner}_id_{owner}'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f(f'fk_{name}_tag_id_tag'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint(f'{owner}_id', 'tag_id', name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_tag_id'), ['tag_id'], unique=False)


def upgrade() -> None:
    op.create_table('tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tag_group', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tag')),
    sa.UniqueConstraint('tag_group', 'name', name=op.f('uq_tag_tag_group'))
    )
    _link('action_tag', 'action')
    _link('indicator_tag', 'indicator')
    op.create_table('indicator_group_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_value_id', sa.Integer(), nullable=False),
    sa.Column('tag_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_value_id'], ['indicator_value.id'],
                            name=op.f('fk_indicator_group_value_indicator_value_id_indicator_value'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tag_id'], ['tag.id'], name=op.f('fk_indicator_group_value_tag_id_tag'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_group_value')),
    sa.UniqueConstraint('indicator_value_id', 'tag_id',
                        name=op.f('uq_indicator_group_value_indicator_value_id'))
    )
    with op.batch_alter_table('indicator_group_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_group_value_indicator_value_id'),
                              ['indicator_value_id'], unique=False)
    op.create_table('duty_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_definition', sa.Text(), nullable=False),
    sa.Column('definition_agreed_on', sa.Date(), nullable=True),
    sa.Column('needs_assessment_on', sa.Date(), nullable=True),
    sa.Column('needs_assessment_due', sa.Date(), nullable=True),
    sa.Column('strategy_published_on', sa.Date(), nullable=True),
    sa.Column('strategy_link', sa.String(length=500), nullable=False),
    sa.Column('review_due_on', sa.Date(), nullable=True),
    sa.Column('review_done_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_record'))
    )


def downgrade() -> None:
    op.drop_table('duty_record')
    with op.batch_alter_table('indicator_group_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_group_value_indicator_value_id'))
    op.drop_table('indicator_group_value')
    for name in ('indicator_tag', 'action_tag'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_tag_id'))
        op.drop_table(name)
    op.drop_table('tag')
