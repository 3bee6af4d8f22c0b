"""The signing key store: private keys on this machine, each encrypted with its owner's
passphrase, beside the certificate that goes with it.

Files live in ``$VRBOARD_KEY_DIR`` or else the ``keys`` folder of vrboard's user data folder,
named by the key's public-key id: ``<id>.key.pem`` (PKCS#8, encrypted) and ``<id>.crt.pem``
(the certificate, then any CA certificates). Only the certificate is ever recorded in the
database; the key does not leave this folder.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..errors import NotFound, ValidationError, VrboardError

ENV_DIR = "VRBOARD_KEY_DIR"
MIN_PASSPHRASE = 8
# The passphrase of the demo chair's key, printed by `vrboard init --demo`. Demo data only.
DEMO_PASSPHRASE = "vrboard-demo"


class SigningRefused(VrboardError):
    """A key cannot be used: wrong passphrase, missing key, unusable certificate."""


def key_dir() -> Path:
    env = os.environ.get(ENV_DIR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("vrboard", appauthor=False)) / "keys"


def key_id(public_key: object) -> str:
    """A stable id for a public key: SHA-256 of its SubjectPublicKeyInfo, 32 hex digits."""
    der = public_key.public_bytes(serialization.Encoding.DER,  # type: ignore[attr-defined]
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:32]


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def common_name(cert: x509.Certificate) -> str:
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


@dataclass
class KeyPair:
    """An unlocked key with its certificate (and the CA certificates above it)."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


def check_passphrase(passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(f"The passphrase must be at least {MIN_PASSPHRASE} characters long; "
                              "the key is only as safe as its passphrase.", "passphrase")
    return passphrase.encode("utf-8")


def check_usable(cert: x509.Certificate, now: dt.datetime | None = None) -> None:
    """Refuse a certificate outside its validity period."""
    now = now or dt.datetime.now(dt.UTC)
    who = common_name(cert)
    if cert.not_valid_after_utc < now:
        raise SigningRefused(f"The signing certificate of {who} expired on "
                        f"{cert.not_valid_after_utc:%d/%m/%Y}; ask for a new one (or make one with "
                        "'vrboard keys create') before signing.")
    if cert.not_valid_before_utc > now:
        raise SigningRefused(f"The signing certificate of {who} is valid only from "
                        f"{cert.not_valid_before_utc:%d/%m/%Y}.")


def _name(common: str, organisation: str, email: str, demo: bool) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, (common + " (DEMO)") if demo else common)]
    if organisation or demo:
        org = "DEMO - not a real signature" if demo else organisation
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if email:
        attrs.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, email))
    return x509.Name(attrs)


_KEY_USAGE = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                           data_encipherment=False, key_agreement=False, key_cert_sign=False,
                           crl_sign=False, encipher_only=False, decipher_only=False)


def _paths(directory: Path, kid: str) -> tuple[Path, Path]:
    return directory / f"{kid}.key.pem", directory / f"{kid}.crt.pem"


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)
    except OSError:
        pass
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _store(directory: Path, key: rsa.RSAPrivateKey, passphrase: bytes,
           certs: list[x509.Certificate]) -> Path:
    kid = key_id(key.public_key())
    key_path, cert_path = _paths(directory, kid)
    _write_private(key_path, key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase)))
    if certs:
        _write_private(cert_path, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return key_path


def self_signed(key: rsa.RSAPrivateKey, name: x509.Name, days: int,
                now: dt.datetime | None = None) -> x509.Certificate:
    now = now or dt.datetime.now(dt.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_KEY_USAGE, critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]),
                           critical=False)
            .sign(key, hashes.SHA256()))


def create_key(common: str, passphrase: str, *, organisation: str = "", email: str = "",
               days: int = 730, demo: bool = False, directory: Path | None = None,
               now: dt.datetime | None = None) -> tuple[x509.Certificate, Path]:
    """A new RSA key and a self-signed certificate for ``common``; the key is stored
    encrypted with ``passphrase``."""
    secret = check_passphrase(passphrase)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = self_signed(key, _name(common, organisation, email, demo), days, now)
    return cert, _store(directory or key_dir(), key, secret, [cert])


def create_csr(common: str, passphrase: str, *, organisation: str = "", email: str = "",
               directory: Path | None = None) -> tuple[bytes, Path]:
    """A new key (stored encrypted) and a certificate signing request (PEM) for the council's
    certificate authority; import the certificate it issues with ``import_certificate``."""
    secret = check_passphrase(passphrase)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    csr = (x509.CertificateSigningRequestBuilder()
           .subject_name(_name(common, organisation, email, False))
           .add_extension(_KEY_USAGE, critical=True)
           .sign(key, hashes.SHA256()))
    return csr.public_bytes(serialization.Encoding.PEM), _store(directory or key_dir(), key,
                                                                  secret, [])


def read_p12(data: bytes, password: str, source: str) -> tuple[rsa.RSAPrivateKey, list[x509.Certificate]]:
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except ValueError:
        raise SigningRefused(f"{source}: the password is wrong, or the file is not a PKCS#12 (.p12/.pfx) "
                        "file. Nothing was imported.") from None
    if key is None or cert is None:
        raise SigningRefused(f"{source} holds no private key with its certificate; nothing was imported.")
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningRefused(f"{source}: only RSA keys are supported for signing; nothing was imported.")
    return key, [cert, *extra]


def import_p12(data: bytes, p12_password: str, passphrase: str, *, source: str = "the file",
               directory: Path | None = None,
               now: dt.datetime | None = None) -> tuple[x509.Certificate, Path]:
    """Take a key and certificate the council issued (PKCS#12), storing the key encrypted
    with ``passphrase`` (which may be the same as the file's password)."""
    secret = check_passphrase(passphrase)
    key, certs = read_p12(data, p12_password, source)
    check_usable(certs[0], now)
    return certs[0], _store(directory or key_dir(), key, secret, certs)


def import_certificate(data: bytes, *, source: str = "the file", directory: Path | None = None,
                       now: dt.datetime | None = None) -> x509.Certificate:
    """The certificate the CA issued for a request made with ``create_csr`` (PEM or DER, the
    CA's certificates may follow in a PEM file). Its key must be in this machine's store."""
    try:
        certs = (x509.load_pem_x509_certificates(data) if b"-----BEGIN" in data
                 else [x509.load_der_x509_certificate(data)])
    except ValueError:
        raise ValidationError(f"{source} is not a certificate (PEM or DER); nothing was "
                              "imported.") from None
    cert = certs[0]
    check_usable(cert, now)
    directory = directory or key_dir()
    key_path, cert_path = _paths(directory, key_id(cert.public_key()))
    if not key_path.exists():
        raise SigningRefused(f"{source}: no key on this machine matches this certificate. Import it on "
                        "the machine where 'vrboard keys create --csr' made the request, or import "
                        "the .p12 file the council issued instead.")
    _write_private(cert_path, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs))
    return cert


def local_key_path(cert: x509.Certificate, directory: Path | None = None) -> Path | None:
    path = _paths(directory or key_dir(), key_id(cert.public_key()))[0]
    return path if path.exists() else None


def unlock(cert: x509.Certificate, passphrase: str, directory: Path | None = None) -> KeyPair:
    """The key for ``cert`` from this machine's store, decrypted with ``passphrase``."""
    directory = directory or key_dir()
    key_path, cert_path = _paths(directory, key_id(cert.public_key()))
    if not key_path.exists():
        raise NotFound(f"The private key for the certificate of {common_name(cert)} is not on this "
                       f"machine (looked in {directory}). Sign on the machine that holds it, or "
                       "import the key with 'vrboard keys import'.")
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(),
                                                 passphrase.encode("utf-8") or None)
    except (ValueError, TypeError):
        raise SigningRefused(f"The passphrase for the signing key of {common_name(cert)} is wrong; "
                        "nothing was signed.") from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningRefused(f"{key_path} is not an RSA key; nothing was signed.")
    chain: list[x509.Certificate] = []
    if cert_path.exists():
        chain = [c for c in x509.load_pem_x509_certificates(cert_path.read_bytes())
                 if c != cert]
    return KeyPair(key, cert, chain)
