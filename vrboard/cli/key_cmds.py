"""``keys create | import | list | revoke``: the signing key on this machine and the
certificate recorded against you in the database."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import ValidationError
from . import passphrase as pw
from .common import acting_user, open_db, out

P12_ENV = "VRBOARD_P12_PASSWORD"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("keys", help="your signing key and certificate (create, import, list, revoke)")
    inner = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)

    c = inner.add_parser("create", help="make a key pair and a self-signed certificate (or --csr)")
    c.add_argument("--csr", metavar="OUT.csr",
                   help="instead of a self-signed certificate, write a certificate signing "
                        "request for the council's certificate authority to OUT.csr")
    c.add_argument("--days", type=int, default=730, help="self-signed certificate's life (default 730)")
    pw.add_option(c, "the new key's passphrase")
    c.set_defaults(func=cmd_create)

    i = inner.add_parser("import", help="take the certificate the council issued: a .p12/.pfx "
                                        "(key and certificate) or the certificate for your --csr")
    i.add_argument("file", metavar="FILE.p12")
    i.add_argument("--p12-password-file", metavar="FILE",
                   help=f"the .p12 file's password (else ${P12_ENV}, else a prompt)")
    pw.add_option(i, "the passphrase to protect the key with on this machine")
    i.set_defaults(func=cmd_import)

    ls = inner.add_parser("list", help="certificates recorded in the database, and which keys "
                                       "are on this machine")
    ls.set_defaults(func=cmd_list)

    r = inner.add_parser("revoke", help="stop a certificate from signing (lost key, leaver)")
    r.add_argument("fingerprint", metavar="FINGERPRINT", help="its first 8 or more characters")
    r.add_argument("--reason", required=True, metavar="TEXT")
    r.set_defaults(func=cmd_revoke)


def _describe(cert) -> str:  # noqa: ANN001
    from ..signing.keys import common_name, fingerprint

    return (f"{common_name(cert)}, valid until {cert.not_valid_after_utc:%d/%m/%Y}, "
            f"fingerprint {fingerprint(cert)}")


def cmd_create(args: argparse.Namespace) -> int:
    from ..services.signatures import person_of, record_certificate
    from ..signing import keys

    if args.days < 1 or args.days > 3650:
        raise ValidationError("--days must be from 1 to 3650.")
    csr_out = Path(args.csr).expanduser() if args.csr else None
    if csr_out is not None and (csr_out.exists() or not csr_out.parent.is_dir()):
        raise ValidationError(f"{csr_out} already exists or its folder does not; choose another "
                              "name. Nothing was created.")
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.session() as s:
            person = person_of(s, actor)
            name, org, email = person.name, person.organisation, person.email
        secret = pw.passphrase(args, confirm=True, prompt="Passphrase for the new key: ")
        keys.check_passphrase(secret)
        if csr_out is not None:
            csr, key_path = keys.create_csr(name, secret, organisation=org, email=email)
            csr_out.write_bytes(csr)
            out(f"Made a key for {name} ({key_path}) and a certificate signing request: {csr_out}.")
            out("Send the request to the council's certificate authority, then import the "
                "certificate it issues with 'vrboard keys import FILE'.")
            return 0
        cert, key_path = keys.create_key(name, secret, organisation=org, email=email, days=args.days)
        try:
            with db.transaction() as s:
                record_certificate(s, actor, cert)
        except BaseException:
            key_path.unlink(missing_ok=True)
            key_path.with_name(key_path.name.replace(".key.pem", ".crt.pem")).unlink(missing_ok=True)
            raise
    finally:
        db.close()
    out(f"Made a signing key for {name}, kept encrypted in {key_path}.")
    out(f"Recorded its self-signed certificate: {_describe(cert)}.")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from ..services.signatures import record_certificate
    from ..signing import keys

    path = Path(args.file).expanduser()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    is_p12 = path.suffix.lower() in (".p12", ".pfx")
    db = open_db(args)
    try:
        actor = acting_user(db, args)
        key_path = None
        if is_p12:
            if args.p12_password_file:
                p12 = pw.read_file(args.p12_password_file, "the .p12 password")
            elif os.environ.get(P12_ENV) is not None:
                p12 = os.environ[P12_ENV]
            else:
                p12 = pw.passphrase(argparse.Namespace(), prompt=f"Password of {path.name}: ")
            keys.read_p12(data, p12, path.name)  # a wrong password is refused before any prompt
            secret = pw.passphrase(args, confirm=True,
                                   prompt="Passphrase to protect the key on this machine: ")
            cert, key_path = keys.import_p12(data, p12, secret, source=path.name)
        else:
            cert = keys.import_certificate(data, source=path.name)
        with db.transaction() as s:
            record_certificate(s, actor, cert)
    finally:
        db.close()
    out(f"Imported {_describe(cert)}" + (f"; key kept encrypted in {key_path}." if key_path else "."))
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from cryptography import x509

    from ..services.context import Perm, require
    from ..services.signatures import certificates
    from ..signing.keys import local_key_path

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        require(actor, Perm.READ)
        with db.session() as s:
            rows = [(r, r.person.name) for r in certificates(s)]
    finally:
        db.close()
    for r, who in rows:
        state = (f"revoked {r.revoked_at.astimezone():%d/%m/%Y}" if r.revoked_at else
                 f"valid until {r.not_after.astimezone():%d/%m/%Y}")
        here = "key on this machine" if local_key_path(
            x509.load_der_x509_certificate(r.der)) else "key not on this machine"
        kind = "DEMO" if r.demo else ("self-signed" if r.self_signed else "issued by " + r.issuer)
        out(f"{r.fingerprint[:16]}\t{who}\t{r.subject}\t{kind}\t{state}\t{here}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from ..services.signatures import revoke_certificate

    db = open_db(args)
    try:
        actor = acting_user(db, args)
        with db.transaction() as s:
            row = revoke_certificate(s, actor, args.fingerprint, args.reason)
            fp, who = row.fingerprint, row.person.name
    finally:
        db.close()
    out(f"Revoked {who}'s certificate {fp[:16]}; it can no longer sign.")
    return 0
