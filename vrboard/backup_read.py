"""Reading a backup file as a stream: bounded in size and memory, strict about its JSON.

``read_stream(path)`` yields the document piece by piece (the header, then each table's
columns and rows, then the end) without ever holding the whole file: memory stays that of
one row and the parser's buffer, whatever the file's size. It refuses, with a plain message:

- a file larger than ``max_bytes`` once decompressed (``MAX_DOCUMENT_BYTES``, 1 GiB; a gzip
  bomb stops there) and any one row, or anything else between two rows (the header, a run
  of blank space), longer than ``MAX_VALUE_BYTES`` (96 MiB): a bomb of one huge string or
  of blank space stops there, before the parser's buffer grows further;
- JSON that is broken, truncated or followed by anything; numbers JSON does not have (NaN,
  Infinity) or too large to store; a lone surrogate escape (``\\ud800``, which the parser
  would otherwise turn into "?"); a key given twice in one object; a list or object where a
  value belongs (so deep nesting is refused at the first level too many);
- a format_version that is not 1 or 2; for version 2, a missing or wrong checksum (the
  SHA-256 of the document up to the ``"checksum"`` key, see docs/backup-format.md).

What the rows hold (types, keys, links, the board's rules) is checked by ``backup_check``.
"""
from __future__ import annotations

import gzip
import hashlib
import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from .errors import ValidationError

FORMAT = "vrboard-backup"
FORMAT_VERSIONS = (1, 2)      # 1: no checksum (read still); 2: with a checksum (written now)
MAX_DOCUMENT_BYTES = 1 << 30  # 1 GiB decompressed; ~10x the largest board measured
MAX_VALUE_BYTES = 96 << 20    # one row (or header, or run of blank space) at most 96 MiB
ENV_MAX_BYTES = "VRBOARD_BACKUP_MAX_BYTES"
READ_SIZE = 64 * 1024
TAIL = 256                    # the last bytes kept back from the checksum until the end
HEADER_KEYS = ("format", "format_version", "schema_revision", "created_at", "source_database")
_TRAILER = re.compile(rb',\s*"checksum"\s*:\s*"sha256:([0-9a-f]{64})"\s*\}\s*\Z')
_SURROGATE = re.compile(rb'(\\+)u([dD][89abAB][0-9a-fA-F]{2}|[dD][c-fC-F][0-9a-fA-F]{2})')


class Refused(ValidationError):
    """The backup file is refused; the message names it and says why."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"{name} {why} Nothing was restored.", "path")


@dataclass
class Piece:
    """One piece of the document as it streams: ``kind`` is header, table, row, end."""

    kind: str
    table: str = ""
    values: Any = None
    number: int = 0


def max_document_bytes() -> int:
    env = os.environ.get(ENV_MAX_BYTES, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    return MAX_DOCUMENT_BYTES


class BoundedInput:
    """The decompressed bytes of a backup for the parser: counts them, refuses past the
    limits, hashes them for the checksum (keeping the last ``TAIL`` bytes back until the
    end, where the checksum itself sits) and catches lone surrogate escapes."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.name = path.name
        self.max_bytes = max_bytes
        try:
            self.raw: BinaryIO = open(path, "rb")  # noqa: SIM115 - closed by close()
        except FileNotFoundError:
            raise ValidationError(f"There is no file {path}.", "path") from None
        except IsADirectoryError:
            raise ValidationError(f"{path} is a folder, not a backup file.", "path") from None
        except OSError as exc:
            raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.", "path") from None
        self.size = os.fstat(self.raw.fileno()).st_size
        self.gzipped = self.raw.read(2) == b"\x1f\x8b"
        self.raw.seek(0)
        self.stream: BinaryIO = gzip.GzipFile(fileobj=self.raw, mode="rb") if self.gzipped \
            else self.raw
        self.total = 0
        self.since_mark = 0
        self.hash = hashlib.sha256()
        self.tail = b""
        self.carry = b""       # bytes kept back for the surrogate scan across reads
        self.scanned = 0       # offset of carry's first byte
        self.high_end = -1     # where a low surrogate escape must start, after a high one
        self.ended = False
        self.events = 0        # pieces of JSON structure seen so far

    def close(self) -> None:
        if self.stream is not self.raw:
            self.stream.close()
        self.raw.close()

    def position(self) -> int:
        """How far through the file (compressed bytes for gzip), for progress."""
        try:
            return self.raw.tell()
        except (OSError, ValueError):
            return 0

    def mark(self) -> None:
        """The parser produced a piece of structure: the current run starts again."""
        self.since_mark = 0

    def read(self, size: int = READ_SIZE) -> bytes:
        if size == 0:
            return b""  # the parser's probe: bytes or text?
        try:
            data = self.stream.read(min(size, READ_SIZE) if size > 0 else READ_SIZE)
        except (OSError, EOFError, zlib.error) as exc:
            raise Refused(self.name, f"is damaged: it is a gzip file that cannot be "
                                     f"decompressed ({exc}).") from None
        self.total += len(data)
        self.since_mark += len(data)
        if self.total > self.max_bytes:
            raise Refused(self.name, f"is larger than {self.max_bytes:,} bytes once "
                                     "decompressed, the most a backup may hold (a damaged or "
                                     f"hostile file?). Set {ENV_MAX_BYTES} to allow more.")
        if self.since_mark > MAX_VALUE_BYTES + 2 * READ_SIZE:
            raise Refused(self.name, f"holds a single row or value (or a run of blank space) "
                                     f"longer than {MAX_VALUE_BYTES:,} bytes, more than any "
                                     "record of a board holds.")
        self._scan(data, final=not data)
        both = self.tail + data
        keep = min(TAIL, len(both))
        self.hash.update(both[: len(both) - keep])
        self.tail = both[len(both) - keep:]
        if not data:
            self.ended = True
        return data

    def _scan(self, data: bytes, final: bool) -> None:
        """Refuse a surrogate escape that is not half of a pair (a high one followed at once
        by a low one). Escapes never straddle two reads: the last bytes are carried over."""
        buf = self.carry + data
        base = self.scanned
        if self.high_end < 0 and b"\\" not in buf:  # no escapes at all: nothing to check
            keep = 0 if final else min(len(buf), 12)
            self.carry = buf[len(buf) - keep:]
            self.scanned = base + len(buf) - keep
            return
        limit = len(buf)
        if not final:
            limit = max(0, len(buf) - 12)
            while limit > 0 and buf[limit - 1] == 0x5C:  # never split a run of backslashes
                limit -= 1
        for m in _SURROGATE.finditer(buf):
            if m.start() >= limit:
                break
            run = len(m.group(1))
            if run % 2 == 0:
                continue  # escaped backslashes, then the letter u: plain text
            at = base + m.start() + run - 1
            high = m.group(2)[1:2] in b"89abAB"
            if self.high_end >= 0 and at != self.high_end:
                self._lone()
            if high:
                self.high_end = base + m.end()
            elif self.high_end < 0:
                self._lone()
            else:
                self.high_end = -1
        if self.high_end >= 0 and (final or self.high_end < base + limit):
            self._lone()
        self.carry = buf[limit:]
        self.scanned = base + limit

    def _lone(self) -> None:
        raise Refused(self.name, "holds a lone surrogate escape (such as \\ud800): half of a "
                                 "character that is not text.")

    def verify(self, version: int) -> str:
        """At the end: check the checksum (version 2); returns the digest, '' for version 1."""
        match = _TRAILER.search(self.tail)
        if version < 2:
            return ""
        if match is None:
            raise Refused(self.name, "has no checksum at its end, or a damaged one: it is "
                                     "incomplete or altered.")
        self.hash.update(self.tail[: match.start()])
        found = match.group(1).decode("ascii")
        if self.hash.hexdigest() != found:
            raise Refused(self.name, "is damaged: its contents do not match its checksum (a "
                                     "byte changed since it was written).")
        return found


def _events(inp: BoundedInput) -> Iterator[tuple[str, Any]]:
    import ijson

    return iter(ijson.basic_parse(inp, use_float=True, buf_size=READ_SIZE))


def _json_problem(exc: Exception, inp: BoundedInput) -> str:
    raw = exc.args[0] if exc.args else ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    first = text.strip().splitlines()[0] if text.strip() else "broken JSON"
    where = f"after {inp.total:,} bytes"
    low = text.lower()
    if inp.events == 0 and ("invalid char" in low or "invalid bytes" in low) \
            and not re.search(r"nan|infinity", text, re.I):
        return "is not a vrboard backup (it is not JSON text)."
    if re.search(r"\bnan\b|infinity", text, re.I):
        return (f"holds a number that is not finite (NaN or Infinity) {where}; backups hold "
                "only finite numbers.")
    if "integer overflow" in low or "floating point) overflow" in low:
        return f"holds a number too large to store {where}."
    if "premature eof" in low or inp.ended and "parse error" not in low:
        return f"is damaged or incomplete: its JSON ends early {where}."
    return f"is damaged or incomplete: its JSON breaks {where} ({first})."


def read_stream(path: str | os.PathLike[str], *, max_bytes: int | None = None,
                inp_out: list[BoundedInput] | None = None) -> Iterator[Piece]:
    """The document, piece by piece. Header keys come first, then ``tables`` (each table's
    ``columns`` before its ``rows``), then, from format version 2, ``checksum``."""
    path = Path(path)
    inp = BoundedInput(path, max_bytes or max_document_bytes())
    if inp_out is not None:
        inp_out.append(inp)
    name = inp.name
    import ijson

    try:
        yield from _document(inp, name)
    except ijson.JSONError as exc:
        raise Refused(name, _json_problem(exc, inp)) from None
    except UnicodeDecodeError:
        raise Refused(name, "is not a vrboard backup (it is not UTF-8 JSON text).") from None
    finally:
        inp.close()


def _document(inp: BoundedInput, name: str) -> Iterator[Piece]:
    ev = _events(inp)
    first = next(ev, ("end", None))
    inp.events = 1
    if first[0] != "start_map":
        raise Refused(name, "is not a vrboard backup (it is not a JSON object).")
    header: dict[str, Any] = {}
    seen: set[str] = set()
    version = 0
    for kind, value in ev:
        if kind == "end_map":
            break
        key = _key(name, kind, value, seen, "the document")
        if len(seen) == 1 and key != "format":
            raise Refused(name, f"is not a vrboard backup (it does not begin with the "
                                f"\"format\": \"{FORMAT}\" marker).")
        if key == "tables":
            version = _check_header(name, header)
            yield Piece("header", values=header)
            yield from _tables(name, ev, inp)
        elif key == "checksum":
            if "tables" not in seen:
                raise Refused(name, "has its checksum before its tables.")
            _scalar(name, ev, "checksum")
        elif key in HEADER_KEYS:
            if "tables" in seen:
                raise Refused(name, f"has \"{key}\" after its tables (the header comes "
                                    "first).")
            header[key] = _scalar(name, ev, key)
        else:
            raise Refused(name, f"has an unknown key \"{key}\" (not a vrboard backup, "
                                "or a damaged one).")
    else:
        raise Refused(name, "is damaged or incomplete: its JSON ends early.")
    if "tables" not in seen:
        if header.get("format") != FORMAT:
            raise Refused(name, f"is not a vrboard backup (it has no \"format\": "
                                f"\"{FORMAT}\" marker).")
        raise Refused(name, "is damaged: it has no \"tables\" object.")
    for _ in ev:  # let the parser reach the end (and refuse trailing garbage)
        raise Refused(name, "has more after its end.")
    digest = inp.verify(version)
    yield Piece("end", values={"checksum": digest, "version": version})


def _key(name: str, kind: str, value: Any, seen: set[str], where: str) -> str:
    if kind != "map_key":  # pragma: no cover - the parser yields keys inside objects
        raise Refused(name, f"is damaged: {where} is not a JSON object.")
    if "\x00" in value:
        raise Refused(name, f"has a key in {where} holding a NUL character.")
    if value in seen:
        raise Refused(name, f"is damaged: the key \"{value}\" appears twice in {where}.")
    seen.add(value)
    return str(value)


def _scalar(name: str, ev: Iterator[tuple[str, Any]], key: str) -> Any:
    kind, value = next(ev)
    if kind in ("start_map", "start_array"):
        raise Refused(name, f"has a list or object as \"{key}\", where one value belongs.")
    return value


def _check_header(name: str, header: dict[str, Any]) -> int:
    if header.get("format") != FORMAT:
        raise Refused(name, f"is not a vrboard backup (it has no \"format\": \"{FORMAT}\" "
                            "marker before its tables).")
    version = header.get("format_version")
    if type(version) is not int or version not in FORMAT_VERSIONS:
        raise Refused(name, f"uses backup format version {version!r}; this vrboard reads "
                            f"versions {' and '.join(map(str, FORMAT_VERSIONS))}.")
    return version


def _tables(name: str, ev: Iterator[tuple[str, Any]], inp: BoundedInput) -> Iterator[Piece]:
    kind, _ = next(ev)
    if kind != "start_map":
        raise Refused(name, "is damaged: its \"tables\" is not an object.")
    seen: set[str] = set()
    for kind, value in ev:
        if kind == "end_map":
            return
        table = _key(name, kind, value, seen, "\"tables\"")
        if next(ev)[0] != "start_map":
            raise Refused(name, f"is damaged: table {table} is not an object.")
        yield from _table(name, table, ev, inp)
    raise Refused(name, "is damaged or incomplete: its JSON ends early.")  # pragma: no cover


def _table(name: str, table: str, ev: Iterator[tuple[str, Any]],
           inp: BoundedInput) -> Iterator[Piece]:
    keys: set[str] = set()
    for kind, value in ev:
        if kind == "end_map":
            if keys != {"columns", "rows"}:
                raise Refused(name, f"is damaged: table {table} has no list of rows.")
            yield Piece("end_table", table)
            return
        key = _key(name, kind, value, keys, f"table {table}")
        if key == "columns":
            yield Piece("table", table, _columns(name, table, ev))
        elif key == "rows":
            if "columns" not in keys:
                raise Refused(name, f"is damaged: table {table} lists its rows before its "
                                    "columns.")
            yield from _rows(name, table, ev, inp)
        else:
            raise Refused(name, f"is damaged: table {table} has an unknown key \"{key}\".")


def _columns(name: str, table: str, ev: Iterator[tuple[str, Any]]) -> list[str]:
    if next(ev)[0] != "start_array":
        raise Refused(name, f"is damaged: the columns of table {table} are not a list.")
    cols: list[str] = []
    for kind, value in ev:
        if kind == "end_array":
            return cols
        if kind != "string" or len(cols) > 200:
            raise Refused(name, f"is damaged: the columns of table {table} are not a list of "
                                "names.")
        cols.append(value)
    raise Refused(name, "is damaged or incomplete.")  # pragma: no cover


def _rows(name: str, table: str, ev: Iterator[tuple[str, Any]],
          inp: BoundedInput) -> Iterator[Piece]:
    if next(ev)[0] != "start_array":
        raise Refused(name, f"is damaged: table {table} has no list of rows.")
    n = 0
    for kind, value in ev:
        inp.since_mark = 0  # a row starts: the bound on one row (or blank run) starts again
        if kind == "end_array":
            return
        n += 1
        if kind != "start_map":
            raise Refused(name, f"is damaged: table {table}, row {n} is not an object.")
        row: dict[str, Any] = {}
        for kind, value in ev:
            if kind == "end_map":
                break
            if kind != "map_key":  # pragma: no cover
                raise Refused(name, f"is damaged: table {table}, row {n}.")
            if value in row:
                raise Refused(name, f"is damaged: table {table}, row {n} has the column "
                                    f"\"{value}\" twice.")
            vkind, v = next(ev)
            if vkind in ("start_map", "start_array"):
                raise Refused(name, f"has, in table {table}, row {n}, column {value}, a list or "
                                    "object where one value belongs.")
            row[value] = v
        yield Piece("row", table, row, n)
    raise Refused(name, "is damaged or incomplete.")  # pragma: no cover


__all__ = ["FORMAT", "FORMAT_VERSIONS", "MAX_DOCUMENT_BYTES", "MAX_VALUE_BYTES", "Piece",
           "Refused", "read_stream"]
