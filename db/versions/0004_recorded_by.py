"""who recorded an act for whom; what each tracker export was made for

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-29 05:40:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _name() -> sa.Column:
    return sa.Column('recorded_by_name', sa.String(length=200), server_default='', nullable=False)


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(_name())
        batch_op.create_foreign_key(batch_op.f('fk_audit_entry_recorded_by_id_person'), 'person',
                                    ['recorded_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('export_batch', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_name', sa.String(length=200), server_default='',
                                      nullable=False))
        batch_op.add_column(sa.Column('action_ids', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('stamp_digest', sa.String(length=64), server_default='',
                                      nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_export_batch_owner_id_person'), 'person',
                                    ['owner_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.add_column(_name())

    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.add_column(_name())

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('minutes_signed_recorded_by', sa.String(length=200),
                                      server_default='', nullable=False))

    # The defaults stay: they fill the rows already there, and a row written by an older
    # client (or by hand on the server) records nobody else rather than failing.


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), never a batch rebuild: rebuilding ``meeting`` drops the
    # old table, and with foreign keys on that cascades to every agenda item and paper.
    op.drop_column('meeting', 'minutes_signed_recorded_by')
    op.drop_column('sign_off', 'recorded_by_name')
    op.drop_column('progress_update', 'recorded_by_name')

    with op.batch_alter_table('export_batch', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_export_batch_owner_id_person'), type_='foreignkey')
        batch_op.drop_column('stamp_digest')
        batch_op.drop_column('action_ids')
        batch_op.drop_column('owner_name')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_entry_recorded_by_id_person'), type_='foreignkey')
        batch_op.drop_column('recorded_by_name')
        batch_op.drop_column('recorded_by_id')
