"""The chained audit trail: each entry carries the previous entry's hash and its own, on every
path that writes entries, and several processes writing at once keep one chain."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import actor
from vrboard.model import AuditEntry, Channel
from vrboard.services import action_batch as batch
from vrboard.services import actions as act
from vrboard.services import audit, chain
from vrboard.services.context import SYSTEM
from vrboard.services.verify import verify
from vrboard.store import Database, open_database

ROOT = Path(__file__).resolve().parents[2]

#: the worked example of docs/audit-chain.md
EXAMPLE = {
    "at": dt.datetime(2026, 11, 29, 9, 30, 5, 123456, tzinfo=dt.UTC), "actor_id": 3,
    "actor_name": "Rita Kaplan", "channel": "app", "source": "", "entity": "action", "entity_id": 12,
    "entity_label": "KC-007", "field": "status", "old_value": "in_progress",
    "new_value": "awaiting_sign_off",
}
EXAMPLE_JSON = ('{"actor_id":3,"actor_name":"Rita Kaplan","at":"2026-11-29T09:30:05.123456Z",'
                '"chain_format":1,"channel":"app","entity":"action","entity_id":12,"entity_label":"KC-007",'
                '"field":"status","new_value":"awaiting_sign_off","old_value":"in_progress",'
                '"prev_hash":"' + "0" * 64 + '","source":""}')


def test_the_serialisation_is_canonical_json_and_the_docs_example_holds():
    data = chain.canonical(EXAMPLE, chain.GENESIS, 1)  # the docs' worked example is format 1
    assert data.decode() == EXAMPLE_JSON
    # the same bytes as any canonical JSON writer gives for the object
    obj = {**EXAMPLE, "at": "2026-11-29T09:30:05.123456Z", "chain_format": 1, "prev_hash": chain.GENESIS}
    assert data == json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    digest = hashlib.sha256(data).hexdigest()
    assert chain.entry_hash(EXAMPLE, chain.GENESIS, 1) == digest
    docs = (ROOT / "docs" / "audit-chain.md").read_text("utf-8")
    assert EXAMPLE_JSON in docs and digest in docs
    # text needing escapes: quotes, backslashes, control characters; other characters as they are
    odd = {**EXAMPLE, "new_value": 'say "hi"\\ \n\t\x01 é – 😀'}
    assert chain.canonical(odd, chain.GENESIS, 1) == json.dumps(
        {**obj, "new_value": odd["new_value"]}, sort_keys=True, separators=(",", ":"),
        ensure_ascii=False).encode()


def test_sqlite_text_and_datetimes_serialise_the_same():
    assert chain.at_text("2026-11-29 09:30:05.123456") == "2026-11-29T09:30:05.123456Z"
    assert chain.at_text(dt.datetime(2026, 11, 29, 9, 30, 5)) == "2026-11-29T09:30:05.000000Z"
    bst = dt.timezone(dt.timedelta(hours=1))
    assert chain.at_text(dt.datetime(2026, 6, 1, 10, 0, tzinfo=bst)) == "2026-06-01T09:00:00.000000Z"


def _entries(db: Database) -> list[AuditEntry]:
    with db.session() as s:
        return list(s.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def _assert_one_chain(db: Database) -> None:
    prev = chain.GENESIS
    for e in _entries(db):
        assert e.prev_hash == prev, f"entry {e.id} does not follow the one before it"
        values = {k: getattr(e, k) for k in chain.FORMAT_FIELDS[e.chain_format]}
        assert e.entry_hash == chain.entry_hash(values, e.prev_hash, e.chain_format), e.id
        prev = e.entry_hash


def test_every_path_that_writes_entries_chains_them(demo_any: Database):
    db = demo_any
    sec = actor(db, "rkaplan")
    with db.session() as s:
        ids = [a.id for a in act_ids(s)]
    with db.transaction() as s:  # the listener
        act.update_action(s, sec, ids[0], None, {"title": "Chained title"})
    with db.transaction() as s:  # the batch path
        a = s.get(act.Action, ids[1])
        batch.apply_updates(s, sec.via(Channel.IMPORT), [batch.ActionUpdate(
            7, a.id, a.version, {"percent_complete": 42}, progress_text="from a file",
            source="f.xlsx row 7")])
    with db.transaction() as s:  # an entry no ORM change writes, and one added to the session
        audit.record(s, sec, "action", ids[2], "KC-X", "issued", None, "sha256 " + "ab" * 32)
        s.add(AuditEntry(actor_id=sec.person_id, actor_name=sec.name, channel=Channel.APP, entity="action",
                         entity_id=ids[2], entity_label="KC-X", field="noted", new_value="by hand"))
    with db.transaction() as s:  # a rolled-back savepoint leaves no gap in the chain
        nested = s.begin_nested()
        act.update_action(s, sec, ids[3], None, {"title": "never saved"})
        nested.rollback()
        act.update_action(s, sec, ids[3], None, {"title": "saved"})
    _assert_one_chain(db)
    with db.session() as s:
        assert verify(s, sec).ok


def act_ids(s):
    return list(s.scalars(select(act.Action).where(act.Action.status == act.ActionStatus.IN_PROGRESS)
                          .order_by(act.Action.id)))[:4]


def test_a_second_entry_after_the_same_one_is_refused(demo_db: Database):
    """Whatever happens, the database keeps the chain from forking: prev_hash is unique."""
    with pytest.raises(IntegrityError), demo_db.engine.begin() as conn:
        last = conn.execute(select(AuditEntry.prev_hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
        conn.execute(text(
            "INSERT INTO audit_entry (at, actor_name, channel, source, entity, entity_label, field, "
            "chain_format, prev_hash, entry_hash) VALUES ('2026-01-01 00:00:00.000000', 'x', 'app', '', "
            "'action', '', 'title', 1, :p, :h)"), {"p": last, "h": "f" * 64})


WRITERS, ROUNDS = 4, 12


@pytest.mark.slow
def test_several_processes_writing_at_once_keep_one_chain(demo_any: Database):
    db = demo_any
    before = len(_entries(db))
    start = time.time() + 4  # every writer starts at the same moment, after its imports
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    procs = [subprocess.Popen([sys.executable, "-m", "tests.core.chain_writer", db.url, str(i), str(ROUNDS),
                               str(start)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for i in range(WRITERS)]
    for p in procs:
        try:
            _out, err = p.communicate(timeout=100)
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            pytest.fail("the writers did not finish within 100 s (a lock held forever?)")
        assert p.returncode == 0, err.decode()[-2000:]
    entries = _entries(db)
    # each round changes percent and lead organisation (services) or percent plus a progress update (batch)
    assert len(entries) - before == WRITERS * ROUNDS * 2
    writers = {e.new_value for e in entries if e.field == "lead_organisation"}
    assert len({w.split(" round")[0] for w in writers if w and w.startswith("writer")}) == WRITERS
    _assert_one_chain(db)
    with db.session() as s:
        result = verify(s, actor(db, "rkaplan"))
    assert result.ok, result.findings[:3]
    assert result.entries == len(entries)


def test_the_migration_chains_the_entries_written_before_it(tmp_path: Path):
    """A database at revision 0001 with a trail; opening it upgrades and chains every entry."""
    from alembic import command

    from vrboard.store import alembic_config, make_engine

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = make_engine(url)
    command.upgrade(alembic_config(engine), "0001")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO domain (id, position, name, version) VALUES (1, 1, 'Places', 2)"))
        for at, fld, old, new in [("2026-01-05 10:00:00.000000", "created", None,
                                   '{"name": "Place", "position": "1"}'),
                                  ("2026-01-06 11:30:00.250000", "name", "Place", "Places")]:
            conn.execute(text(
                "INSERT INTO audit_entry (at, actor_name, channel, source, entity, entity_id, entity_label, "
                "field, old_value, new_value) VALUES (:at, 'Rita Kaplan', 'app', '', 'domain', 1, 'Places', "
                ":f, :o, :n)"), {"at": at, "f": fld, "o": old, "n": new})
    engine.dispose()
    db = open_database(url)
    try:
        entries = _entries(db)
        assert [e.chain_format for e in entries] == [2, 2]  # 0006 chains with format 2
        assert entries[0].prev_hash == chain.GENESIS and entries[1].prev_hash == entries[0].entry_hash
        _assert_one_chain(db)
        with db.session() as s:
            result = verify(s, SYSTEM)
        assert result.ok, result.findings
        assert result.entries == 2
    finally:
        db.close()

