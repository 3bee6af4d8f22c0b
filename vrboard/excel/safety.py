"""Checks a file before any spreadsheet library touches it.

Refuses, with a plain message and within bounded time and memory: files that are
not workbooks, damaged or truncated zips, password-protected (encrypted) files,
old .xls files renamed, zip bombs (judged from the sizes the zip directory
declares, then confirmed while streaming each part), XML with a DOCTYPE (entity
expansion, external entities), and sheets whose cells sit so far apart that a
reader would have to allocate billions of cells (python-calamine builds a dense
grid from the first to the last cell and aborts the process on such a sheet).
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ValidationError

MAX_FILE_BYTES = 200 * 1024 * 1024          # the file on disk
MAX_MEMBERS = 5_000                         # parts in the zip
MAX_PART_BYTES = 512 * 1024 * 1024          # one part, uncompressed
MAX_TOTAL_BYTES = 1024 * 1024 * 1024        # all parts, uncompressed
MAX_RATIO = 250                             # uncompressed / compressed, for parts over 1 MB
MAX_ROWS = 250_000
MAX_COLS = 2_000
MAX_CELLS = 6_500_000                       # rows x columns of a sheet's used area (~250k x 26)
CHUNK = 1024 * 1024

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


class UnsafeFile(ValidationError):
    """The file was refused before reading; the message says why in plain words."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason} Nothing was imported.", "file")
        self.reason = reason


@dataclass
class FileInfo:
    path: Path
    kind: str                                        # "xlsx" or "ods"
    parts: dict[str, int] = field(default_factory=dict)  # part name -> uncompressed bytes
    extents: dict[str, tuple[int, int]] = field(default_factory=dict)  # sheet part -> rows, cols


def _ole_kind(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(2 * CHUNK)
    def has(name: str) -> bool:
        return name.encode("utf-16-le") in head
    if has("EncryptedPackage") or has("EncryptionInfo"):
        return ("is protected with a password (encrypted). Open it in Excel, remove the password "
                "(File > Info > Protect Workbook > Encrypt with Password, clear it), save and try again.")
    if has("Workbook") or has("Book"):
        return ("is an old Excel 97-2003 workbook (.xls), whatever its name says. Open it in Excel "
                "or LibreOffice and save it as an Excel Workbook (.xlsx), then import that.")
    return "is an old Office 97-2003 document, not a workbook."


def _not_zip_reason(head: bytes) -> str:
    h = head.lstrip().lower()
    if not head:
        return "is empty (0 bytes)."
    if h.startswith((b"<html", b"<!doctype html", b"<?xml", b"<table", b"<")):
        return "is not a workbook: it contains web page or XML text. Save it from Excel as .xlsx."
    if head.startswith(b"%PDF"):
        return "is a PDF document, not a workbook."
    try:
        head.decode("utf-8")
        return ("is not a workbook: it is plain text (perhaps CSV). Open it in Excel and save it as "
                "an Excel Workbook (.xlsx).")
    except UnicodeDecodeError:
        return "is not a workbook (.xlsx or .ods) and cannot be read."


def check_file(path: Path | str) -> FileInfo:
    """Everything above, before parsing; returns what the reader needs to know."""
    path = Path(path)
    if not path.exists():
        raise UnsafeFile(path, "was not found.")
    if not path.is_file():
        raise UnsafeFile(path, "is not a file.")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnsafeFile(path, f"is {size // (1024 * 1024)} MB; trackers larger than "
                               f"{MAX_FILE_BYTES // (1024 * 1024)} MB are not read.")
    with path.open("rb") as f:
        head = f.read(512)
    if head.startswith(OLE_MAGIC):
        raise UnsafeFile(path, _ole_kind(path))
    if not head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        raise UnsafeFile(path, _not_zip_reason(head))
    try:
        with zipfile.ZipFile(path) as z:
            return _check_zip(path, z)
    except zipfile.BadZipFile as exc:
        raise UnsafeFile(path, f"is damaged or incomplete (perhaps cut short while copying or "
                               f"downloading): {exc}.") from None
    except (EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise UnsafeFile(path, f"is damaged and cannot be read: {exc}.") from None


def _check_zip(path: Path, z: zipfile.ZipFile) -> FileInfo:
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFile(path, f"holds {len(infos):,} parts; a workbook has a few dozen. Refused as unsafe.")
    names = {i.filename for i in infos}
    kind = _kind(path, z, names)
    total = 0
    for i in infos:
        if i.flag_bits & 0x1:
            raise UnsafeFile(path, "is encrypted inside. Remove the password in Excel and save again.")
        total += i.file_size
        big = i.file_size > MAX_PART_BYTES
        bomb = i.file_size > CHUNK and i.file_size > MAX_RATIO * max(i.compress_size, 1)
        if big or bomb or total > MAX_TOTAL_BYTES:
            raise UnsafeFile(path, f"declares that its part '{i.filename}' unpacks to "
                                   f"{i.file_size:,} bytes from {i.compress_size:,}: a 'zip bomb' "
                                   "that would exhaust memory. Refused as unsafe.")
    info = FileInfo(path, kind)
    for i in infos:
        if i.is_dir():
            continue
        # Every part, whatever its name: a worksheet may hide under any name the
        # relationships point to, so all of them are measured as worksheets would be.
        info.parts[i.filename] = i.file_size
        extent = _stream_part(path, z, i, kind == "xlsx")
        if extent != (0, 26):
            info.extents[i.filename] = extent
    return info


def _kind(path: Path, z: zipfile.ZipFile, names: set[str]) -> str:
    if "mimetype" in names:
        info = z.getinfo("mimetype")
        if info.file_size < 200 and z.read("mimetype").strip() == ODS_MIME:
            return "ods"
        raise UnsafeFile(path, "is an OpenDocument file but not a spreadsheet (.ods).")
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise UnsafeFile(path, "is an Excel binary workbook (.xlsb). Save it as .xlsx and try again.")
    if "word/document.xml" in names:
        raise UnsafeFile(path, "is a Word document, not a workbook.")
    if "ppt/presentation.xml" in names:
        raise UnsafeFile(path, "is a PowerPoint presentation, not a workbook.")
    raise UnsafeFile(path, "is a zip archive but not an Excel (.xlsx) or OpenDocument (.ods) workbook.")


# One scan finds every far-out position: a cell reference with a two- or three-letter column
# or a six-digit row (r="AB12", r="A123456"), or a row number of six digits (r="123456", on
# a row element, prefixed or not). The literal prefix keeps the scan at C speed (a leading
# \s made it four times slower); the character before is checked for the few matches.
_FAR = re.compile(rb'r="(?:([A-Z]{2,3})(\d+)|[A-Z](\d{6,})|(\d{6,}))"')
_SPACE = b" \t\r\n"
_DTD = (b"<!DOCTYPE", b"<!ENTITY")


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _stream_part(path: Path, z: zipfile.ZipFile, info: zipfile.ZipInfo,
                 sheet: bool) -> tuple[int, int]:
    """Unpack one part in chunks: its real size must match the declared one, it must not
    declare a DTD, and (for worksheets) where its cells lie bounds the grid a reader builds."""
    seen = 0
    rows = 0
    max_row = 0
    max_col = 26
    tail = b""
    with z.open(info) as f:
        while chunk := f.read(CHUNK):
            seen += len(chunk)
            if seen > info.file_size or seen > MAX_PART_BYTES:
                raise UnsafeFile(path, f"part '{info.filename}' unpacks to more than it declares: "
                                       "a disguised zip bomb. Refused as unsafe.")
            data = tail + chunk if tail else chunk
            # "!" first: memchr finds it (or its absence) ten times faster than "<!" is searched
            # for, and XML markup has no "!" but in declarations, comments and CDATA.
            if b"!" in data and b"<!" in data and any(d in data for d in _DTD):
                raise UnsafeFile(path, f"part '{info.filename}' contains an XML document type "
                                       "declaration (DOCTYPE). Spreadsheets never need one; it is how "
                                       "entity-expansion and external-entity attacks work. "
                                       "Refused as unsafe.")
            cut = data.rfind(b">") + 1  # scan up to the last whole tag; the rest goes with the next chunk
            tail = data[cut:]
            if len(tail) > 64 * 1024:  # no '>' for 64 KB: keep only the end for DTD checks
                tail = tail[-64:]
            if sheet:
                rows += data.count(b"<row", 0, cut) + data.count(b":row ", 0, cut)
                for m in _FAR.finditer(data, 0, cut):
                    if data[m.start() - 1] not in _SPACE or _self_closing(data, m.end()):
                        continue
                    if m.group(1):
                        max_col = max(max_col, _col_number(m.group(1)))
                        max_row = max(max_row, int(m.group(2)))
                    else:
                        max_row = max(max_row, int(m.group(3) or m.group(4)))
    if seen != info.file_size:
        raise UnsafeFile(path, f"part '{info.filename}' is shorter than its zip directory says: "
                               "the file is damaged or was cut short.")
    if not sheet:
        return (0, 0)
    used_rows = max(rows, max_row)
    if used_rows > MAX_ROWS or max_col > MAX_COLS or used_rows * max_col > MAX_CELLS:
        raise UnsafeFile(path, f"a sheet has data out to row {used_rows:,} and column {max_col:,}; "
                               f"vrboard reads at most {MAX_ROWS:,} rows and {MAX_COLS:,} columns "
                               f"({MAX_CELLS:,} cells). Delete stray cells far from the table, save "
                               "and try again.")
    return (used_rows, max_col)


def _self_closing(body: bytes, pos: int) -> bool:
    end = body.find(b">", pos)
    return end > 0 and body[end - 1:end] == b"/"
