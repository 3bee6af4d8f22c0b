"""papers in the database; notice period and standing agenda items in the terms of reference

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 05:40:00

A paper used to be a path on the secretary's own disk. It now holds its bytes (``content``)
with their SHA-256, size, page count and kind. Each existing paper's file is read from its
path; a file that is gone (or refused as a paper: encrypted, damaged, too large, not what its
name says) is logged on the ``vrboard.migration`` logger and the paper is kept with no
content, so the app lists it as missing until someone attaches it again. Nothing is dropped.

The board gains ``notice_clear_days`` (5 by default): how many clear days before a meeting
its agenda and papers are published (services/cycle.py).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("vrboard.migration")


def upgrade() -> None:
    # Never a batch (copy-and-rename) on ``board``: on SQLite, with foreign keys enforced,
    # dropping the old board table would cascade to every meeting. A plain ADD COLUMN.
    op.add_column('board', sa.Column('notice_clear_days', sa.Integer(), nullable=False,
                                     server_default='5'))

    op.execute('ALTER TABLE paper RENAME COLUMN path TO source_path')
    # Nothing refers to ``paper``, so copying it (SQLite's batch mode) is safe.
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_name', sa.String(length=255), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False,
                                      server_default='pdf'))
        batch_op.add_column(sa.Column('size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('pages', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('content', sa.LargeBinary(), nullable=True))
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.alter_column('file_name', server_default=None)
        batch_op.alter_column('kind', server_default=None)

    _bring_in_files()

    op.create_table('standing_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('board_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('presenter', sa.String(length=200), nullable=False),
    sa.Column('minutes_allotted', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['board_id'], ['board.id'], name=op.f('fk_standing_item_board_id_board'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standing_item'))
    )
    with op.batch_alter_table('standing_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standing_item_board_id'), ['board_id'], unique=False)
    _standing_items()


STANDING = (  # the items a council board's meetings usually open and close with
    ('Welcome and apologies', 'Chair', 5),
    ('Declarations of interest', 'Chair', 5),
    ('Minutes of the previous meeting and matters arising', 'Chair', 10),
    ('Action log review', 'Board Secretary', 15),
    ('Any other business', 'Chair', 5),
)


def _standing_items() -> None:
    """An existing board gets the usual standing items (editable in Terms of reference)."""
    conn = op.get_bind()
    item = sa.table('standing_item', sa.column('board_id', sa.Integer),
                    sa.column('position', sa.Integer), sa.column('title', sa.String),
                    sa.column('presenter', sa.String), sa.column('minutes_allotted', sa.Integer),
                    sa.column('version', sa.Integer))
    for (board_id,) in conn.execute(sa.text('SELECT id FROM board')).all():
        conn.execute(sa.insert(item), [
            {'board_id': board_id, 'position': n, 'title': t, 'presenter': p,
             'minutes_allotted': m, 'version': 1} for n, (t, p, m) in enumerate(STANDING, 1)])


def _bring_in_files() -> None:
    from vrboard.errors import ValidationError
    from vrboard.pdf.paperfile import MAX_BYTES, TYPES, check_paper

    paper = sa.table('paper', sa.column('id', sa.Integer), sa.column('title', sa.String),
                     sa.column('source_path', sa.String), sa.column('file_name', sa.String),
                     sa.column('kind', sa.String), sa.column('size', sa.Integer),
                     sa.column('sha256', sa.String), sa.column('pages', sa.Integer),
                     sa.column('content', sa.LargeBinary))
    conn = op.get_bind()
    rows = conn.execute(sa.select(paper.c.id, paper.c.title, paper.c.source_path)).all()
    missing = 0
    for pid, title, source in rows:
        name = source.replace('\\', '/').rsplit('/', 1)[-1] or f'paper-{pid}'
        ext = name[name.rfind('.'):].lower() if '.' in name else ''
        values: dict[str, object] = {'file_name': name[:255],
                                     'kind': TYPES.get(ext, ('other',))[0]}
        problem = ''
        path = Path(source).expanduser()
        try:
            if not path.is_file():
                problem = 'the file is not there'
            elif path.stat().st_size > MAX_BYTES:
                problem = f'the file is larger than {MAX_BYTES // 1048576} MB'
            else:
                data = path.read_bytes()
                info = check_paper(name, data)
                values.update(kind=info.kind, size=info.size, sha256=info.sha256,
                              pages=info.pages, content=data)
        except OSError as exc:
            problem = f'the file cannot be read ({exc.strerror or exc})'
        except ValidationError as exc:
            problem = str(exc)
        if problem:
            missing += 1
            log.warning("Paper %d '%s': %s: %s. It is kept, listed as missing; attach the file "
                        "again.", pid, title, source, problem)
        conn.execute(sa.update(paper).where(paper.c.id == pid).values(**values))
    if rows:
        log.info("Papers brought into the database: %d of %d (%d missing).",
                 len(rows) - missing, len(rows), missing)


def downgrade() -> None:
    with op.batch_alter_table('standing_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standing_item_board_id'))
    op.drop_table('standing_item')
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.drop_column('content')
        batch_op.drop_column('pages')
        batch_op.drop_column('sha256')
        batch_op.drop_column('size')
        batch_op.drop_column('kind')
        batch_op.drop_column('file_name')
    op.execute('ALTER TABLE paper RENAME COLUMN source_path TO path')
    op.execute('ALTER TABLE board DROP COLUMN notice_clear_days')
