"""Papers: attached to an agenda item, kept in the database with their SHA-256, size, page
count and marking; read back for opening, saving and the board pack.

A paper of a Part 2 item, or marked OFFICIAL-SENSITIVE, is exempt information: it is handed
out only to someone the access policy lets see it (``context.exempt_refusal``).
"""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from ..errors import PermissionDenied, ValidationError
from ..model import AgendaItem, Classification, Meeting, Paper
from ..pdf.paperfile import MAX_BYTES, check_paper
from . import common as c
from .access import exempt_text
from .audit import bind
from .context import Actor, Perm, exempt_refusal, require


@dataclass(frozen=True)
class MissingPaper:
    id: int
    title: str
    meeting: str
    item_number: int
    source_path: str


def read_paper_file(path: str | os.PathLike[str]) -> tuple[str, bytes]:
    """The name and bytes of the file the user chose; refuses anything but a regular file
    within the size limit (a folder, a device, a pipe that would never end)."""
    p = Path(path).expanduser()
    try:
        st = p.stat()
    except FileNotFoundError:
        raise ValidationError(f"There is no file {p}.", "path") from None
    except OSError as exc:
        raise ValidationError(f"Cannot read {p}: {exc.strerror or exc}.", "path") from None
    if not stat.S_ISREG(st.st_mode):
        raise ValidationError(f"{p} is not a file (it is a folder or a device); choose the "
                              "paper's file.", "path")
    if st.st_size > MAX_BYTES:
        raise ValidationError(
            f"{p.name} is {st.st_size / 1048576:.1f} MB; a paper may be at most "
            f"{MAX_BYTES // 1048576} MB. Reduce it (for a PDF: save a smaller, compressed copy) "
            "or split it.", "path")
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ValidationError(f"Cannot read {p}: {exc.strerror or exc}.", "path") from None
    return p.name, data


def attach_paper(session: Session, actor: Actor, item_id: int, title: str,
                 path: str | os.PathLike[str],
                 classification: Classification | str = Classification.OFFICIAL) -> Paper:
    """Attach the file at ``path`` to agenda item ``item_id``: its bytes are stored."""
    item = _editable_item(session, actor, item_id)
    name, data = read_paper_file(path)
    return _attach(session, item, title, name, data, classification, str(path))


def attach_paper_data(session: Session, actor: Actor, item_id: int, title: str, file_name: str,
                      data: bytes,
                      classification: Classification | str = Classification.OFFICIAL) -> Paper:
    """Attach ``data`` (the bytes of a file called ``file_name``) to item ``item_id``."""
    item = _editable_item(session, actor, item_id)
    return _attach(session, item, title, file_name, data, classification, "")


def _editable_item(session: Session, actor: Actor, item_id: int) -> AgendaItem:
    from .meetings import _require_unlocked

    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    item = c.get(session, AgendaItem, item_id, "agenda item")
    _require_unlocked(item.meeting)
    return item


def _attach(session: Session, item: AgendaItem, title: str, file_name: str, data: bytes,
            classification: Classification | str, source: str) -> Paper:
    title = c.text(title, "paper title", required=True)
    marking = c.choice(Classification, classification, "classification")
    name = c.text(Path(file_name.replace("\\", "/")).name, "file name", required=True, max_len=255)
    info = check_paper(name, data)
    paper = Paper(title=title, file_name=name, source_path=source[:1000], kind=info.kind,
                  size=info.size, sha256=info.sha256, pages=info.pages, content=data,
                  classification=marking)
    item.papers.append(paper)
    c.flush(session, paper)
    return paper


def is_exempt(paper: Paper) -> bool:
    return paper.item.part == 2 or paper.item.classification is Classification.OFFICIAL_SENSITIVE \
        or paper.classification is Classification.OFFICIAL_SENSITIVE


def paper_content(session: Session, actor: Actor, paper_id: int) -> tuple[Paper, bytes]:
    """The paper and its bytes, for opening or saving a copy. Exempt papers go only to those
    the access policy allows; a paper whose file went missing is refused plainly."""
    require(actor, Perm.READ)
    paper = session.scalars(select(Paper).where(Paper.id == paper_id)
                            .options(undefer(Paper.content))).one_or_none()
    if paper is None:
        raise ValidationError(f"There is no paper with id {paper_id}.")
    if is_exempt(paper):
        reason = exempt_refusal(session, actor)
        if reason:  # say which rule withholds it, then why not for this reader
            raise PermissionDenied(f"{exempt_text(paper.item.exempt_paragraph)}. {reason}")
    if paper.content is None:
        raise ValidationError(
            f"The file of the paper '{paper.title}' ({paper.source_path or paper.file_name}) was "
            "not found when the database was upgraded; attach it again.")
    return paper, paper.content


def paper_file(session: Session, actor: Actor, paper_id: int) -> tuple[str, bytes]:
    """The paper's file name and bytes (see ``paper_content``)."""
    paper, data = paper_content(session, actor, paper_id)
    return paper.file_name, data


def missing_papers(session: Session) -> list[MissingPaper]:
    """Papers brought in from a path whose file was gone: to attach again."""
    q = (select(Paper, AgendaItem, Meeting).join(AgendaItem, Paper.agenda_item_id == AgendaItem.id)
         .join(Meeting, AgendaItem.meeting_id == Meeting.id).where(Paper.sha256.is_(None))
         .order_by(Meeting.starts_at, AgendaItem.position, Paper.id))
    return [MissingPaper(p.id, p.title, m.label, i.position, p.source_path)
            for p, i, m in session.execute(q)]
