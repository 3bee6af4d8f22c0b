"""reviews of services and the case review, their recommendations and the actions carrying them out

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 09:00:00

Three new tables; nothing existing changes. On PostgreSQL the rules of the new tables (who
reads and writes them) come from ``vrboard/pg/tables.py``, applied after every upgrade.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


def upgrade() -> None:
    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('kind', _enum('review_kind', 'service_review', 'case_review'), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('commissioned_on', sa.Date(), nullable=True),
    sa.Column('reporting_date', sa.Date(), nullable=True),
    sa.Column('status', _enum('review_status', 'commissioned', 'in_progress', 'reported', 'closed'),
              nullable=False),
    sa.Column('report_paper_id', sa.Integer(), nullable=True),
    sa.Column('classification', _enum('classification', 'OFFICIAL', 'OFFICIAL-SENSITIVE'),
              nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_paper_id'], ['paper.id'],
                            name=op.f('fk_review_report_paper_id_paper'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstream.id'],
                            name=op.f('fk_review_workstream_id_workstream')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review'))
    )
    op.create_table('recommendation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('response', _enum('recommendation_response', 'awaiting', 'accepted', 'partly_accepted',
                                'not_accepted'), nullable=False),
    sa.Column('response_reason', sa.Text(), nullable=False),
    sa.Column('state', _enum('recommendation_state', 'open', 'implemented', 'evidenced'),
              nullable=False),
    sa.Column('evidence_note', sa.Text(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("response IN ('awaiting', 'accepted') OR response_reason <> ''",
                       name=op.f('ck_recommendation_reason')),
    sa.CheckConstraint("state <> 'evidenced' OR evidence_note <> ''",
                       name=op.f('ck_recommendation_evidence')),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'],
                            name=op.f('fk_recommendation_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation')),
    sa.UniqueConstraint('review_id', 'number', name=op.f('uq_recommendation_review_id'))
    )
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_review_id'), ['review_id'], unique=False)
    op.create_table('recommendation_action',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'],
                            name=op.f('fk_recommendation_action_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendation.id'],
                            name=op.f('fk_recommendation_action_recommendation_id_recommendation'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recommendation_id', 'action_id', name=op.f('pk_recommendation_action'))
    )
    with op.batch_alter_table('recommendation_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_action_action_id'), ['action_id'],
                              unique=False)


def downgrade() -> None:
    pg = op.get_bind().dialect.name == 'postgresql'
    if pg:  # the audit trail's read policy names review and recommendation: set it aside first
        op.execute('DROP POLICY IF EXISTS vrboard_read ON audit_entry')
    with op.batch_alter_table('recommendation_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_action_action_id'))
    op.drop_table('recommendation_action')
    with op.batch_alter_table('recommendation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_recommendation_review_id'))
    op.drop_table('recommendation')
    op.drop_table('review')
    if pg:  # and the rules again, for the tables that are left
        from vrboard.pg.security import apply

        apply(op.get_bind())
