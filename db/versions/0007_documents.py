"""issued documents and signing certificates

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 05:24:58.653963
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('signing_certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('serial', sa.String(length=100), nullable=False),
    sa.Column('not_before', sa.DateTime(), nullable=False),
    sa.Column('not_after', sa.DateTime(), nullable=False),
    sa.Column('self_signed', sa.Boolean(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('der', sa.LargeBinary(), nullable=False),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_signing_certificate_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_certificate')),
    sa.UniqueConstraint('fingerprint', name=op.f('uq_signing_certificate_fingerprint'))
    )
    with op.batch_alter_table('signing_certificate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signing_certificate_person_id'), ['person_id'], unique=False)

    op.create_table('issued_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('pack', 'public_pack', 'signed_minutes', name='document_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('issued_by_name', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=True),
    sa.Column('timestamped', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['certificate_id'], ['signing_certificate.id'], name=op.f('fk_issued_document_certificate_id_signing_certificate')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['person.id'], name=op.f('fk_issued_document_issued_by_id_person')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_issued_document_meeting_id_meeting')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document')),
    sa.UniqueConstraint('meeting_id', 'kind', 'version_number', name=op.f('uq_issued_document_meeting_id'))
    )
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_document_meeting_id'), ['meeting_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issued_document_meeting_id'))

    op.drop_table('issued_document')
    with op.batch_alter_table('signing_certificate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signing_certificate_person_id'))

    op.drop_table('signing_certificate')
