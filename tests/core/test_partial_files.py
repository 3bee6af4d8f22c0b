"""``.NAME.partial`` files: removed on every way out of a backup or restore, and one left
by a killed run is removed the next time, while a live one (locked) is left alone."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from vrboard import backup as bk
from vrboard.backup import PartialFile, backup, clean_partials, partial_path, restore_to
from vrboard.errors import ValidationError
from vrboard.progress import Cancelled

ROOT = Path(__file__).resolve().parents[2]


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


@pytest.mark.parametrize("stop", [Cancelled(), KeyboardInterrupt(), OSError(errno.ENOSPC,
                                                                        "No space left on device")])
def test_no_partial_file_on_any_way_out_of_a_backup(demo_db, tmp_path, stop):
    calls = []

    def progress(done, total, msg=""):
        calls.append(done)
        if len(calls) > 3:
            raise stop

    out = tmp_path / "b.json.gz"
    with pytest.raises((Cancelled, KeyboardInterrupt, ValidationError)) as err:
        backup(demo_db, out, progress)
    if isinstance(stop, OSError):
        assert str(err.value) == f"Cannot write {out}: No space left on device. No backup was written."
    assert _partials(tmp_path) == [] and not out.exists()


def test_no_partial_file_when_a_restore_is_cancelled(demo_db, tmp_path):
    good = tmp_path / "good.json"
    backup(demo_db, good)
    target = tmp_path / "copy.sqlite3"

    def cancel(done, total, msg=""):
        if done > 0:
            raise Cancelled()

    with pytest.raises(Cancelled):
        restore_to(str(target), good, cancel)
    assert _partials(tmp_path) == [] and not target.exists()


KILLED_BACKUP = textwrap.dedent('''
    import sys, time
    from vrboard.backup import backup
    from vrboard.store import open_database

    def progress(done, total, msg=""):
        if done > 200:
            open(sys.argv[3], "w").close()
            time.sleep(60)

    backup(open_database(sys.argv[1]), sys.argv[2], progress)
''')


def test_a_partial_file_left_by_a_killed_backup_is_removed_next_time(demo_db, tmp_path):
    out, marker = tmp_path / "board.json", tmp_path / "writing"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, demo_db.url, str(out),
                             str(marker)], env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        assert _partials(tmp_path) == [".board.json.partial"]
        assert clean_partials(tmp_path) == []  # alive (it holds the lock): left alone
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert _partials(tmp_path) == [".board.json.partial"] and not out.exists()
    backup(demo_db, tmp_path / "another.json.gz")  # the next backup in that folder cleans up
    assert _partials(tmp_path) == []


def test_a_stale_restore_partial_and_its_sidecars_are_removed(tmp_path, demo_db):
    good = tmp_path / "good.json"
    backup(demo_db, good)
    stale = partial_path(tmp_path / "old.sqlite3")
    stale.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    Path(f"{stale}-wal").write_bytes(b"x")
    other = tmp_path / ".notes.partial"  # somebody else's: not ours, kept
    other.write_text("my notes", encoding="utf-8")
    restore_to(str(tmp_path / "new.sqlite3"), good)
    assert _partials(tmp_path) == [".notes.partial"]


def test_a_partial_file_is_locked_while_written(tmp_path):
    path = tmp_path / ".x.json.partial"
    with PartialFile(path) as fh:
        fh.write(b'{\n "format": "vrboard-backup"')
        fh.flush()
        assert clean_partials(tmp_path) == []
    assert clean_partials(tmp_path) == [path]
    assert bk.STALE_AFTER == 24 * 3600  # where files cannot be locked (Windows), age decides
