"""Crafted and hostile backups: each is refused with a plain message naming the problem, and
a refused restore leaves nothing behind: no new file, no partial file, no tables in an empty
server database. A gzip bomb is refused in seconds and small memory; every single-bit flip
in a plain JSON backup is caught by its checksum; an older (version 1) backup still loads."""
from __future__ import annotations

import copy
import gzip
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from tests.conftest import build_demo_into
from tests.core.conftest import table_rows
from tests.core.test_backup_refusals import signed
from vrboard.backup import backup, read_backup, restore_to
from vrboard.errors import ValidationError
from vrboard.store import ENV_URL, open_database, resolve_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_backup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("probes")
    db = open_database(f"sqlite:///{folder / 'source.sqlite3'}")
    try:
        build_demo_into(db)
        path = folder / "good.json"
        backup(db, path)
        rows = table_rows(db)
    finally:
        db.close()
    return path, json.loads(path.read_text(encoding="utf-8")), rows


def _first(doc, table, **where):
    for row in doc["tables"][table]["rows"]:
        if all(row[k] == v for k, v in where.items()):
            return row
    raise AssertionError(f"no {table} row with {where}")


def _signed_off_action(doc):
    return _first(doc, "action", status="signed_off")


def _edit_signed_off_no_record(doc):
    a = _signed_off_action(doc)
    rows = doc["tables"]["sign_off"]["rows"]
    doc["tables"]["sign_off"]["rows"] = [r for r in rows if r["action_id"] != a["id"]]
    return f"action {a['reference']} is marked signed off but has no sign-off record"


def _edit_signed_off_reopened(doc):
    a = _signed_off_action(doc)
    mine = [r for r in doc["tables"]["sign_off"]["rows"] if r["action_id"] == a["id"]]
    last = max(mine, key=lambda r: (r["at"], r["id"]))
    last["kind"] = "reopened"
    return f"action {a['reference']} is marked signed off but its latest sign-off record reopens it"


def _set(table, column, value, row=0):
    def edit(doc):
        doc["tables"][table]["rows"][row][column] = value
    return edit


# name -> (edit of the parsed document, or raw text replacement), expected fragment
DOC_PROBES = {
    "version -5": (_set("action", "version", -5), "column version: -5 is out of range"),
    "version 0": (_set("person", "version", 0), "column version: 0 is out of range"),
    "10**30 in an integer": (_set("action", "percent_complete", 10**30),
                             "holds a number too large to store"),
    "2**31 in an integer": (_set("action", "percent_complete", 2**31),
                            "column percent_complete: 2147483648 is out of range"),
    "a float in an integer": (_set("action", "percent_complete", 50.0),
                              "expected a whole number, found 50.0"),
    "true in an integer": (_set("action", "percent_complete", True),
                           "expected a whole number, found True"),
    "a NUL in text": (_set("action", "title", "a\x00b"), "holds a NUL character"),
    "a list as a value": (_set("action", "title", ["x"]),
                          "a list or object where one value belongs"),
    "duplicate reference": (lambda d: d["tables"]["action"]["rows"][1].__setitem__(
        "reference", d["tables"]["action"]["rows"][0]["reference"]),
        "is already used by row 1; it must be unique"),
    "duplicate id": (lambda d: d["tables"]["person"]["rows"][1].__setitem__("id", 1),
                     "table person, row 2: id 1 is already used by row 1"),
    "signed off, no sign-off": (_edit_signed_off_no_record, None),
    "signed off, reopened": (_edit_signed_off_reopened, None),
    "bad enum": (_set("action", "rag", "purple"), "'purple' is not one of amber, green, red"),
    "bad date": (_set("action", "due_date", "2026-02-30"), "'2026-02-30' is not a date"),
    "a link to nobody": (_set("action", "owner_id", 4242),
                         "column owner_id: there is no person 4242 for it to point at"),
    "format_version true": (lambda d: d.__setitem__("format_version", True),
                            "uses backup format version True"),
    "format_version 9": (lambda d: d.__setitem__("format_version", 9),
                         "uses backup format version 9"),
}

# name -> (text replacement on the JSON text: old, new, count), expected fragment
TEXT_PROBES = {
    "Infinity": ('"value": ', '"value": Infinity, "x": ', "not finite (NaN or Infinity)"),
    "NaN": ('"value": ', '"value": NaN, "x": ', "not finite (NaN or Infinity)"),
    "-Infinity": ('"value": ', '"value": -Infinity, "x": ', "not finite (NaN or Infinity)"),
    "1e400": ('"value": ', '"value": 1e400, "x": ', "a number too large to store"),
    "lone surrogate": ('"title": "', '"title": "\\ud800', "a lone surrogate escape"),
    "low surrogate first": ('"title": "', '"title": "\\udc00\\ud800', "a lone surrogate"),
    "duplicate key in a row": ('"title": ', '"title": "x", "title": ',
                               'has the column "title" twice'),
    "duplicate root key": ('"schema_revision"', '"created_at": "x", "schema_revision"',
                           'the key "created_at" appears twice'),
    "deep nesting": ('"title": ', '"title": ' + "[" * 200_000 + "]" * 200_000 + ', "x": ',
                     "a list or object where one value belongs"),
    "trailing garbage": (None, "{}", "breaks"),
}


def _probe_file(tmp_path: Path, doc, name: str) -> tuple[Path, str | None]:
    if name in DOC_PROBES:
        edit, expected = DOC_PROBES[name]
        doc = copy.deepcopy(doc)
        found = edit(doc)
        path = tmp_path / "probe.json"
        path.write_bytes(signed(doc) if doc.get("format_version") == 2 else
                         json.dumps(doc).encode())
        return path, expected or found
    old, new, expected = TEXT_PROBES[name]
    text = signed(doc).decode("utf-8")
    text = text + new if old is None else text.replace(old, new, 1)
    path = tmp_path / "probe.json"
    path.write_text(text, encoding="utf-8")
    return path, expected


PROBES = sorted(DOC_PROBES) + sorted(TEXT_PROBES)


@pytest.mark.parametrize("probe", PROBES)
def test_a_probe_leaves_no_new_file_behind(demo_backup, tmp_path, probe):
    _good, doc, _ = demo_backup
    path, expected = _probe_file(tmp_path, doc, probe)
    target = tmp_path / "new" / "board.sqlite3"
    target.parent.mkdir()
    with pytest.raises(ValidationError) as err:
        restore_to(str(target), path)
    msg = str(err.value)
    assert expected in msg, msg
    assert msg.startswith("probe.json") and msg.endswith("Nothing was restored."), msg
    assert list(target.parent.iterdir()) == [], "a refused restore left a file"


@pytest.mark.postgres
@pytest.mark.parametrize("probe", PROBES)
def test_a_probe_leaves_an_empty_server_database_empty(demo_backup, tmp_path, pg_url, probe):
    _good, doc, _ = demo_backup
    path, expected = _probe_file(tmp_path, doc, probe)
    with pytest.raises(ValidationError) as err:
        restore_to(pg_url, path)
    assert expected in str(err.value)
    engine = create_engine(resolve_url(pg_url))
    try:
        assert inspect(engine).get_table_names() == [], "a refused restore left tables"
    finally:
        engine.dispose()


def test_a_row_the_database_refuses_leaves_no_file(demo_backup, tmp_path):
    """The percent check lives in the database: its refusal also removes the new file."""
    _good, doc, _ = demo_backup
    doc = copy.deepcopy(doc)
    doc["tables"]["action"]["rows"][0]["percent_complete"] = 150
    path = tmp_path / "p.json"
    path.write_bytes(signed(doc))
    target = tmp_path / "t" / "b.sqlite3"
    target.parent.mkdir()
    with pytest.raises(ValidationError, match="holds a row the database refuses"):
        restore_to(str(target), path)
    assert list(target.parent.iterdir()) == []


def test_restore_to_a_new_file_and_an_empty_server(demo_backup, tmp_path, any_url):
    good, _doc, rows = demo_backup
    result = restore_to(any_url, good)
    assert result.checksum and result.total_rows == sum(len(v) for v in rows.values())
    db = open_database(any_url)
    try:
        assert table_rows(db) == rows
    finally:
        db.close()
    if any_url.startswith("sqlite"):
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_every_single_bit_flip_in_a_plain_backup_is_refused(demo_backup, tmp_path):
    """30 flips spread over the file, in text, numbers, keys and blank space."""
    good, _doc, _ = demo_backup
    data = good.read_bytes()
    for k in range(30):
        pos = (k * 7919 * 13 + 101) % len(data)
        flipped = bytearray(data)
        flipped[pos] ^= 1 << (k % 7)
        path = tmp_path / "flipped.json"
        path.write_bytes(bytes(flipped))
        with pytest.raises(ValidationError):
            read_backup(path)


def test_a_version_1_backup_still_restores(demo_backup, tmp_path):
    """Written before the checksum: read as before, and the command line says it could not
    be verified byte for byte."""
    from vrboard.cli import main

    _good, doc, rows = demo_backup
    old = {k: v for k, v in doc.items() if k != "checksum"}
    old["format_version"] = 1
    path = tmp_path / "old.json"
    path.write_text(json.dumps(old, indent=1), encoding="utf-8")
    target = tmp_path / "restored.sqlite3"
    proc = subprocess.run([sys.executable, "-m", "vrboard", "--db", str(target), "restore",
                           str(path)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert "older vrboard and carries no checksum" in proc.stdout
    db = open_database(str(target))
    try:
        assert table_rows(db) == rows
    finally:
        db.close()
    assert main  # the same command runs in-process in test_cli


def test_a_version_2_backup_without_its_checksum_is_refused(demo_backup, tmp_path):
    _good, doc, _ = demo_backup
    path = tmp_path / "nosum.json"
    path.write_text(json.dumps({k: v for k, v in doc.items() if k != "checksum"}), "utf-8")
    with pytest.raises(ValidationError, match="has no checksum at its end"):
        read_backup(path)


def test_the_size_limit(demo_backup, tmp_path, monkeypatch):
    good, _doc, _ = demo_backup
    monkeypatch.setenv("VRBOARD_BACKUP_MAX_BYTES", "100000")
    with pytest.raises(ValidationError, match=r"is larger than 100,000 bytes once decompressed"):
        read_backup(good)


# --- bombs ----------------------------------------------------------------------------------


def _bomb(path: Path, doc, inner: bytes, gigabytes: int = 4) -> None:
    """A ~4 MB gzip file that decompresses to ``gigabytes`` GB: a real backup's start, then
    ``inner`` over and over (made by repeating one compressed member, so it is quick)."""
    start = json.dumps({k: doc[k] for k in ("format", "format_version", "schema_revision",
                                            "created_at", "source_database")})[:-1]
    table = doc["tables"]["column_mapping"]
    start += ', "tables": {"column_mapping": {"columns": ' + json.dumps(table["columns"])
    start += ', "rows": [' if inner.startswith(b"{") else ', "rows": [{"id": 1, "name": "'
    block = gzip.compress(inner * ((16 << 20) // len(inner)), compresslevel=9)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(start.encode()))
        for _ in range(gigabytes * 64):
            fh.write(block)


ROW = b'{"id": 1, "name": "m", "mapping_json": "{}", "created_at": "2026-01-01T00:00:00Z"}, '


@pytest.mark.parametrize("inner", [b" ", b"A", ROW], ids=["blank", "text", "rows"])
def test_a_gzip_bomb_is_refused_in_seconds_and_little_memory(demo_backup, tmp_path, inner):
    _good, doc, _ = demo_backup
    bomb = tmp_path / "bomb.json.gz"
    _bomb(bomb, doc, inner, 1 if inner is ROW else 4)  # rows compress less: 1 GB of them
    assert bomb.stat().st_size < 8 << 20
    target = tmp_path / "out" / "board.sqlite3"
    target.parent.mkdir()
    script = ("import resource, sys\nfrom vrboard.cli import main\ncode = main(sys.argv[1:])\n"
              "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\nsys.exit(code)")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", script, "--db", str(target), "restore",
                           str(bomb)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT), ENV_URL: ""})
    took = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("vrboard: bomb.json.gz"), proc.stderr
    assert "Nothing was restored." in proc.stderr and "Traceback" not in proc.stderr
    peak_kib = int(proc.stdout.split()[-1])
    assert peak_kib < 1 << 20, f"peak memory {peak_kib / 1024:.0f} MiB"
    assert took < 60, f"took {took:.1f} s"
    print(f"{inner[:12]!r}: {bomb.stat().st_size:,} bytes refused in {took:.1f} s, "
          f"peak {peak_kib / 1024:.0f} MiB: {proc.stderr.strip()}")
    assert list(target.parent.iterdir()) == []
    assert resource  # (the child measures itself)
