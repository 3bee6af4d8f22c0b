"""papers in the database; notice period in the terms of reference

Revision ID: 0008
Revises: 0001
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
down_revision: str | None = '0001'
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
    with op.batch_alter_table('paper', schema=None) as batch_op:
        batch_op.drop_column('content')
        batch_op.drop_column('pages')
        batch_op.drop_column('sha256')
        batch_op.drop_column('size')
        batch_op.drop_column('kind')
        batch_op.drop_column('file_name')
    op.execute('ALTER TABLE paper RENAME COLUMN source_path TO path')
    op.execute('ALTER TABLE board DROP COLUMN notice_clear_days')
