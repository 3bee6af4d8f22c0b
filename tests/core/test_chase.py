"""Chasing owners: drafts parsed back with the email package, their workbook re-imported
unchanged; owners without an address listed; the audit trail; sending through a local SMTP
server (STARTTLS and login) started here, and a server that refuses."""
from __future__ import annotations

import datetime as dt
import socket
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import actor
from vrboard.cli import main
from vrboard.errors import VrboardError
from vrboard.mail import Sender, Smtp
from vrboard.model import Action, AuditEntry, Person
from vrboard.services.chase import chase

TODAY = dt.date.today()


def _parse(path: Path):  # noqa: ANN202 - an EmailMessage
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def _open_owners(db) -> dict[str, tuple[str, int, int]]:  # noqa: ANN001
    """owner name -> (e-mail, open actions, overdue actions)"""
    out: dict[str, list] = {}
    with db.session() as s:
        for a in s.scalars(select(Action).where(Action.owner_id.is_not(None))):
            if a.status.is_open:
                row = out.setdefault(a.owner.name, [a.owner.email, 0, 0])
                row[1] += 1
                row[2] += a.is_overdue(TODAY)
    return {k: tuple(v) for k, v in out.items()}


def test_one_draft_per_owner_with_their_tracker(demo_db, tmp_path) -> None:
    from vrboard.excel import read_plan

    owners = _open_owners(demo_db)
    sec = actor(demo_db, "rkaplan")
    with demo_db.transaction() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
        result = chase(s, sec, tmp_path / "drafts", return_by=dt.date(2030, 1, 7), today=TODAY)
    assert sorted(n for n, _ in result.drafted) == sorted(owners)
    assert result.no_email == [] and result.sent == []
    for name, path in result.drafted:
        email, n_open, n_overdue = owners[name]
        msg = _parse(path)
        assert msg["X-Unsent"] == "1"
        assert msg["To"].addresses[0].addr_spec == email
        assert msg["To"].addresses[0].display_name == name
        assert msg["Reply-To"] == "rkaplan@example.gov.uk"
        assert "Mon 07/01/2030" in msg["Subject"]
        text = msg.get_body(("plain",)).get_content()
        html = msg.get_body(("html",)).get_content()
        assert "return it by Mon 07/01/2030" in text and "Mon 07/01/2030" in html
        assert f"your {n_open} open action" in text
        assert ("Overdue:" in text) == bool(n_overdue)
        [book] = list(msg.iter_attachments())
        assert book.get_filename() == f"VRB actions - {name}.xlsx"
        saved = tmp_path / book.get_filename()
        saved.write_bytes(book.get_content())
        with demo_db.session() as s:
            plan = read_plan(s, sec, saved)
        assert plan.from_vrboard and not plan.errors
        assert plan.counts["unchanged"] >= n_open and plan.counts.get("changed", 0) == 0
    with demo_db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.field == "chase")).all()
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before + len(entries)
    assert sorted(e.entity_label for e in entries) == sorted(owners)
    assert all(e.new_value.startswith("drafted ") for e in entries)


def test_owner_without_address_listed_and_overdue_only(demo_db, tmp_path, capsys) -> None:
    owners = _open_owners(demo_db)
    late = sorted(n for n, (_e, _o, overdue) in owners.items() if overdue)
    no_mail = late[0]
    with demo_db.transaction() as s:
        s.execute(Person.__table__.update().where(Person.__table__.c.name == no_mail)
                  .values(email=""))
    out = tmp_path / "late"
    assert main(["--as", "rkaplan", "--db", str(demo_db.url), "chase", "--out", str(out),
                 "--overdue-only", "--return-by", "04/01/2030"]) == 0
    printed = capsys.readouterr().out
    assert f"Drafted {len(late) - 1} e-mail(s)" in printed and "04/01/2030" in printed
    assert "No e-mail address for 1 owner(s)" in printed and no_mail in printed
    assert sorted(p.stem for p in out.glob("*.eml")) == sorted(n for n in late if n != no_mail)
    assert (out / f"VRB actions - {no_mail}.xlsx").is_file()
    assert main(["--as", "rkaplan", "--db", str(demo_db.url), "chase", "--out", str(out),
                 "--return-by", "31/02/2030"]) == 1
    assert "is not a date" in capsys.readouterr().err


# --- SMTP -------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _certificate(folder: Path) -> tuple[Path, Path]:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
                ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    crt, pem = folder / "server.crt", folder / "server.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                      serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption()))
    return crt, pem


class _Inbox:
    def __init__(self, refuse: str = "") -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: ANN001, ANN201, N802
        if self.refuse and self.refuse in address:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(tmp_path):  # noqa: ANN001, ANN201
    """A local SMTP server on 127.0.0.1: STARTTLS required, login 'clerk' / 's3cret'."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    crt, key = _certificate(tmp_path)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(crt, key)

    def check(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        ok = auth_data.login == b"clerk" and auth_data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)  # a refusal answers "535"

    started = []

    def start(refuse: str = ""):  # noqa: ANN202
        inbox = _Inbox(refuse)
        port = _free_port()
        c = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=ctx,
                       require_starttls=True, authenticator=check, auth_require_tls=True)
        c.start()
        started.append(c)
        return inbox, Smtp("127.0.0.1", port, "clerk", True, str(crt), timeout=10)

    yield start
    for c in started:
        c.stop()


def test_sending_through_a_local_server(demo_db, tmp_path, smtp_server) -> None:
    inbox, smtp = smtp_server()
    owners = _open_owners(demo_db)
    sec = actor(demo_db, "rkaplan")
    with Sender(smtp, "s3cret") as sender, demo_db.transaction() as s:
        result = chase(s, sec, tmp_path / "sent", today=TODAY, sender=sender)
    assert sorted(result.sent) == sorted(owners) and not result.failed
    got = {rcpt[0]: _parse_bytes(data) for rcpt, data in inbox.messages}
    assert set(got) == {e for e, _o, _l in owners.values()}
    for msg in got.values():
        assert msg["X-Unsent"] is None and msg["Reply-To"] == "rkaplan@example.gov.uk"
        assert len(list(msg.iter_attachments())) == 1
    with demo_db.session() as s:
        sent = s.scalars(select(AuditEntry).where(AuditEntry.field == "chase",
                                                  AuditEntry.new_value.like("sent to %"))).all()
    assert len(sent) == len(owners)


def _parse_bytes(data: bytes):  # noqa: ANN202
    return BytesParser(policy=policy.default).parsebytes(data)


def test_a_wrong_password_is_refused_before_anything_is_written(demo_db, tmp_path, smtp_server,
                                                                 monkeypatch, capsys) -> None:
    _inbox, smtp = smtp_server()
    with pytest.raises(VrboardError, match="refused the login of clerk: 535"):
        with Sender(smtp, "wrong"):
            pass
    monkeypatch.setenv("VRBOARD_SMTP_PASSWORD", "wrong")
    out = tmp_path / "none"
    assert main(["--as", "rkaplan", "--db", str(demo_db.url), "chase", "--out", str(out),
                 "--send", f"127.0.0.1:{smtp.port}", "--smtp-user", "clerk",
                 "--smtp-cafile", str(smtp.cafile)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("vrboard: The mail server 127.0.0.1:") and "Traceback" not in err
    assert not out.exists()
    with demo_db.session() as s:
        assert not s.scalars(select(AuditEntry).where(AuditEntry.field == "chase")).first()


def test_a_server_refusing_a_recipient_stops_sending_plainly(demo_db, tmp_path, smtp_server,
                                                             monkeypatch, capsys) -> None:
    owners = _open_owners(demo_db)
    victim = sorted(owners)[1]
    inbox, smtp = smtp_server(refuse=owners[victim][0])
    monkeypatch.setenv("VRBOARD_SMTP_PASSWORD", "s3cret")
    out = tmp_path / "partial"
    assert main(["--as", "rkaplan", "--db", str(demo_db.url), "chase", "--out", str(out),
                 "--send", f"127.0.0.1:{smtp.port}", "--smtp-user", "clerk",
                 "--smtp-cafile", str(smtp.cafile)]) == 1
    captured = capsys.readouterr()
    assert "refused the message to" in captured.err and "550" in captured.err
    assert "Traceback" not in captured.err and "Sent 1 of them" in captured.out
    assert len(inbox.messages) == 1  # the first owner's, before the refusal
    assert len(list(out.glob("*.eml"))) == len(owners)  # every draft is still there
    with demo_db.session() as s:
        sent = s.scalars(select(AuditEntry).where(AuditEntry.field == "chase",
                                                  AuditEntry.new_value.like("sent to %"))).all()
    assert [e.entity_label for e in sent] == [sorted(owners)[0]]


def test_a_server_without_starttls_is_refused(tmp_path) -> None:
    from aiosmtpd.controller import Controller

    port = _free_port()
    c = Controller(_Inbox(), hostname="127.0.0.1", port=port)
    c.start()
    try:
        with pytest.raises(VrboardError, match="does not offer STARTTLS, so nothing was sent"):
            with Sender(Smtp("127.0.0.1", port)):
                pass
    finally:
        c.stop()
