"""A restore refuses damaged, foreign and mismatched files, non-empty targets and bad rows,
with a clear message, and writes nothing."""
from __future__ import annotations

import gzip
import hashlib
import json

import pytest

from tests.conftest import build_demo_into
from tests.core.conftest import row_counts, table_rows
from vrboard.backup import backup, restore
from vrboard.errors import ValidationError
from vrboard.store import open_database


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory):
    folder = tmp_path_factory.mktemp("source")
    db = open_database(f"sqlite:///{folder / 'source.sqlite3'}")
    try:
        build_demo_into(db)
        path = folder / "good.json"
        backup(db, path)
    finally:
        db.close()
    return path


@pytest.fixture
def saved(good_backup):
    """A good backup of the demo board, as a fresh parsed document and its file."""
    return json.loads(good_backup.read_text(encoding="utf-8")), good_backup


@pytest.fixture
def target(any_url):
    db = open_database(any_url)
    yield db
    db.close()


def _refused(db, path, *fragments):
    with pytest.raises(ValidationError) as err:
        restore(db, path)
    msg = str(err.value)
    for f in fragments:
        assert f in msg, msg
    assert sum(row_counts(db).values()) == 0, "a refused restore wrote rows"
    return msg


def signed(doc) -> bytes:
    """``doc`` as a version 2 backup, its checksum made as docs/backup-format.md says: the
    SHA-256 of the document's bytes up to the comma before the "checksum" key."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False)
    assert text.endswith("}")
    head = text[:-1].encode("utf-8")
    return head + f', "checksum": "sha256:{hashlib.sha256(head).hexdigest()}"}}'.encode()


def _write(tmp_path, doc, name="edited.json"):
    path = tmp_path / name
    path.write_bytes(signed(doc) if doc.get("format_version") == 2 else
                     json.dumps(doc).encode("utf-8"))
    return path


def test_bad_gzip(target, tmp_path):
    path = tmp_path / "b.json.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00" + b"this is not deflate data" * 10)
    _refused(target, path, "b.json.gz is damaged", "gzip", "Nothing was restored")


def test_truncated_gzip(target, saved, tmp_path):
    _doc, good = saved
    packed = gzip.compress(good.read_bytes())
    path = tmp_path / "cut.json.gz"
    path.write_bytes(packed[: len(packed) // 2])
    _refused(target, path, "cut.json.gz is damaged", "Nothing was restored")


def test_truncated_json(target, saved, tmp_path):
    _doc, good = saved
    data = good.read_bytes()
    path = tmp_path / "cut.json"
    path.write_bytes(data[: len(data) * 2 // 3])
    _refused(target, path, "cut.json is damaged or incomplete: its JSON ends early after",
             "Nothing was restored")


def test_not_json_at_all(target, tmp_path):
    path = tmp_path / "photo.json"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    _refused(target, path, "photo.json is not a vrboard backup")


def test_foreign_json(target, tmp_path):
    path = _write(tmp_path, {"name": "some other app", "tables": {}}, "other.json")
    _refused(target, path, "other.json is not a vrboard backup", '"format": "vrboard-backup"')


def test_missing_file(target, tmp_path):
    _refused(target, tmp_path / "nowhere.json", "There is no file", "nowhere.json")


@pytest.mark.parametrize("version", [3, 0, True, "2", 2.0, None])
def test_other_format_version(target, saved, tmp_path, version):
    doc, _ = saved
    doc["format_version"] = version
    _refused(target, _write(tmp_path, doc), f"uses backup format version {version!r}",
             "this vrboard reads versions 1 and 2")


def test_other_schema_revision(target, saved, tmp_path):
    doc, _ = saved
    doc["schema_revision"] = "0099"
    _refused(target, _write(tmp_path, doc), "schema '0099'", "this vrboard uses schema")


def test_missing_table(target, saved, tmp_path):
    doc, _ = saved
    del doc["tables"]["sign_off"]
    _refused(target, _write(tmp_path, doc), "missing tables sign_off")


def test_unknown_column(target, saved, tmp_path):
    doc, _ = saved
    t = doc["tables"]["person"]
    t["columns"].append("shoe_size")
    _refused(target, _write(tmp_path, doc), "table person has columns")


def test_wrong_value_type(target, saved, tmp_path):
    doc, _ = saved
    doc["tables"]["action"]["rows"][3]["percent_complete"] = "half"
    _refused(target, _write(tmp_path, doc), "table action, row 4, column percent_complete",
             "whole number")


def test_unknown_enum_value(target, saved, tmp_path):
    doc, _ = saved
    doc["tables"]["action"]["rows"][0]["rag"] = "purple"
    _refused(target, _write(tmp_path, doc), "'purple' is not one of amber, green, red")


def test_missing_required_value(target, saved, tmp_path):
    doc, _ = saved
    doc["tables"]["action"]["rows"][0]["title"] = None
    _refused(target, _write(tmp_path, doc), "column title: a value is required")


def test_row_breaking_a_check_constraint(target, saved, tmp_path):
    doc, _ = saved
    doc["tables"]["action"]["rows"][-1]["percent_complete"] = 150
    _refused(target, _write(tmp_path, doc), "holds a row the database refuses", "Nothing was restored")


def test_row_breaking_a_unique_constraint(target, saved, tmp_path):
    doc, _ = saved
    rows = doc["tables"]["action"]["rows"]
    rows[1]["reference"] = rows[0]["reference"]
    _refused(target, _write(tmp_path, doc), "table action, row 2: reference",
             "is already used by row 1; it must be unique")


def test_row_pointing_at_nobody(target, saved, tmp_path):
    doc, _ = saved
    doc["tables"]["sign_off"]["rows"][0]["by_id"] = 9999
    _refused(target, _write(tmp_path, doc),
             "table sign_off, row 1, column by_id: there is no person 9999 for it to point at")


def test_self_reference_pointing_at_nothing(target, saved, tmp_path):
    """The second pass (meeting -> meeting) is inside the same transaction."""
    doc, _ = saved
    doc["tables"]["meeting"]["rows"][0]["minutes_approved_at_id"] = 777
    _refused(target, _write(tmp_path, doc), "table meeting, row 1, column minutes_approved_at_id: "
             "there is no meeting 777 for it to point at")


def test_non_empty_target_is_refused_and_untouched(any_url, saved):
    _doc, path = saved
    db = open_database(any_url)
    try:
        build_demo_into(db)
        before = table_rows(db)
        with pytest.raises(ValidationError, match="is not empty .*Restore only into an empty database"):
            restore(db, path)
        assert table_rows(db) == before
    finally:
        db.close()


def test_refused_file_leaves_target_usable(target, saved, tmp_path):
    doc, path = saved
    bad = json.loads(json.dumps(doc))
    bad["tables"]["sign_off"]["rows"][0]["by_id"] = 9999
    _refused(target, _write(tmp_path, bad), "there is no person 9999")
    result = restore(target, path)
    assert result.counts["action"] == len(doc["tables"]["action"]["rows"])
