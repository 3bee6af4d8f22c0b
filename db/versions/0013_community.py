"""community conversations, the youth panel and the strategic needs assessment

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 09:00:00

Twelve new tables; nothing existing changes. On PostgreSQL the rules of the new tables (who
reads and writes them) come from ``vrboard/pg/tables.py``, applied after every upgrade.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FEEDBACK = ('open', 'in_progress', 'done')


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def _id() -> sa.Column:
    return sa.Column('id', sa.Integer(), nullable=False)


def _version() -> sa.Column:
    return sa.Column('version', sa.Integer(), nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}'))


def _link(name: str, left: str, left_table: str, right: str = 'action_id',
          right_table: str = 'action') -> None:
    op.create_table(name,
    sa.Column(left, sa.Integer(), nullable=False),
    sa.Column(right, sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint([right], [f'{right_table}.id'],
                            name=op.f(f'fk_{name}_{right}_{right_table}'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint([left], [f'{left_table}.id'],
                            name=op.f(f'fk_{name}_{left}_{left_table}'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint(left, right, name=op.f(f'pk_{name}'))
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{name}_{right}'), [right], unique=False)


def upgrade() -> None:
    op.create_table('community_session', _id(),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('lead_organisation', sa.String(length=200), nullable=False),
    sa.Column('facilitators', sa.Text(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('groups', sa.Text(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    _version(),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_community_session_participants')),
    _pk('community_session')
    )
    op.create_table('community_member', _id(),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('trained_by', sa.String(length=200), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    _version(),
    _pk('community_member'),
    sa.UniqueConstraint('name', 'trained_on', name=op.f('uq_community_member_name'))
    )
    op.create_table('community_theme', _id(),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('quotes', sa.Text(), nullable=False),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('state', _enum('feedback_state', *FEEDBACK), nullable=False),
    _version(),
    sa.CheckConstraint("state <> 'done' OR response <> ''", name=op.f('ck_community_theme_response')),
    _pk('community_theme'),
    sa.UniqueConstraint('title', name=op.f('uq_community_theme_title'))
    )
    op.create_table('champions_workshop', _id(),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('audience', _enum('workshop_audience', 'residents_businesses', 'professionals'),
              nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    _version(),
    sa.CheckConstraint('participants BETWEEN 0 AND 30', name=op.f('ck_champions_workshop_participants')),
    sa.CheckConstraint('hours > 0 AND hours <= 8', name=op.f('ck_champions_workshop_hours')),
    _pk('champions_workshop')
    )
    op.create_table('youth_session', _id(),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('participants', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    _version(),
    sa.CheckConstraint('participants >= 0', name=op.f('ck_youth_session_participants')),
    _pk('youth_session')
    )
    op.create_table('youth_ask', _id(),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('raised', sa.Text(), nullable=False),
    sa.Column('reply', sa.Text(), nullable=False),
    sa.Column('state', _enum('feedback_state', *FEEDBACK), nullable=False),
    _version(),
    sa.CheckConstraint("state <> 'done' OR reply <> ''", name=op.f('ck_youth_ask_reply')),
    sa.ForeignKeyConstraint(['session_id'], ['youth_session.id'],
                            name=op.f('fk_youth_ask_session_id_youth_session'), ondelete='CASCADE'),
    _pk('youth_ask')
    )
    with op.batch_alter_table('youth_ask', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_youth_ask_session_id'), ['session_id'], unique=False)
    op.create_table('needs_assessment', _id(),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    _version(),
    _pk('needs_assessment')
    )
    op.create_table('needs_finding', _id(),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    _version(),
    sa.ForeignKeyConstraint(['assessment_id'], ['needs_assessment.id'],
                            name=op.f('fk_needs_finding_assessment_id_needs_assessment'),
                            ondelete='CASCADE'),
    _pk('needs_finding'),
    sa.UniqueConstraint('assessment_id', 'number', name=op.f('uq_needs_finding_assessment_id'))
    )
    with op.batch_alter_table('needs_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_needs_finding_assessment_id'), ['assessment_id'],
                              unique=False)
    _link('community_theme_session', 'theme_id', 'community_theme', 'session_id', 'community_session')
    _link('community_theme_action', 'theme_id', 'community_theme')
    _link('youth_ask_action', 'ask_id', 'youth_ask')
    _link('needs_finding_action', 'finding_id', 'needs_finding')


def downgrade() -> None:
    for name, right in (('needs_finding_action', 'action_id'), ('youth_ask_action', 'action_id'),
                        ('community_theme_action', 'action_id'),
                        ('community_theme_session', 'session_id')):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{name}_{right}'))
        op.drop_table(name)
    with op.batch_alter_table('needs_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_needs_finding_assessment_id'))
    op.drop_table('needs_finding')
    op.drop_table('needs_assessment')
    with op.batch_alter_table('youth_ask', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_youth_ask_session_id'))
    op.drop_table('youth_ask')
    op.drop_table('youth_session')
    op.drop_table('champions_workshop')
    op.drop_table('community_theme')
    op.drop_table('community_member')
    op.drop_table('community_session')
