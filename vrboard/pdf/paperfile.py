"""Checking a paper's file before it is stored: that it is what its name says, within the
limits, and (for a PDF) readable, unencrypted and undamaged.

Limits (documented in docs/pdf.md): a paper is at most 25 MB and, for a PDF, at most 500
pages. A refusal is a ``ValidationError`` whose message names the file and the problem.
"""
from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from ..errors import ValidationError

MAX_BYTES = 25 * 1024 * 1024
MAX_PAGES = 500

# extension -> (kind, what a person calls it, the file signature it must start with)
_PDF, _ZIP, _OLE, _RTF = b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf"
TYPES: dict[str, tuple[str, str, bytes | None]] = {
    ".pdf": ("pdf", "PDF file", _PDF),
    ".docx": ("word", "Word document", _ZIP),
    ".doc": ("word", "Word document", _OLE),
    ".odt": ("word", "OpenDocument text", _ZIP),
    ".rtf": ("word", "RTF document", _RTF),
    ".xlsx": ("excel", "Excel workbook", _ZIP),
    ".xls": ("excel", "Excel workbook", _OLE),
    ".ods": ("excel", "OpenDocument spreadsheet", _ZIP),
    ".pptx": ("presentation", "PowerPoint presentation", _ZIP),
    ".ppt": ("presentation", "PowerPoint presentation", _OLE),
    ".odp": ("presentation", "OpenDocument presentation", _ZIP),
    ".txt": ("text", "text file", None),
}
KIND_NAMES = {"pdf": "PDF", "word": "Word document", "excel": "spreadsheet",
              "presentation": "presentation", "text": "text file"}


@dataclass(frozen=True)
class PaperFile:
    file_name: str
    kind: str
    size: int
    sha256: str
    pages: int | None


def _looks_like(data: bytes) -> str:
    head = data[:1024]
    if _PDF in head:
        return "a PDF file"
    for sig, what in ((_ZIP, "a ZIP archive"), (_OLE, "an old-style Office document"),
                      (_RTF, "an RTF document"), (b"\x89PNG", "a PNG image"),
                      (b"\xff\xd8\xff", "a JPEG image"), (b"MZ", "a Windows program"),
                      (b"<!DOCTYPE html", "a web page"), (b"<html", "a web page")):
        if head.startswith(sig):
            return what
    if not head:
        return "empty"
    return "something else"


def allowed_names() -> str:
    return ", ".join(sorted(TYPES))


def check_paper(file_name: str, data: bytes) -> PaperFile:
    """Check ``data`` (the bytes of a file called ``file_name``) and describe it, or refuse."""
    name = file_name
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext not in TYPES:
        raise ValidationError(
            f"{name}: vrboard takes papers as {allowed_names()}; this file's name says "
            f"'{ext or 'no type'}'. Save it in one of those formats and attach that.", "path")
    kind, what, sig = TYPES[ext]
    if not data:
        raise ValidationError(f"{name} is empty (0 bytes): there is nothing to attach.", "path")
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"{name} is {len(data) / 1048576:.1f} MB; a paper may be at most "
            f"{MAX_BYTES // 1048576} MB. Reduce it (for a PDF: save a smaller, "
            "compressed copy) or split it.", "path")
    if sig is not None and not (data[:1024].find(sig) >= 0 if sig is _PDF else data.startswith(sig)):
        raise ValidationError(
            f"{name} is not a {what} as its name says: it looks like {_looks_like(data)}. "
            "Attach the real file, or rename it to match what it is.", "path")
    if sig is None:  # plain text
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError(f"{name} is not a plain text file in UTF-8: it looks like "
                                  f"{_looks_like(data)}.", "path") from None
    pages = pdf_pages(name, data) if kind == "pdf" else None
    return PaperFile(name, kind, len(data), hashlib.sha256(data).hexdigest(), pages)


def pdf_pages(name: str, data: bytes) -> int:
    """The number of pages of a readable, unencrypted, undamaged PDF; refuses anything else."""
    import pikepdf

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise ValidationError(
                    f"{name} is encrypted (its author restricted it). Save an unrestricted copy "
                    "(for example with Print to PDF) and attach that.", "path")
            count = len(pdf.pages)
            for page in pdf.pages:  # every page must have a size and readable contents
                page.mediabox  # noqa: B018 - raises on a damaged page tree
            warnings = pdf.get_warnings()
    except pikepdf.PasswordError:
        raise ValidationError(f"{name} is protected by a password. Attach a copy without the "
                              "password.", "path") from None
    except pikepdf.PdfError as exc:
        raise ValidationError(f"{name} is damaged and cannot be read as a PDF ({_short(exc)}). "
                              "Save it again from the program that made it.", "path") from None
    if warnings:
        raise ValidationError(f"{name} is damaged ({_short(warnings[0])}). Save it again from the "
                              "program that made it.", "path")
    if count == 0:
        raise ValidationError(f"{name} has no pages.", "path")
    if count > MAX_PAGES:
        raise ValidationError(f"{name} has {count} pages; a paper may have at most {MAX_PAGES}. "
                              "Split it into smaller papers.", "path")
    return count


def _short(exc: object) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]
