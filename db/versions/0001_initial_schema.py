"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 00:48:34.922311
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('column_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('mapping_json', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_column_mapping')),
    sa.UniqueConstraint('name', name=op.f('uq_column_mapping_name'))
    )
    op.create_table('domain',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_domain')),
    sa.UniqueConstraint('name', name=op.f('uq_domain_name'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('job_title', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('login', sa.String(length=100), nullable=True),
    sa.Column('access_role', sa.Enum('secretariat', 'chair', 'owner', 'viewer', name='access_role', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('login', name=op.f('uq_person_login'))
    )
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=True),
    sa.Column('period_end', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('reference_prefix', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan')),
    sa.UniqueConstraint('code', name=op.f('uq_plan_code'))
    )
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.Enum('app', 'import', 'command_line', 'system', name='channel', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('entity_label', sa.String(length=300), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['person.id'], name=op.f('fk_audit_entry_actor_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index('ix_audit_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entity', ['entity', 'entity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entry_actor_id'), ['actor_id'], unique=False)

    op.create_table('board',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=40), nullable=False),
    sa.Column('council', sa.String(length=200), nullable=False),
    sa.Column('reports_to', sa.String(length=200), nullable=False),
    sa.Column('default_quorum', sa.Integer(), nullable=False),
    sa.Column('min_members', sa.Integer(), nullable=False),
    sa.Column('max_members', sa.Integer(), nullable=False),
    sa.Column('classification', sa.Enum('OFFICIAL', 'OFFICIAL-SENSITIVE', name='classification', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('acting_chair_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['acting_chair_id'], ['person.id'], name=op.f('fk_board_acting_chair_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board'))
    )
    op.create_table('export_batch',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['person.id'], name=op.f('fk_export_batch_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_batch'))
    )
    op.create_table('workstream',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['lead_id'], ['person.id'], name=op.f('fk_workstream_lead_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workstream')),
    sa.UniqueConstraint('code', name=op.f('uq_workstream_code'))
    )
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('higher_is_better', sa.Boolean(), nullable=False),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstream.id'], name=op.f('fk_indicator_workstream_id_workstream')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('code', name=op.f('uq_indicator_code'))
    )
    op.create_table('meeting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('planned', 'held', 'cancelled', name='meeting_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('classification', sa.Enum('OFFICIAL', 'OFFICIAL-SENSITIVE', name='classification', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=False),
    sa.Column('pack_final', sa.Boolean(), nullable=False),
    sa.Column('chaired_by_id', sa.Integer(), nullable=True),
    sa.Column('minutes_approved_at_id', sa.Integer(), nullable=True),
    sa.Column('minutes_signed_by_id', sa.Integer(), nullable=True),
    sa.Column('minutes_signed_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_meeting_board_id_board'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['chaired_by_id'], ['person.id'], name=op.f('fk_meeting_chaired_by_id_person')),
    sa.ForeignKeyConstraint(['minutes_approved_at_id'], ['meeting.id'], name=op.f('fk_meeting_minutes_approved_at_id_meeting')),
    sa.ForeignKeyConstraint(['minutes_signed_by_id'], ['person.id'], name=op.f('fk_meeting_minutes_signed_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting'))
    )
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_starts_at'), ['starts_at'], unique=False)

    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('chair', 'vice_chair', 'member', 'adviser', 'secretariat', name='board_role', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('voting', sa.Boolean(), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.Column('named_substitute_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_membership_board_id_board'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['named_substitute_id'], ['person.id'], name=op.f('fk_membership_named_substitute_id_person')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_membership_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_board_id'), ['board_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_person_id'), ['person_id'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('presenter', sa.String(length=200), nullable=False),
    sa.Column('minutes_allotted', sa.Integer(), nullable=False),
    sa.Column('part', sa.Integer(), nullable=False),
    sa.Column('exempt_paragraph', sa.Integer(), nullable=True),
    sa.Column('classification', sa.Enum('OFFICIAL', 'OFFICIAL-SENSITIVE', name='classification', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('exempt_paragraph IS NULL OR (exempt_paragraph BETWEEN 1 AND 7)', name=op.f('ck_agenda_item_exempt_paragraph')),
    sa.CheckConstraint('part IN (1, 2)', name=op.f('ck_agenda_item_part')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_agenda_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstream.id'], name=op.f('fk_agenda_item_workstream_id_workstream')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('present', 'apologies', 'absent', name='attendance_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('substitute_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_attendance_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_attendance_person_id_person')),
    sa.ForeignKeyConstraint(['substitute_id'], ['person.id'], name=op.f('fk_attendance_substitute_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'person_id', name=op.f('uq_attendance_meeting_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('indicator_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_indicator_value_indicator_id_indicator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_value')),
    sa.UniqueConstraint('indicator_id', 'period', name=op.f('uq_indicator_value_indicator_id'))
    )
    with op.batch_alter_table('indicator_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_value_indicator_id'), ['indicator_id'], unique=False)

    op.create_table('declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('interest_type', sa.String(length=60), nullable=False),
    sa.Column('nature', sa.Text(), nullable=False),
    sa.Column('dispensation', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_declaration_agenda_item_id_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_declaration_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_declaration_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_declaration'))
    )
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_declaration_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('minute',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('discussion', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_minute_agenda_item_id_agenda_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_minute')),
    sa.UniqueConstraint('agenda_item_id', name=op.f('uq_minute_agenda_item_id'))
    )
    op.create_table('paper',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('classification', sa.Enum('OFFICIAL', 'OFFICIAL-SENSITIVE', name='classification', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_item.id'], name=op.f('fk_paper_agenda_item_id_agenda_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper'))
    )
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_agenda_item_id'), ['agenda_item_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('minute_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['minute_id'], ['minute.id'], name=op.f('fk_decision_minute_id_minute'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision'))
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_minute_id'), ['minute_id'], unique=False)

    op.create_table('action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('workstream_id', sa.Integer(), nullable=False),
    sa.Column('domain_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('lead_organisation', sa.String(length=200), nullable=False),
    sa.Column('raised_meeting_id', sa.Integer(), nullable=True),
    sa.Column('raised_item_id', sa.Integer(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('revised_due_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'awaiting_sign_off', 'signed_off', 'dropped', name='action_status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('dropped_reason', sa.Text(), nullable=False),
    sa.Column('rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('percent_complete', sa.Integer(), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('percent_complete BETWEEN 0 AND 100', name=op.f('ck_action_percent')),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_action_decision_id_decision'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['domain_id'], ['domain.id'], name=op.f('fk_action_domain_id_domain')),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_action_owner_id_person')),
    sa.ForeignKeyConstraint(['raised_item_id'], ['agenda_item.id'], name=op.f('fk_action_raised_item_id_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['raised_meeting_id'], ['meeting.id'], name=op.f('fk_action_raised_meeting_id_meeting'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workstream_id'], ['workstream.id'], name=op.f('fk_action_workstream_id_workstream')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action')),
    sa.UniqueConstraint('reference', name=op.f('uq_action_reference'))
    )
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.create_index('ix_action_dashboard', ['workstream_id', 'status', 'rag', 'due_date', 'revised_due_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_owner_id'), ['owner_id'], unique=False)

    op.create_table('action_plan',
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_action_plan_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_action_plan_plan_id_plan')),
    sa.PrimaryKeyConstraint('action_id', 'plan_id', name=op.f('pk_action_plan'))
    )
    op.create_table('progress_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=True),
    sa.Column('rag', sa.Enum('red', 'amber', 'green', name='rag', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('source', sa.Enum('app', 'spreadsheet', 'command_line', name='update_source', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('source_file', sa.String(length=500), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('percent IS NULL OR percent BETWEEN 0 AND 100', name=op.f('ck_progress_update_percent')),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_progress_update_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_progress_update_author_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_update'))
    )
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_update_action_id'), ['action_id'], unique=False)

    op.create_table('sign_off',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('signed_off', 'reopened', name='sign_off_kind', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['action.id'], name=op.f('fk_sign_off_action_id_action'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_id'], ['person.id'], name=op.f('fk_sign_off_by_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_off'))
    )
    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_off_action_id'), ['action_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('sign_off', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_off_action_id'))

    op.drop_table('sign_off')
    with op.batch_alter_table('progress_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_update_action_id'))

    op.drop_table('progress_update')
    op.drop_table('action_plan')
    with op.batch_alter_table('action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_owner_id'))
        batch_op.drop_index('ix_action_dashboard')

    op.drop_table('action')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_minute_id'))

    op.drop_table('decision')
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_agenda_item_id'))

    op.drop_table('paper')
    op.drop_table('minute')
    with op.batch_alter_table('declaration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_declaration_meeting_id'))

    op.drop_table('declaration')
    with op.batch_alter_table('indicator_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_value_indicator_id'))

    op.drop_table('indicator_value')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_meeting_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_meeting_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_person_id'))
        batch_op.drop_index(batch_op.f('ix_membership_board_id'))

    op.drop_table('membership')
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_starts_at'))
        batch_op.drop_index(batch_op.f('ix_meeting_board_id'))

    op.drop_table('meeting')
    op.drop_table('indicator')
    op.drop_table('workstream')
    op.drop_table('export_batch')
    op.drop_table('board')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_actor_id'))
        batch_op.drop_index('ix_audit_entity')
        batch_op.drop_index('ix_audit_at')

    op.drop_table('audit_entry')
    op.drop_table('plan')
    op.drop_table('person')
    op.drop_table('domain')
    op.drop_table('column_mapping')

