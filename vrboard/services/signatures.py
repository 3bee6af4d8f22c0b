"""Signing certificates recorded against people, and minutes approved and signed by the chair.

The certificate (public) is recorded in the database against its holder; the private key
stays in the key store on the holder's machine (``vrboard.signing.keys``). Approving minutes
renders them, signs the PDF with the chair's key and keeps it as an issued document, all
in one transaction: a refused passphrase or certificate leaves the minutes unapproved.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, ValidationError
from ..model import DocumentKind, IssuedDocument, Meeting, Person, SigningCertificate, utcnow
from ..signing import keys
from . import common as c
from .audit import bind
from .context import Actor, Perm, can, require_chair
from .documents import issue_document, render_to_bytes

TSA_ENV = "VRBOARD_TSA_URL"


def _text(name: x509.Name) -> str:
    from cryptography.x509.oid import NameOID

    return name.rfc4514_string({NameOID.EMAIL_ADDRESS: "E"})[:500]


def record_certificate(session: Session, actor: Actor, cert: x509.Certificate, *,
                       demo: bool = False) -> SigningCertificate:
    """Record ``cert`` as a signing certificate of the acting person."""
    bind(session, actor)
    if actor.person_id is None:
        raise PermissionDenied("Only a person on the board can hold a signing certificate.")
    fp = keys.fingerprint(cert)
    existing = session.scalars(select(SigningCertificate).where(
        SigningCertificate.fingerprint == fp)).first()
    if existing is not None:
        if existing.person_id != actor.person_id:
            raise ValidationError(f"This certificate is already recorded for "
                                  f"{existing.person.name}; nothing was changed.")
        return existing
    row = SigningCertificate(
        person_id=actor.person_id, fingerprint=fp, subject=_text(cert.subject),
        issuer=_text(cert.issuer), serial=format(cert.serial_number, "x")[:100],
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc,
        self_signed=cert.issuer == cert.subject, demo=demo,
        der=cert.public_bytes(serialization.Encoding.DER), added_at=utcnow())
    session.add(row)
    c.flush(session, row)
    return row


def certificates(session: Session, person_id: int | None = None) -> list[SigningCertificate]:
    q = select(SigningCertificate).order_by(SigningCertificate.id)
    if person_id is not None:
        q = q.where(SigningCertificate.person_id == person_id)
    return list(session.scalars(q))


def find_certificate(session: Session, prefix: str) -> SigningCertificate:
    p = prefix.strip().lower().replace(":", "")
    if len(p) < 8:
        raise ValidationError("Give at least the first 8 characters of the certificate's "
                              "fingerprint ('vrboard keys list' shows them).")
    rows = session.scalars(select(SigningCertificate).where(
        SigningCertificate.fingerprint.startswith(p))).all()
    if not rows:
        raise NotFound(f"No signing certificate's fingerprint starts with {p}.")
    if len(rows) > 1:
        raise ValidationError(f"More than one certificate's fingerprint starts with {p}; give more.")
    return rows[0]


def revoke_certificate(session: Session, actor: Actor, prefix: str,
                       reason: str) -> SigningCertificate:
    """Stop a certificate from signing (a lost laptop, a leaver). Its holder or an
    administrator may; documents signed before stay valid."""
    bind(session, actor)
    row = find_certificate(session, prefix)
    if row.person_id != actor.person_id and not can(actor, Perm.ADMIN):
        raise PermissionDenied(f"Only {row.person.name} or the secretariat may revoke this "
                               "certificate.")
    if row.revoked_at is not None:
        raise ValidationError(f"That certificate was already revoked on "
                              f"{row.revoked_at.astimezone():%d/%m/%Y}.")
    row.revoked_at = utcnow()
    row.revoked_reason = c.text(reason, "reason", required=True, max_len=2000)
    c.flush(session, row)
    return row


def usable_certificate(session: Session, actor: Actor,
                       now: dt.datetime | None = None) -> SigningCertificate:
    """The certificate the actor signs with now: their newest one not revoked."""
    rows = certificates(session, actor.person_id) if actor.person_id is not None else []
    live = [r for r in rows if r.revoked_at is None]
    if not live:
        if rows:
            r = rows[-1]
            raise PermissionDenied(
                f"{actor.name}'s signing certificate was revoked on "
                f"{r.revoked_at.astimezone():%d/%m/%Y} ({r.revoked_reason}); record a new one "  # type: ignore[union-attr]
                "with 'vrboard keys create' or 'vrboard keys import'. Nothing was signed.")
        raise NotFound(f"No signing certificate is recorded for {actor.name}: create one with "
                       "'vrboard keys create' (or import the council's with 'vrboard keys "
                       "import'). Nothing was signed.")
    row = live[-1]
    keys.check_usable(x509.load_der_x509_certificate(row.der), now)
    return row


def unlock_for(session: Session, actor: Actor, passphrase: str,
               key_directory: Path | None = None) -> tuple[SigningCertificate, keys.KeyPair]:
    row = usable_certificate(session, actor)
    cert = x509.load_der_x509_certificate(row.der)
    return row, keys.unlock(cert, passphrase, key_directory)


@dataclass(frozen=True)
class SignedMinutes:
    document: IssuedDocument
    warning: str = ""


def minutes_filename(meeting: Meeting) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -" else "-" for ch in meeting.title).strip()
    return f"{safe} minutes {meeting.starts_at:%d-%m-%Y} signed.pdf"


def sign_minutes(session: Session, actor: Actor, meeting: Meeting, row: SigningCertificate,
                 pair: keys.KeyPair, *, tsa_url: str | None = None, tsa_timeout: float = 10.0,
                 progress: object = None) -> SignedMinutes:
    """Render ``meeting``'s (approved) minutes, sign them and keep them as issued."""
    from ..pdf.minutes import DigitalSignature, build_minutes
    from ..signing.pdfsign import Placement, sign_pdf

    digital = DigitalSignature(keys.common_name(pair.cert))
    data = render_to_bytes(lambda p: build_minutes(session, meeting.id, p, progress=progress,
                                                   digital=digital))
    page, box = digital.slot[-1] if digital.slot else (-1, Placement().box)
    at = meeting.minutes_approved_at
    signed = sign_pdf(
        data, pair, stamp_text=("DEMO signature, not a real one. Signed %(ts)s" if row.demo
                                else "Digital signature of the chair. Signed %(ts)s"),
        reason=f"Approved as a correct record at the meeting of "
               f"{at.starts_at:%d/%m/%Y}" if at else "Approved as a correct record",
        location=at.venue if at else "", name=actor.name, placement=Placement(page, box),
        tsa_url=tsa_url, tsa_timeout=tsa_timeout)
    doc = issue_document(session, actor, DocumentKind.SIGNED_MINUTES, meeting.id, signed.data,
                         minutes_filename(meeting), certificate_id=row.id,
                         timestamped=signed.timestamped, note=signed.warning)
    return SignedMinutes(doc, signed.warning)


def approve_and_sign(session: Session, actor: Actor, meeting_id: int, at_meeting_id: int,
                     passphrase: str, *, expected_version: int | None = None,
                     tsa_url: str | None = None, tsa_timeout: float = 10.0,
                     key_directory: Path | None = None, progress: object = None) -> SignedMinutes:
    """The chair approves ``meeting_id``'s minutes at ``at_meeting_id`` and signs the PDF."""
    from .meetings import approve_minutes

    bind(session, actor)
    require_chair(session, actor, "approve and sign minutes")
    row, pair = unlock_for(session, actor, passphrase, key_directory)
    meeting = approve_minutes(session, actor, meeting_id, at_meeting_id, expected_version)
    return sign_minutes(session, actor, meeting, row, pair, tsa_url=tsa_url,
                        tsa_timeout=tsa_timeout, progress=progress)


def person_of(session: Session, actor: Actor) -> Person:
    if actor.person_id is None:
        raise PermissionDenied("The system account holds no keys.")
    return c.get(session, Person, actor.person_id, "person")
