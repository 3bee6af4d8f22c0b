"""Minutes approved and signed by the chair: the stored PDF validates with pyHanko and with
pdfsig and fails after a one-byte change; refused keys and certificates change nothing;
a timestamp server is used when it answers and signing goes on without it when it does not."""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization
from sqlalchemy import text

from tests.conftest import actor
from tests.core.conftest import table_rows
from tests.signing.conftest import PASS, give_key, make_board, meeting_ids
from vrboard.errors import NotFound, PermissionDenied, VrboardError
from vrboard.model import DocumentKind, Meeting
from vrboard.services import documents as docs
from vrboard.services import signatures as sg
from vrboard.signing.keys import SigningRefused, fingerprint
from vrboard.signing.pdfsign import check_pdf


def _approve(db, who="zadeyemi", passphrase=PASS, **kw):
    _first, held, planned = meeting_ids(db)
    with db.transaction() as s:
        r = sg.approve_and_sign(s, actor(db, who), held, planned, passphrase, **kw)
        return r.document.id, r.document.content, r.warning, r.document.timestamped


def _flip(pdf: bytes) -> bytes:
    """One byte changed inside the signed part (in the first content stream)."""
    b = bytearray(pdf)
    b[pdf.index(b"stream") + 40] ^= 0x01
    return bytes(b)


def _pyhanko_status(pdf: bytes, cert):
    from asn1crypto import x509 as ax509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    sig = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures[0]
    return validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))


def test_signed_minutes_validate_and_a_changed_byte_breaks_them(board, chair_key, tmp_path):
    ident, pdf, warning, stamped = _approve(board)
    assert warning == "" and stamped is False
    with board.session() as s:
        m = s.get(Meeting, meeting_ids(board)[1])
        assert m.minutes_locked and m.minutes_signed_by.name == "Cllr Zoë Adeyemi"
        row, data = docs.fetch_document(s, actor(board, "rkaplan"), ident)
    assert data == pdf and row.kind is DocumentKind.SIGNED_MINUTES and row.signed
    status = _pyhanko_status(pdf, chair_key)
    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Cllr Zoë Adeyemi"
    assert check_pdf(pdf, chair_key.public_bytes(serialization.Encoding.DER)).ok
    bad = _flip(pdf)
    assert not _pyhanko_status(bad, chair_key).intact
    result = check_pdf(bad, chair_key.public_bytes(serialization.Encoding.DER))
    assert not result.ok and "changed after signing" in result.problem
    if shutil.which("pdfsig"):
        (tmp_path / "good.pdf").write_bytes(pdf)
        (tmp_path / "bad.pdf").write_bytes(bad)
        good = subprocess.run(["pdfsig", str(tmp_path / "good.pdf")], capture_output=True, text=True)
        assert "Signature Validation: Signature is Valid." in good.stdout
        assert "Signer Certificate Common Name: Cllr Zoë Adeyemi" in good.stdout
        assert "Total document signed" in good.stdout
        broken = subprocess.run(["pdfsig", str(tmp_path / "bad.pdf")], capture_output=True, text=True)
        assert "Signature is Valid" not in broken.stdout
        assert "Digest Mismatch" in broken.stdout
    words = " ".join(subprocess.run(["pdftotext", str(tmp_path / "good.pdf"), "-"],
                                    capture_output=True, text=True, check=True).stdout.split())
    assert "Signed as a correct record" in words and "Chair: Cllr Zoë Adeyemi" in words
    assert "Digitally signed with the certificate of Cllr Zoë Adeyemi" in words
    assert "at the meeting of" in words


def test_check_documents_catches_a_changed_signed_minute(board, chair_key):
    ident, pdf, _w, _t = _approve(board)
    with board.session() as s:
        counts, findings = docs.check_documents(s)
    assert (counts, findings) == ({"issued documents": 1, "signed minutes": 1}, [])
    bad = _flip(pdf)
    with board.engine.begin() as conn:  # change the bytes and, cleverly, the recorded hash too
        conn.execute(text("UPDATE issued_document SET content = :c, sha256 = :h WHERE id = :i"),
                     {"c": bad, "h": docs.sha256(bad), "i": ident})
    with board.session() as s:
        _counts, findings = docs.check_documents(s)
    assert len(findings) == 1 and findings[0].document_id == ident
    assert "fails its signature check: the signed bytes were changed" in findings[0].message


def test_signature_checked_against_the_recorded_certificate(board, chair_key, key_store):
    ident, _pdf, _w, _t = _approve(board)
    other = give_key(board, "lnowak", key_store)
    with board.engine.begin() as conn:  # point the document at someone else's certificate
        cid = conn.execute(text("SELECT id FROM signing_certificate WHERE fingerprint = :f"),
                           {"f": fingerprint(other)}).scalar_one()
        conn.execute(text("UPDATE issued_document SET certificate_id = :c WHERE id = :i"),
                     {"c": cid, "i": ident})
    with board.session() as s:
        _counts, findings = docs.check_documents(s)
    assert len(findings) == 1 and "fails its signature check" in findings[0].message


def _refused(db, exc, match, **kw):
    before = table_rows(db)
    with pytest.raises(exc, match=match):
        _approve(db, **kw)
    assert table_rows(db) == before


def test_wrong_passphrase_no_certificate_expired_and_revoked_change_nothing(board, key_store):
    _refused(board, NotFound, "No signing certificate is recorded for Cllr Zoë Adeyemi")
    give_key(board, "zadeyemi", key_store,
             now=dt.datetime.now(dt.UTC) - dt.timedelta(days=40), days=30)
    _refused(board, SigningRefused, "expired on")
    cert = give_key(board, "zadeyemi", key_store)  # the newest one is used
    _refused(board, SigningRefused, "passphrase .* is wrong", passphrase="not the passphrase")
    with board.transaction() as s:
        sg.revoke_certificate(s, actor(board, "zadeyemi"),
                              fingerprint(cert)[:12], "laptop lost")
    # the newest is revoked: the expired one before it is not used in its place
    with board.session() as s:
        live = [r for r in sg.certificates(s) if r.revoked_at is None]
    assert len(live) == 1
    _refused(board, SigningRefused, "expired on")


def test_revoked_only_certificate_and_non_chair(board, chair_key):
    with board.transaction() as s:
        sg.revoke_certificate(s, actor(board, "rkaplan"), fingerprint(chair_key)[:10], "left")
    _refused(board, PermissionDenied, "was revoked on .* \\(left\\)")
    _refused(board, PermissionDenied, "Only the chair", who="rkaplan")


def test_key_not_on_this_machine(board, chair_key, key_store):
    shutil.rmtree(key_store)
    _refused(board, NotFound, "private key .* is not on this machine")


def test_timestamp_server_used_when_it_answers(board, chair_key, tsa_url):
    ident, pdf, warning, stamped = _approve(board, tsa_url=tsa_url)
    assert warning == "" and stamped is True
    status = _pyhanko_status(pdf, chair_key)
    assert status.intact and status.valid and status.timestamp_validity is not None
    assert check_pdf(pdf, chair_key.public_bytes(serialization.Encoding.DER)).timestamped


@pytest.mark.slow
def test_silent_timestamp_server_signs_without_and_says_so(board, chair_key, silent_tsa_url):
    ident, pdf, warning, stamped = _approve(board, tsa_url=silent_tsa_url, tsa_timeout=1.5)
    assert stamped is False
    assert f"The timestamp server {silent_tsa_url} did not answer" in warning
    assert "signed without a timestamp" in warning
    assert check_pdf(pdf, chair_key.public_bytes(serialization.Encoding.DER)).ok
    with board.session() as s:
        assert "did not answer" in docs.list_documents(s, actor(board, "rkaplan"))[0].note


@pytest.mark.postgres
def test_signed_minutes_on_postgresql(pg_url, key_store):
    db = make_board(pg_url)
    try:
        cert = give_key(db, "zadeyemi", key_store)
        ident, pdf, _w, _t = _approve(db)
        with db.session() as s:
            assert docs.fetch_document(s, actor(db, "rkaplan"), ident)[1] == pdf
            assert docs.check_documents(s)[1] == []
        assert check_pdf(pdf, cert.public_bytes(serialization.Encoding.DER)).ok
    finally:
        db.close()


def test_not_a_pdf_is_refused_plainly(chair_key, key_store):
    from cryptography import x509

    from vrboard.signing import keys
    from vrboard.signing.pdfsign import sign_pdf

    pair = keys.unlock(chair_key, PASS, key_store)
    assert isinstance(chair_key, x509.Certificate)
    with pytest.raises(VrboardError, match="not a readable PDF"):
        sign_pdf(b"%PDF-1.4 nonsense", pair, stamp_text="x", reason="r")


def test_minutes_built_again_point_to_the_signed_original(board, chair_key, tmp_path):
    from vrboard.pdf import build_minutes

    ident, _pdf, _w, _t = _approve(board)
    with board.session() as s:
        build_minutes(s, meeting_ids(board)[1], tmp_path / "copy.pdf")
    words = " ".join(subprocess.run(["pdftotext", str(tmp_path / "copy.pdf"), "-"],
                                    capture_output=True, text=True, check=True).stdout.split())
    assert f"the digitally signed original is issued document {ident} of" in words
    assert "carries no signature" in words
