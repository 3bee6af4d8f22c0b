"""Documents kept as issued (board packs, public packs, signed minutes) and the signing
certificates recorded against people.

An issued document holds the exact bytes that went out, with their SHA-256; nothing in
vrboard changes or deletes one. The bytes themselves are not copied into the audit trail:
the "created" entry records the hash instead (``info={"audited": False}``).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, Label, UTCDateTime, str_enum, utcnow
from .board import Person
from .meetings import Meeting


class DocumentKind(Label):
    PACK = "pack"
    PUBLIC_PACK = "public_pack"
    SIGNED_MINUTES = "signed_minutes"

    @property
    def label(self) -> str:
        return {"pack": "Board pack", "public_pack": "Public board pack",
                "signed_minutes": "Signed minutes"}[self.value]


class SigningCertificate(Base):
    """A certificate a person signs with. The private key never comes here: it stays,
    encrypted, on that person's own machine."""

    __tablename__ = "signing_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    # SHA-256 of the certificate's DER encoding, lower-case hex.
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    subject: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(500))
    serial: Mapped[str] = mapped_column(String(100))
    not_before: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    self_signed: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    der: Mapped[bytes] = mapped_column(LargeBinary, info={"audited": False})
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship()

    @property
    def label(self) -> str:
        return f"certificate {self.fingerprint[:16]}"


class IssuedDocument(Base):
    __tablename__ = "issued_document"
    __table_args__ = (UniqueConstraint("meeting_id", "kind", "version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DocumentKind] = mapped_column(str_enum(DocumentKind, "document_kind"))
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"), index=True)
    # 1, 2, ... per meeting and kind ("version" alone is the optimistic-lock column elsewhere).
    version_number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True, info={"audited": False})
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), nullable=True)
    issued_by_name: Mapped[str] = mapped_column(String(200))
    # Why a version after the first was issued (a late paper, a correction).
    reason: Mapped[str] = mapped_column(Text, default="")
    # Why a pack went out after its publication deadline (services/cycle.py), as councils
    # record the reason for late items.
    late_reason: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    # Signed documents: the certificate the signature was made with, and the timestamp.
    certificate_id: Mapped[int | None] = mapped_column(
        ForeignKey("signing_certificate.id"), nullable=True)
    timestamped: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    meeting: Mapped[Meeting] = relationship()
    issued_by: Mapped[Person | None] = relationship()
    certificate: Mapped[SigningCertificate | None] = relationship()

    @property
    def label(self) -> str:
        return f"{self.kind.label} v{self.version_number}"
