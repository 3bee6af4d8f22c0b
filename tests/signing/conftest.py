"""Fixtures for issued documents and signing: the demo board with meetings ready for the
chair to approve, the chair's key in a temporary key store, and a local RFC 3161 server."""
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import actor, build_demo_into
from vrboard.model import Meeting
from vrboard.services.signatures import record_certificate
from vrboard.signing import keys
from vrboard.store import Database, open_database

PASS = "correct horse battery"


@pytest.fixture
def key_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "keys"
    monkeypatch.setenv(keys.ENV_DIR, str(d))
    return d


def meeting_ids(db: Database) -> list[int]:
    with db.session() as s:
        return list(s.scalars(select(Meeting.id).order_by(Meeting.starts_at)))


def make_board(url: str) -> Database:
    """The demo board, its next meeting sitting now: minutes are approved at a meeting that
    has begun (services.meetings.approval_venue_refusal)."""
    from tests.conftest import sit

    db = open_database(url)
    build_demo_into(db)
    sit(db, meeting_ids(db)[-1])
    return db


@pytest.fixture
def board(sqlite_url: str) -> Iterator[Database]:
    """The demo board: meeting 1's minutes signed (without a key), meeting 2 held and not yet
    approved, meeting 3 planned."""
    db = make_board(sqlite_url)
    yield db
    db.close()


def give_key(db: Database, who: str, store: Path, *, now: dt.datetime | None = None,
             days: int = 730) -> keys.x509.Certificate:
    chair = actor(db, who)
    cert, _ = keys.create_key(chair.name, PASS, directory=store, now=now, days=days)
    with db.transaction() as s:
        record_certificate(s, chair, cert)
    return cert


@pytest.fixture
def chair_key(board: Database, key_store: Path) -> keys.x509.Certificate:
    return give_key(board, "zadeyemi", key_store)


# --- a local RFC 3161 timestamp server --------------------------------------------------


def _tsa_material():  # noqa: ANN202
    from asn1crypto import keys as akeys
    from asn1crypto import x509 as ax509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test timestamp authority")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(key, hashes.SHA256()))
    return (ax509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            akeys.PrivateKeyInfo.load(key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption())))


@pytest.fixture
def tsa_url() -> Iterator[str]:
    """An RFC 3161 server on localhost, answering with pyHanko's test timestamper."""
    from asn1crypto import tsp
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    cert, key = _tsa_material()
    stamper = DummyTimeStamper(tsa_cert=cert, tsa_key=key)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_tsa_url() -> Iterator[str]:
    """A server that accepts the connection and never answers."""
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sock.close()
