"""The command line for keys, documents and the chair's acts: what each prints, exit 1 with a
plain message for refused input, and nothing written when refused."""
from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from tests.core.conftest import table_rows
from vrboard.cli import main
from vrboard.signing.keys import ENV_DIR
from vrboard.store import ENV_URL, open_database

PASS = "a good long passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.delenv("VRBOARD_KEY_PASSPHRASE", raising=False)
    monkeypatch.delenv("VRBOARD_TSA_URL", raising=False)
    monkeypatch.setenv(ENV_DIR, str(tmp_path / "keys"))


def run(capsys, *argv):
    code = main(list(argv))
    c = capsys.readouterr()
    return code, c.out, c.err


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    """``init --demo`` once per module (it renders and signs minutes); tests get a copy."""
    import os

    base = tmp_path_factory.mktemp("demo")
    old = os.environ.get(ENV_DIR)
    os.environ[ENV_DIR] = str(base / "keys")
    try:
        code = main(["--db", str(base / "demo.sqlite3"), "--as", "rkaplan", "init", "--demo"])
    finally:
        if old is None:
            os.environ.pop(ENV_DIR, None)
        else:
            os.environ[ENV_DIR] = old
    assert code == 0
    from tests.conftest import sit
    from vrboard.store import open_database

    db = open_database(f"sqlite:///{base / 'demo.sqlite3'}")
    try:
        sit(db, 3)  # the next meeting is sitting: minutes are approved at it
    finally:
        db.close()
    return base


@pytest.fixture
def demo(demo_template, tmp_path, capsys):
    import shutil

    capsys.readouterr()
    shutil.copy(demo_template / "demo.sqlite3", tmp_path / "demo.sqlite3")
    shutil.copytree(demo_template / "keys", tmp_path / "keys")
    return f"sqlite:///{tmp_path / 'demo.sqlite3'}"


def test_init_demo_says_the_demo_passphrase(tmp_path, capsys):
    code, out, _ = run(capsys, "--db", str(tmp_path / "d.sqlite3"), "--as", "rkaplan", "init",
                       "--demo")
    assert code == 0 and "DEMO signing key; its passphrase is 'vrboard-demo'" in out


@pytest.fixture
def passfile(tmp_path):
    p = tmp_path / "pass.txt"
    p.write_text(PASS + "\n")
    return str(p)


def rows(url):
    db = open_database(url)
    try:
        return table_rows(db)
    finally:
        db.close()


def test_demo_chair_has_a_demo_key_and_signed_minutes(demo, capsys):
    code, out, err = run(capsys, "--db", demo, "--as", "hmarsh", "keys", "list")
    assert code == 0 and err == ""
    assert "Cllr Zoë Adeyemi (DEMO)" in out and "\tDEMO\t" in out and "key on this machine" in out
    code, out, _ = run(capsys, "--db", demo, "--as", "hmarsh", "documents")
    assert code == 0 and "Signed minutes v1 (no timestamp)" in out


def test_keys_create_then_approve_and_get_back(demo, capsys, passfile, tmp_path):
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "create",
                         "--passphrase-file", passfile)
    assert code == 0 and err == "" and "Made a signing key for Cllr Zoë Adeyemi" in out
    before = rows(demo)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not the passphrase\n")
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3", "--passphrase-file", str(wrong))
    assert (code, out) == (1, "") and err.startswith("vrboard: The passphrase for the signing key")
    assert "Traceback" not in err and rows(demo) == before
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3", "--passphrase-file", passfile)
    assert code == 0 and err == "", err
    assert "Approved and signed the minutes of" in out and "Kept as issued document 2" in out
    target = tmp_path / "signed.pdf"
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "documents", "get", "2",
                         "--out", str(target))
    assert code == 0 and err == ""
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in out
    code, listing, _ = run(capsys, "--db", demo, "--as", "rkaplan", "documents", "--meeting", "2")
    assert listing.count("\n") == 1 and f"sha256 {digest}" in listing
    # existing file, unknown id: refused, nothing written
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "documents", "get", "2",
                         "--out", str(target))
    assert code == 1 and "already exists" in err
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "documents", "get", "99",
                         "--out", str(tmp_path / "none.pdf"))
    assert (code, out) == (1, "") and err == ("vrboard: There is no issued document with id 99; "
                                              "'vrboard documents' lists them.\n")
    assert not (tmp_path / "none.pdf").exists()


def test_no_passphrase_without_a_terminal(demo, capsys):
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "create")
    assert code == 1 and "No passphrase given: use --passphrase-file FILE or set " in err


def test_board_pack_issue_and_reissue(demo, capsys, tmp_path):
    # meeting 3 sits today: its pack is past the publication deadline, so it says why
    before = rows(demo)
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "board-pack", "--meeting", "3",
                         "--issue", "--out", str(tmp_path / "v1.pdf"))
    assert code == 1 and "issuing it now is late. Give the reason" in err and rows(demo) == before
    late = ("--late-reason", "Tabled at the meeting")
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "board-pack", "--meeting", "3",
                         "--issue", "--out", str(tmp_path / "v1.pdf"), *late)
    assert code == 0 and "Issued the board pack as version 1" in out
    assert "Late, because: Tabled at the meeting" in out
    before = rows(demo)
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "board-pack", "--meeting", "3",
                         "--issue", *late)
    assert code == 1 and "already issued as version 1" in err and rows(demo) == before
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "board-pack", "--meeting", "3",
                         "--issue", "--reason", "Late paper added", *late)
    assert code == 0 and "as version 2" in out
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "board-pack", "--meeting", "3",
                         "--public", "--issue", *late)
    assert code == 0 and "public board pack as version 1" in out
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "board-pack", "--meeting", "3")
    assert code == 1 and "--out" in err


def test_sign_off_from_the_command_line(demo, capsys):
    from sqlalchemy import select

    from vrboard.model import Action, ActionStatus

    db = open_database(demo)
    with db.session() as s:
        ref = s.scalars(select(Action.reference).where(
            Action.status == ActionStatus.AWAITING_SIGN_OFF)).first()
    db.close()
    code, out, err = run(capsys, "--db", demo, "--as", "rkaplan", "sign-off", ref, "--note", "x")
    assert code == 1 and "Only the chair" in err
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "sign-off", ref.lower(),
                         "--note", "Evidence seen")
    assert code == 0 and out.startswith(f"Signed off {ref}") and err == ""
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "sign-off", "NOPE-1")
    assert code == 1 and "no action with the reference NOPE-1" in err


def _p12(tmp_path, password: bytes, *, days=365, start_days_ago=1):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Council test CA")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Cllr Zoë Adeyemi")]))
            .issuer_name(ca).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=start_days_ago))
            .not_valid_after(now - dt.timedelta(days=start_days_ago) + dt.timedelta(days=days))
            .sign(ca_key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(
        b"chair", key, cert, None, serialization.BestAvailableEncryption(password))
    path = tmp_path / f"chair-{days}.p12"
    path.write_bytes(data)
    return path


def test_keys_import_p12(demo, capsys, tmp_path, passfile, monkeypatch):
    good = _p12(tmp_path, b"council-issued")
    expired = _p12(tmp_path, b"council-issued", days=10, start_days_ago=30)
    before = rows(demo)
    monkeypatch.setenv("VRBOARD_P12_PASSWORD", "wrong")
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "import", str(good),
                         "--passphrase-file", passfile)
    assert code == 1 and "password is wrong" in err and rows(demo) == before
    monkeypatch.setenv("VRBOARD_P12_PASSWORD", "council-issued")
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "import", str(expired),
                         "--passphrase-file", passfile)
    assert code == 1 and "expired on" in err and rows(demo) == before
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "import", str(good),
                         "--passphrase-file", passfile)
    assert code == 0 and err == "" and "Imported Cllr Zoë Adeyemi" in out
    code, out, _ = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "list")
    assert "issued by CN=Council test CA" in out
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3", "--passphrase-file", passfile)
    assert code == 0 and "Approved and signed" in out, err


def test_keys_create_csr_then_import_the_issued_certificate(demo, capsys, tmp_path, passfile):
    csr_path = tmp_path / "chair.csr"
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "create", "--csr",
                         str(csr_path), "--passphrase-file", passfile)
    assert code == 0 and "certificate signing request" in out
    csr = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert csr.is_signature_valid
    # the council's CA issues the certificate
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(csr.subject)
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Council CA")]))
            .public_key(csr.public_key()).serial_number(7)
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=90))
            .sign(ca_key, hashes.SHA256()))
    crt = tmp_path / "chair.crt"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "import", str(crt))
    assert code == 0 and "Imported Cllr Zoë Adeyemi" in out, err
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3", "--passphrase-file", passfile)
    assert code == 0, err
    # a certificate whose key is not here
    other = _p12(tmp_path, b"x")
    data = pkcs12.load_key_and_certificates(other.read_bytes(), b"x")[1]
    stray = tmp_path / "stray.crt"
    stray.write_bytes(data.public_bytes(serialization.Encoding.PEM))
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "keys", "import", str(stray))
    assert code == 1 and "no key on this machine matches" in err


def test_approve_without_a_signature(demo, capsys):
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3")
    assert code == 1 and "No passphrase given" in err  # the demo chair has a key: it asks
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3", "--without-signature")
    assert code == 0 and "without a digital signature; they are locked" in out
    code, out, err = run(capsys, "--db", demo, "--as", "zadeyemi", "approve-minutes", "--meeting",
                         "2", "--at", "3", "--without-signature")
    assert code == 1 and "are locked" in err
