"""Packs kept as issued: versions with reasons, bytes returned exactly, the cover of a pack
built again after an issue, who may fetch what, and check_documents catching swapped bytes."""
from __future__ import annotations

import hashlib
import json
import subprocess

import pytest
from sqlalchemy import select, text

from tests.conftest import actor
from tests.core.conftest import table_rows
from tests.signing.conftest import make_board, meeting_ids
from vrboard.errors import PermissionDenied, ValidationError
from vrboard.model import AuditEntry, DocumentKind, IssuedDocument, Meeting
from vrboard.services import documents as docs

# The demo's meetings are sitting or held: their packs go out after the deadline.
LATE = "Tabled at the meeting"


def _text(pdf: bytes, first: int = 1, last: int = 1) -> str:
    return subprocess.run(["pdftotext", "-f", str(first), "-l", str(last), "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def test_issue_versions_reason_and_exact_bytes(board):
    sec = actor(board, "rkaplan")
    m = meeting_ids(board)[2]
    with board.transaction() as s:
        v1 = docs.issue_pack(s, sec, m, late_reason=LATE)
        v1_id, v1_bytes = v1.id, v1.content
    assert v1_bytes.startswith(b"%PDF-")
    with pytest.raises(ValidationError, match="already issued as version 1.*say why"):
        with board.transaction() as s:
            docs.issue_pack(s, sec, m, late_reason=LATE)
    with board.transaction() as s:
        v2 = docs.issue_pack(s, sec, m, reason="Late paper on item 6 added", late_reason=LATE)
        v2_id = v2.id
    with board.transaction() as s:
        pub = docs.issue_pack(s, sec, m, public=True, late_reason=LATE)
        assert (pub.kind, pub.version_number) == (DocumentKind.PUBLIC_PACK, 1)
    with board.session() as s:
        row, data = docs.fetch_document(s, sec, v1_id)
        assert data == v1_bytes and row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.size == len(data) and row.issued_by == "Ruth Kaplan" and row.version == 1
        row2, data2 = docs.fetch_document(s, sec, v2_id)
        assert (row2.version, row2.reason) == (2, "Late paper on item 6 added")
        assert s.get(Meeting, m).pack_final is True
        listed = docs.list_documents(s, sec, m)
    assert [(r.kind, r.version) for r in listed] == [
        (DocumentKind.PACK, 1), (DocumentKind.PACK, 2), (DocumentKind.PUBLIC_PACK, 1)]
    cover = " ".join(_text(data2).split())
    assert "Issued as version 2 on" in cover and "Late paper on item 6 added" in cover


def test_issuing_is_audited_with_the_hash_not_the_bytes(board):
    sec = actor(board, "rkaplan")
    with board.transaction() as s:
        d = docs.issue_pack(s, sec, meeting_ids(board)[2], public=True, late_reason=LATE)
        ident, digest = d.id, d.sha256
    with board.session() as s:
        e = s.scalars(select(AuditEntry).where(AuditEntry.entity == "issued_document",
                                               AuditEntry.entity_id == ident)).one()
    assert e.field == "created" and e.actor_name == "Ruth Kaplan"
    snap = json.loads(e.new_value)
    assert snap["sha256"] == digest and snap["version_number"] == "1" and "content" not in snap
    assert len(e.new_value) < 1000


def test_a_pack_built_again_says_which_version_was_issued(board, tmp_path):
    from vrboard.pdf import build_board_pack

    sec = actor(board, "rkaplan")
    m = meeting_ids(board)[2]
    with board.session() as s:
        build_board_pack(s, m, tmp_path / "before.pdf")
    assert "Regenerated" not in _text((tmp_path / "before.pdf").read_bytes())
    with board.transaction() as s:
        d = docs.issue_pack(s, sec, m, late_reason=LATE)
        when = f"{d.issued_at.astimezone():%d/%m/%Y}"
    with board.session() as s:
        build_board_pack(s, m, tmp_path / "again.pdf")
        build_board_pack(s, m, tmp_path / "public.pdf", public=True)
    cover = " ".join(_text((tmp_path / "again.pdf").read_bytes()).split())
    assert (f"from the current record; the issued pack is version 1 of {when}." in cover
            and "Regenerated on" in cover)
    # the public pack was not issued: its cover says nothing of the full pack's issue
    assert "Regenerated" not in _text((tmp_path / "public.pdf").read_bytes())


def test_who_may_issue_and_fetch(board):
    sec, owner = actor(board, "rkaplan"), actor(board, "tfletcher")
    m = meeting_ids(board)[2]
    with pytest.raises(PermissionDenied):
        with board.transaction() as s:
            docs.issue_pack(s, owner, m, public=True, late_reason=LATE)
    with board.transaction() as s:
        full = docs.issue_pack(s, sec, m, late_reason=LATE).id
        public = docs.issue_pack(s, sec, m, public=True, late_reason=LATE).id
    with board.session() as s:
        assert docs.fetch_document(s, owner, public)[1].startswith(b"%PDF-")
        with pytest.raises(PermissionDenied, match="not a member of the board"):
            docs.fetch_document(s, owner, full)


@pytest.mark.parametrize("any_url", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
                         indirect=True)
def test_check_documents_finds_swapped_bytes(any_url):
    db = make_board(any_url)
    try:
        sec = actor(db, "rkaplan")
        m = meeting_ids(db)[2]
        with db.transaction() as s:
            a = docs.issue_pack(s, sec, m, public=True, late_reason=LATE)
            b = docs.issue_pack(s, sec, m, public=True, reason="corrected date", late_reason=LATE)
            a_id, b_id = a.id, b.id
        with db.session() as s:
            counts, findings = docs.check_documents(s)
        assert (counts, findings) == ({"issued documents": 2, "signed minutes": 0}, [])
        # swap version 1's bytes for version 2's, outside vrboard
        with db.engine.begin() as conn:
            other = conn.execute(text("SELECT content FROM issued_document WHERE id = :i"),
                                 {"i": b_id}).scalar_one()
            conn.execute(text("UPDATE issued_document SET content = :c WHERE id = :i"),
                         {"c": other, "i": a_id})
        with db.session() as s:
            counts, findings = docs.check_documents(s)
        assert counts["issued documents"] == 2 and len(findings) == 1
        f = findings[0]
        assert f.document_id == a_id and f.version == 1 and f.kind is DocumentKind.PUBLIC_PACK
        assert "no longer matches its hash" in f.message and f"Issued document {a_id}" in f.message
    finally:
        db.close()


def test_fetch_of_unknown_id_and_nothing_changes_on_refusal(board):
    from vrboard.errors import NotFound

    sec = actor(board, "rkaplan")
    before = table_rows(board)
    with board.session() as s:
        with pytest.raises(NotFound, match="no issued document with id 99"):
            docs.fetch_document(s, sec, 99)
    with pytest.raises(ValidationError):
        with board.transaction() as s:
            docs.issue_document(s, sec, DocumentKind.PACK, meeting_ids(board)[0], b"not a pdf",
                                "x.pdf")
    assert table_rows(board) == before
    with board.session() as s:
        assert s.scalars(select(IssuedDocument)).all() == []


def test_backup_and_restore_keep_documents_byte_for_byte(board, chair_key, tmp_path):
    from tests.signing.conftest import PASS
    from vrboard.backup import backup, restore
    from vrboard.services.signatures import approve_and_sign
    from vrboard.store import open_database

    _first, held, planned = meeting_ids(board)
    with board.transaction() as s:
        signed = approve_and_sign(s, actor(board, "zadeyemi"), held, planned, PASS).document.content
        pack = docs.issue_pack(s, actor(board, "rkaplan"), planned, public=True,
                              late_reason=LATE).content
    backup(board, tmp_path / "b.json.gz")
    other = open_database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    try:
        restore(other, tmp_path / "b.json.gz")
        with other.session() as s:
            got = {r.kind: docs.fetch_document(s, actor(other, "rkaplan"), r.id)[1]
                   for r in docs.list_documents(s, actor(other, "rkaplan"))}
            assert docs.check_documents(s) == ({"issued documents": 2, "signed minutes": 1}, [])
    finally:
        other.close()
    assert got == {DocumentKind.SIGNED_MINUTES: signed, DocumentKind.PUBLIC_PACK: pack}
