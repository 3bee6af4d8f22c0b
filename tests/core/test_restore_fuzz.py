"""Hypothesis over the restore loader: whatever a backup holds, a restore either loads it or
refuses it with a plain ValidationError, and a refusal leaves no file behind. Any changed
byte of a backup is refused. Bounded to run in well under a minute."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_backup_refusals import signed
from vrboard.backup import backup, read_backup, restore_to
from vrboard.errors import ValidationError
from vrboard.store import open_database

SETTINGS = {"deadline": None, "derandomize": True,
            "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """A small real board (init, one person, one action signed off) and its backup."""
    from vrboard.seed import init_board

    folder = tmp_path_factory.mktemp("fuzz")
    db = open_database(f"sqlite:///{folder / 'src.sqlite3'}")
    try:
        with db.transaction() as s:
            init_board(s, "sec")
        path = folder / "small.json"
        backup(db, path)
    finally:
        db.close()
    return path, json.loads(path.read_text(encoding="utf-8"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6)


@st.composite
def edited(draw, doc):
    doc = json.loads(json.dumps(doc))
    tables = [t for t, e in doc["tables"].items() if e["rows"]]
    kind = draw(st.sampled_from(["value", "drop", "add", "header"]))
    if kind == "header":
        key = draw(st.sampled_from(["format", "format_version", "schema_revision", "created_at"]))
        doc[key] = draw(json_values)
        return doc
    table = draw(st.sampled_from(tables))
    rows = doc["tables"][table]["rows"]
    row = rows[draw(st.integers(0, len(rows) - 1))]
    column = draw(st.sampled_from(sorted(row)))
    if kind == "value":
        row[column] = draw(json_values)
    elif kind == "drop":
        del row[column]
    else:
        row[draw(st.text(min_size=1, max_size=8))] = draw(json_values)
    return doc


def _check_loader(path: Path) -> None:
    try:
        read_backup(path)
    except ValidationError as exc:
        assert str(exc).startswith(path.name) or str(exc).startswith("There is no"), str(exc)


@settings(max_examples=150, **SETTINGS)
@given(data=st.data())
def test_the_loader_accepts_or_refuses_plainly(small, tmp_path_factory, data):
    _path, doc = small
    new = data.draw(edited(doc))
    path = tmp_path_factory.mktemp("f") / "edited.json"
    path.write_bytes(signed(new))
    _check_loader(path)


@settings(max_examples=12, **SETTINGS)
@given(data=st.data())
def test_a_restore_loads_or_leaves_nothing(small, tmp_path_factory, data):
    _path, doc = small
    new = data.draw(edited(doc))
    folder = tmp_path_factory.mktemp("r")
    path = folder / "edited.json"
    path.write_bytes(signed(new))
    target = folder / "out" / "board.sqlite3"
    target.parent.mkdir()
    try:
        restore_to(str(target), path)
    except ValidationError:
        assert list(target.parent.iterdir()) == []
    else:
        assert [p.name for p in target.parent.iterdir()] == ["board.sqlite3"]


@settings(max_examples=200, **SETTINGS)
@given(data=st.data())
def test_any_changed_byte_is_refused(small, tmp_path_factory, data):
    path, _doc = small
    raw = path.read_bytes()
    pos = data.draw(st.integers(0, len(raw) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != raw[pos]))
    bad = tmp_path_factory.mktemp("b") / "changed.json"
    bad.write_bytes(raw[:pos] + bytes([byte]) + raw[pos + 1:])
    with pytest.raises(ValidationError):
        read_backup(bad)
