"""Calling python-calamine so that nothing it does reaches the user raw.

python-calamine is Rust. Some cells make it *panic* rather than raise an error: a
date-formatted cell holding -1e308 panics in chrono ("TimeDelta::milliseconds out of
bounds"), a duration-formatted 1e10 overflows Python's timedelta. A panic arrives as
``pyo3_runtime.PanicException``, which derives from ``BaseException`` (not ``Exception``),
and Rust's panic hook has already written the panic, with a stack backtrace when
RUST_BACKTRACE is set, straight to file descriptor 2 - 80 lines of Rust in front of a user.

``calamine_call`` runs one call with file descriptor 2 diverted to a temporary file:
what the call wrote there is passed on unchanged when it succeeds, and goes to the log
when it fails. Every failure becomes ``CalamineFailure``; the reader turns it into a
message naming the file, the sheet and (see ``suspect_cells``) the cell. Calls are
serialised by a lock, so two threads never divert the descriptor at once.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath
from typing import TypeVar

from defusedxml.ElementTree import iterparse

T = TypeVar("T")
log = logging.getLogger(__name__)
_LOCK = threading.Lock()

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
LAST_SERIAL = 2_958_465  # 31/12/9999, the last date Excel can show


class CalamineFailure(Exception):
    """python-calamine could not read something; ``detail`` is its own words (for the log
    and the end of the message), ``panicked`` says whether it was a Rust panic."""

    def __init__(self, detail: str, panicked: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.panicked = panicked


def is_panic(exc: BaseException) -> bool:
    return type(exc).__name__ == "PanicException"


def calamine_call(fn: Callable[[], T], what: str) -> T:
    """``fn()``, with anything python-calamine raises or panics turned into
    ``CalamineFailure`` and its writes to standard error kept from the user."""
    with _LOCK, _StderrDiversion() as failed:
        try:
            return fn()
        except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
            raise
        except BaseException as exc:  # noqa: BLE001 - a Rust panic is a BaseException
            failed.append(True)
            detail = " ".join(str(exc).split())[:300] or type(exc).__name__
            log.info("python-calamine failed to %s: %s: %s", what, type(exc).__name__, detail)
            raise CalamineFailure(detail, is_panic(exc)) from None


class _StderrDiversion:
    def __init__(self) -> None:
        self.failed: list[bool] = []
        self.saved: int | None = None
        self.tmp: tempfile._TemporaryFileWrapper[bytes] | None = None  # type: ignore[name-defined]

    def __enter__(self) -> list[bool]:
        try:
            sys.stderr.flush()
        except (OSError, ValueError, AttributeError):
            pass
        try:
            self.tmp = tempfile.TemporaryFile()  # type: ignore[assignment]
            self.saved = os.dup(2)
            os.dup2(self.tmp.fileno(), 2)  # type: ignore[union-attr]
        except OSError:  # no descriptor 2, or no temporary folder: run undiverted
            self._close()
        return self.failed

    def __exit__(self, *exc: object) -> None:
        if self.saved is None or self.tmp is None:
            return
        os.dup2(self.saved, 2)
        os.close(self.saved)
        self.saved = None
        self.tmp.seek(0)
        written = self.tmp.read(1 << 20)
        self._close()
        if not written:
            return
        if self.failed:
            log.info("python-calamine wrote: %s", written.decode("utf-8", "replace")[:20000])
        else:
            try:
                os.write(2, written)
            except OSError:
                pass

    def _close(self) -> None:
        if self.saved is not None:
            os.close(self.saved)
            self.saved = None
        if self.tmp is not None:
            self.tmp.close()
            self.tmp = None


# --- after a failure: which cell? ------------------------------------------------------------

def sheet_part(path: os.PathLike[str] | str, sheet: str) -> str | None:
    """The zip part holding ``sheet`` ("xl/worksheets/sheet1.xml"), from the workbook's
    relationships; None when the workbook does not say."""
    with zipfile.ZipFile(path) as z:
        rid = None
        with z.open("xl/workbook.xml") as f:
            for _ev, el in iterparse(f, forbid_dtd=True):
                if el.tag == MAIN + "sheet" and el.get("name") == sheet:
                    rid = el.get(REL + "id")
                    break
        if rid is None or "xl/_rels/workbook.xml.rels" not in z.namelist():
            return None
        with z.open("xl/_rels/workbook.xml.rels") as f:
            for _ev, el in iterparse(f, forbid_dtd=True):
                if el.tag == PKG_REL + "Relationship" and el.get("Id") == rid:
                    target = el.get("Target", "")
                    if target.startswith("/"):
                        return target.lstrip("/")
                    return str(PurePosixPath("xl") / target)
    return None


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def suspect_cells(path: os.PathLike[str] | str, sheet: str, most: int = 3) -> list[tuple[str, str]]:
    """Cells of ``sheet`` that hold a styled number no date or duration can be (beyond
    31/12/9999 either way, or not a finite number): (cell, value) pairs, in sheet order.
    Used only after python-calamine failed, to name the cell in the message."""
    part = sheet_part(path, sheet)
    if part is None:
        return []
    found: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as z:
        if part not in z.namelist():
            return []
        with z.open(part) as f:
            for _ev, el in _cells(f):
                if el.get("t", "n") != "n" or el.get("s") in (None, "0"):
                    el.clear()
                    continue
                v = el.find(MAIN + "v")
                raw = (v.text or "").strip() if v is not None else ""
                if raw and _far_from_any_date(raw):
                    found.append((el.get("r", "?"), raw))
                    if len(found) >= most:
                        break
                el.clear()
    return found


def _cells(f: object) -> Iterator[tuple[str, object]]:
    for ev, el in iterparse(f, forbid_dtd=True):
        if el.tag == MAIN + "c":
            yield ev, el
        elif el.tag == MAIN + "row":
            el.clear()


def _far_from_any_date(raw: str) -> bool:
    if not _NUMBER.fullmatch(raw[:64]):
        return True  # NaN, INF or garbage in a number cell
    try:
        x = float(raw)
    except ValueError:
        return True
    return x != x or abs(x) > LAST_SERIAL
