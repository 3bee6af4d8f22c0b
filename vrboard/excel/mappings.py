"""Saved column mappings for trackers not made by vrboard (legacy trackers).

A mapping is ``{"header as it appears in the tracker": "vrboard field"}``, plus an
optional ``"_sheet": "sheet name"``. Fields may be given by name (``due_date``), by
vrboard's column label ("Due date") or by any synonym; ``"ignore"`` skips a column
without reporting it. Mappings are stored in the ColumnMapping table, audit-logged.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from sqlalchemy.orm import Session

from ..errors import ValidationError
from ..services import tracker
from ..services.context import Actor
from .headers import BY_NAME, FIELD_NAMES, IGNORE, field_for, normalise

OPTIONS = ("_sheet",)


def validate_mapping(mapping: Mapping[str, object]) -> dict[str, str]:
    if not isinstance(mapping, Mapping) or not mapping:
        raise ValidationError('A column mapping is a non-empty object: {"header": "field", ...}.',
                              "mapping")
    out: dict[str, str] = {}
    problems: list[str] = []
    for header, target in mapping.items():
        if not isinstance(header, str) or not isinstance(target, str):
            problems.append(f"{header!r}: headers and fields must be text")
            continue
        if header in OPTIONS:
            out[header] = target.strip()
            continue
        if header.startswith("_"):
            problems.append(f"unknown option '{header}' (known: {', '.join(OPTIONS)})")
            continue
        if not normalise(header):
            problems.append("an empty header")
            continue
        key = target.strip().lower().replace(" ", "_")
        field = key if key in BY_NAME or key == IGNORE else field_for(target)
        if field is None:
            problems.append(f"'{header}' -> '{target}': no such field (fields: {', '.join(FIELD_NAMES)}, "
                            f"or '{IGNORE}')")
            continue
        out[header.strip()] = field
    if problems:
        raise ValidationError("The column mapping has problems: " + "; ".join(problems) + ".", "mapping")
    used = [f for h, f in out.items() if h not in OPTIONS and f != IGNORE]
    if "reference" not in used and "title" not in used:
        raise ValidationError("The column mapping must name the column holding the reference or the "
                              "action's title.", "mapping")
    return out


def read_mapping_file(path: Path | str) -> dict[str, str]:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ValidationError(f"{path} was not found.", "mapping") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path.name} is not a JSON column mapping: {exc}.", "mapping") from None
    return validate_mapping(data)


def save_mapping(session: Session, actor: Actor, name: str, mapping: Mapping[str, str]) -> dict[str, str]:
    """Save (or replace) a mapping under ``name``; returns it as stored."""
    clean = validate_mapping(mapping)
    tracker.save_column_mapping(session, actor, name, clean)
    return clean


def list_mappings(session: Session) -> list[tuple[str, dict[str, str]]]:
    return tracker.column_mappings(session)


def load_mapping(session: Session, name: str) -> dict[str, str]:
    return tracker.column_mapping(session, name)
