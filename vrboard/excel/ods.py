"""OpenDocument spreadsheets (.ods), read with defusedxml's streaming parser.

Repeated rows and cells (``number-rows-repeated``, ``number-columns-repeated``)
are expanded only where they hold data and only up to the readers' limits, so a
file that repeats a cell a billion times is refused instead of filling memory.
"""
from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import iterparse

from .safety import MAX_CELLS, MAX_COLS, MAX_ROWS, UnsafeFile

T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFF = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE, ROW, CELL, COVERED = T + "table", T + "table-row", T + "table-cell", T + "covered-table-cell"


def _text(el: Any) -> str:
    parts: list[str] = [el.text or ""]
    for child in el:
        tag = child.tag
        if tag == X + "s":
            parts.append(" " * int(child.get(X + "c", "1") or 1))
        elif tag == X + "line-break":
            parts.append("\n")
        elif tag == X + "tab":
            parts.append("\t")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _value(cell: Any) -> object:
    vtype = cell.get(OFF + "value-type")
    if vtype in ("float", "percentage", "currency"):
        raw = cell.get(OFF + "value")
        try:
            return float(raw) if raw is not None else None
        except ValueError:
            return None
    if vtype == "date":
        raw = cell.get(OFF + "date-value") or ""
        try:
            if "T" in raw:
                return dt.datetime.fromisoformat(raw)
            return dt.date.fromisoformat(raw)
        except ValueError:
            return raw
    if vtype == "boolean":
        return cell.get(OFF + "boolean-value") == "true"
    paragraphs = [_text(p) for p in cell if p.tag == X + "p"]
    s = "\n".join(paragraphs)
    return s if s != "" else None


def read_ods(path: Path) -> list[tuple[str, list[list[object]]]]:
    """Every sheet as (name, rows); rows are lists of cell values, trailing blanks dropped."""
    sheets: list[tuple[str, list[list[object]]]] = []
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as f:
            rows: list[list[object]] = []
            pending_rows = 0
            row: list[object] = []
            pending_cells = 0
            name = ""
            for event, el in iterparse(f, events=("start", "end"), forbid_dtd=True):
                tag = el.tag
                if event == "start":
                    if tag == TABLE:
                        name, rows, pending_rows = el.get(T + "name", f"Sheet{len(sheets) + 1}"), [], 0
                    elif tag == ROW:
                        row, pending_cells = [], 0
                    continue
                if tag in (CELL, COVERED):
                    value = _value(el) if tag == CELL else None
                    repeat = int(el.get(T + "number-columns-repeated", "1") or 1)
                    if value is None:
                        pending_cells += repeat
                    else:
                        if len(row) + pending_cells + repeat > MAX_COLS:
                            raise UnsafeFile(path, f"sheet '{name}' has data beyond column {MAX_COLS:,}; "
                                                   "vrboard does not read sheets that wide.")
                        row.extend([None] * pending_cells)
                        row.extend([value] * repeat)
                        pending_cells = 0
                    el.clear()
                elif tag == ROW:
                    repeat = int(el.get(T + "number-rows-repeated", "1") or 1)
                    if not row:
                        pending_rows += repeat
                    else:
                        if len(rows) + pending_rows + repeat > MAX_ROWS or (
                                (len(rows) + pending_rows + repeat) * len(row) > MAX_CELLS):
                            raise UnsafeFile(path, f"sheet '{name}' has data beyond row {MAX_ROWS:,}; "
                                                   "vrboard does not read sheets that long.")
                        rows.extend([] for _ in range(pending_rows))
                        rows.extend(list(row) for _ in range(repeat))
                        pending_rows = 0
                    el.clear()
                elif tag == TABLE:
                    sheets.append((name, rows))
                    el.clear()
    except UnsafeFile:
        raise
    except KeyError:
        raise UnsafeFile(path, "is an OpenDocument file without spreadsheet content.") from None
    except Exception as exc:  # noqa: BLE001 - defusedxml and expat raise many kinds; all mean "refused"
        kind = type(exc).__name__
        if kind in ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden"):
            raise UnsafeFile(path, "declares XML entities or a DOCTYPE, which spreadsheets never need; "
                                   "refused as unsafe.") from None
        raise UnsafeFile(path, f"is damaged: its spreadsheet content cannot be read ({exc}).") from None
    return sheets
