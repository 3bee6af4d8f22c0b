"""audit chain: every audit entry carries the previous entry's hash and its own

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-29 05:40:00

The entries already written are chained here, oldest first, with format 2 of
``vrboard.services.chain`` (docs/audit-chain.md): revision 0004 added who recorded an act.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000


def upgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chain_format', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('entry_hash', sa.String(length=64), nullable=True))
    _chain_existing(op.get_bind())
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.alter_column('chain_format', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('entry_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_entry_prev_hash'), ['prev_hash'])


def _chain_existing(conn: sa.Connection) -> None:
    from vrboard.services.chain import FORMAT_FIELDS, GENESIS, lock, row_hasher

    fmt = 2  # the entries written before the chain: format 2's fields (0004 added recorded_by_*)
    columns = ("id", *FORMAT_FIELDS[fmt])
    hasher = row_hasher(fmt, columns)
    from vrboard.services.chain import at_text

    lock(conn)
    names = ('chain_format', 'prev_hash', 'entry_hash', *columns)
    t = sa.table('audit_entry', *(sa.column(c) for c in names))
    update = (sa.update(t).where(t.c.id == sa.bindparam('b_id'))
              .values(chain_format=fmt, prev_hash=sa.bindparam('b_prev'), entry_hash=sa.bindparam('b_hash')))
    prev = GENESIS
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            f"SELECT {', '.join(columns)} FROM audit_entry WHERE id > {last} ORDER BY id LIMIT {CHUNK}").all()
        if not rows:
            break
        params = []
        for row in rows:
            h = hasher(row, at_text(row[1]), prev)
            params.append({'b_id': row[0], 'b_prev': prev, 'b_hash': h})
            prev = h
        conn.execute(update, params)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_entry_prev_hash'), type_='unique')
        batch_op.drop_column('entry_hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('chain_format')
