"""Documents kept as issued: board packs, public packs and signed minutes.

Issuing stores the exact bytes with their SHA-256 as version 1, 2, ... of that meeting's
document of that kind; a version after the first needs a reason. The "created" audit entry
(written by the audit machinery, in the same transaction) records the hash. Nothing here
changes or deletes an issued document. ``check_documents`` re-hashes every one and checks
each signed one against the certificate recorded for its signer.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, ValidationError
from ..model import DocumentKind, IssuedDocument, Meeting, utcnow
from ..progress import Progress, report
from . import common as c
from .audit import bind
from .context import Actor, Perm, require, require_exempt_access
from .cycle import late_refusal


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class DocumentRow:
    """An issued document without its bytes, for lists."""

    id: int
    kind: DocumentKind
    meeting_id: int
    meeting: str
    version: int
    filename: str
    size: int
    sha256: str
    issued_at: object
    issued_by: str
    reason: str
    signed: bool
    timestamped: bool
    note: str
    late_reason: str = ""

    @property
    def is_public(self) -> bool:
        return self.kind is DocumentKind.PUBLIC_PACK


def _row(d: IssuedDocument) -> DocumentRow:
    return DocumentRow(d.id, d.kind, d.meeting_id, d.meeting.label, d.version_number, d.filename, d.size,
                       d.sha256, d.issued_at, d.issued_by_name, d.reason,
                       d.certificate_id is not None, d.timestamped, d.note, d.late_reason)


def latest(session: Session, meeting_id: int, kind: DocumentKind) -> IssuedDocument | None:
    return session.scalars(
        select(IssuedDocument).where(IssuedDocument.meeting_id == meeting_id,
                                     IssuedDocument.kind == kind)
        .order_by(IssuedDocument.version_number.desc())).first()


def next_version(session: Session, meeting_id: int, kind: DocumentKind) -> int:
    top = session.scalar(select(func.max(IssuedDocument.version_number)).where(
        IssuedDocument.meeting_id == meeting_id, IssuedDocument.kind == kind))
    return (top or 0) + 1


def issue_document(session: Session, actor: Actor, kind: DocumentKind, meeting_id: int,
                   content: bytes, filename: str, *, reason: str = "",
                   certificate_id: int | None = None, timestamped: bool = False,
                   note: str = "", late_reason: str = "") -> IssuedDocument:
    """Keep ``content`` as the next version of ``meeting_id``'s document of ``kind``."""
    bind(session, actor)
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    version = next_version(session, meeting.id, kind)
    why = _reason(session, meeting, kind, version, reason)
    if not content.startswith(b"%PDF-"):
        raise ValidationError(f"{filename} is not a PDF; only PDF documents are issued.")
    doc = IssuedDocument(kind=kind, meeting_id=meeting.id, version_number=version, filename=filename[:300],
                         size=len(content), sha256=sha256(content), content=content,
                         issued_at=utcnow(), issued_by_id=actor.person_id,
                         issued_by_name=actor.name, reason=why,
                         late_reason=c.text(late_reason, "reason for the late issue", max_len=2000),
                         certificate_id=certificate_id,
                         timestamped=timestamped, note=note)
    session.add(doc)
    c.flush(session, doc)
    return doc


def _reason(session: Session, meeting: Meeting, kind: DocumentKind, version: int,
            reason: str) -> str:
    """A re-issue (version 2 on) of a pack says why."""
    why = c.text(reason, "reason", max_len=2000)
    if version > 1 and not why and kind is not DocumentKind.SIGNED_MINUTES:
        prev = latest(session, meeting.id, kind)
        assert prev is not None
        raise ValidationError(
            f"The {kind.label.lower()} for {meeting.label} was already issued as version "
            f"{prev.version_number} on {prev.issued_at.astimezone():%d/%m/%Y}; say why it is issued "
            "again (for example: 'late paper on item 6 added').", "reason")
    return why


def render_to_bytes(build: Callable[[Path], object]) -> bytes:
    """Run a PDF builder that writes to a path, and return the file's bytes."""
    with tempfile.TemporaryDirectory(prefix="vrboard-issue-") as tmp:
        path = Path(tmp) / "document.pdf"
        build(path)
        return path.read_bytes()


def pack_filename(meeting: Meeting, public: bool, version: int) -> str:
    kind = "public board pack" if public else "board pack"
    safe = "".join(ch if ch.isalnum() or ch in " -" else "-" for ch in meeting.title).strip()
    return f"{safe} {kind} {meeting.starts_at:%d-%m-%Y} v{version}.pdf"


def issue_pack(session: Session, actor: Actor, meeting_id: int, *, public: bool = False,
               reason: str = "", progress: object = None, late_reason: str = "",
               today: dt.date | None = None) -> IssuedDocument:
    """Render the meeting's pack (public or full) and keep it as issued. Issuing marks the
    pack final (unless the meeting's minutes are already signed and locked). The cover names
    the version. Issued after the publication deadline (services/cycle.py), it needs
    ``late_reason``, kept with the document and in its audit entry."""
    from ..pdf import build_board_pack

    bind(session, actor)
    require(actor, Perm.EDIT_MEETINGS)
    if not public:
        require_exempt_access(session, actor)
    meeting = c.get(session, Meeting, meeting_id, "meeting")
    kind = DocumentKind.PUBLIC_PACK if public else DocumentKind.PACK
    version = next_version(session, meeting.id, kind)
    _reason(session, meeting, kind, version, reason)  # refuse before the slow render
    late = late_refusal(meeting, today or dt.date.today(), late_reason, session)
    if late is not None:
        raise ValidationError(late, "late_reason")
    if not meeting.pack_final and not meeting.minutes_locked:  # a signed meeting stays as it is
        meeting.pack_final = True
        c.flush(session, meeting)
    now = utcnow().astimezone()
    notice = f"Issued as version {version} on {now:%d/%m/%Y}" + (
        f": {reason.strip()}" if reason.strip() else ".")
    if late_reason.strip():
        notice += f" Issued after the publication deadline: {late_reason.strip()}"
    data = render_to_bytes(lambda p: build_board_pack(session, meeting.id, p, public=public,
                                                      progress=progress, notice=notice,
                                                      published=now.date()))
    return issue_document(session, actor, kind, meeting.id, data,
                          pack_filename(meeting, public, version), reason=reason,
                          late_reason=late_reason)


def regenerated_notice(session: Session, meeting_id: int, public: bool) -> str:
    """For the cover of a pack built again after one was issued; "" when none was."""
    kind = DocumentKind.PUBLIC_PACK if public else DocumentKind.PACK
    doc = latest(session, meeting_id, kind)
    if doc is None:
        return ""
    return (f"Regenerated on {utcnow().astimezone():%d/%m/%Y} from the current record; the issued "
            f"pack is version {doc.version_number} of {doc.issued_at.astimezone():%d/%m/%Y}.")


def list_documents(session: Session, actor: Actor,
                   meeting_id: int | None = None) -> list[DocumentRow]:
    require(actor, Perm.READ)
    q = select(IssuedDocument).join(Meeting).order_by(
        Meeting.starts_at, IssuedDocument.kind, IssuedDocument.version_number)
    if meeting_id is not None:
        c.get(session, Meeting, meeting_id, "meeting")
        q = q.where(IssuedDocument.meeting_id == meeting_id)
    return [_row(d) for d in session.scalars(q)]


def fetch_document(session: Session, actor: Actor, document_id: int) -> tuple[DocumentRow, bytes]:
    """An issued document's row and its exact bytes. The full pack and the signed minutes
    hold exempt information: only those who may see it get them."""
    require(actor, Perm.READ)
    doc = session.get(IssuedDocument, document_id)
    if doc is None:
        raise NotFound(f"There is no issued document with id {document_id}; 'vrboard documents' "
                       "lists them.")
    if doc.kind is not DocumentKind.PUBLIC_PACK:
        require_exempt_access(session, actor)
    return _row(doc), doc.content


def write_document(data: bytes, out: Path, *, force: bool = False) -> Path:
    """Write ``data`` to ``out`` whole or not at all (a temporary file renamed at the end)."""
    out = Path(out).expanduser()
    if out.is_dir():
        raise ValidationError(f"{out} is a folder; give a file name.")
    if not out.parent.is_dir():
        raise ValidationError(f"The folder {out.parent} does not exist.")
    if out.exists() and not force:
        raise ValidationError(f"{out} already exists; choose another name or add --force.")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}-", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ValidationError(f"Cannot write {out}: {exc.strerror or exc}.") from None
    return out


# --- checking ---------------------------------------------------------------------------


ISSUED, SIGNED = "issued documents", "signed minutes"


@dataclass(frozen=True)
class DocumentFinding:
    document_id: int
    kind: DocumentKind
    meeting: str
    version: int
    problem: str

    @property
    def message(self) -> str:
        return (f"Issued document {self.document_id} ({self.kind.label.lower()} v{self.version}, "
                f"{self.meeting}) {self.problem}.")

    def __str__(self) -> str:
        return self.message


def check_documents(session: Session, progress: Progress | None = None
                    ) -> tuple[dict[str, int], list[DocumentFinding]]:
    """Re-hash every issued document against its recorded SHA-256, and check each signed
    one's signature against the certificate recorded for its signer. Returns the counts
    ({"issued documents": n, "signed minutes": m}) and what does not match. One document's
    bytes are in memory at a time."""
    from ..model import SigningCertificate
    from ..signing.pdfsign import check_pdf

    findings: list[DocumentFinding] = []
    docs = signed = 0
    ids = session.execute(select(IssuedDocument.id).order_by(IssuedDocument.id)).scalars().all()
    for n, ident in enumerate(ids):
        report(progress, n, len(ids), "Checking the issued documents")
        d = session.get(IssuedDocument, ident)
        assert d is not None
        docs += 1

        def found(problem: str, d: IssuedDocument = d) -> None:
            findings.append(DocumentFinding(d.id, d.kind, d.meeting.label, d.version_number, problem))

        data = d.content
        actual = sha256(data)
        if actual != d.sha256:
            found(f"no longer matches its hash: recorded {d.sha256[:16]}…, found {actual[:16]}… "
                  f"({len(data):,} bytes)")
        elif len(data) != d.size:
            found(f"has {len(data):,} bytes where {d.size:,} were issued")
        if d.kind is DocumentKind.SIGNED_MINUTES:
            signed += 1
            cert = session.get(SigningCertificate, d.certificate_id) if d.certificate_id else None
            if cert is None:
                found("has no signing certificate recorded")
            else:
                result = check_pdf(data, cert.der)
                if not result.ok:
                    found(f"fails its signature check: {result.problem}")
                elif cert.revoked_at is not None and cert.revoked_at <= d.issued_at:
                    found(f"was signed with a certificate revoked on "
                          f"{cert.revoked_at.astimezone():%d/%m/%Y}")
        session.expire(d)  # let the bytes go
    return {ISSUED: docs, SIGNED: signed}, findings
