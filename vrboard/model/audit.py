"""The audit trail, saved column mappings and export batches."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Channel, UTCDateTime, str_enum, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_at", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True, index=True
    )
    actor_name: Mapped[str] = mapped_column(String(200))
    # Who actually recorded it, when not the actor: the secretariat recording the chair's
    # approval ("Ruth Kaplan for Cllr Zoë Adeyemi"). Empty when the actor recorded it.
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="",
                                                  server_default=text("''"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel"))
    # For imports: the file name and row; for the command line: the command.
    source: Mapped[str] = mapped_column(String(500), default="")
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    entity_label: Mapped[str] = mapped_column(String(300), default="")
    # "created", "deleted", or the name of the field that changed.
    field: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The chain (services/chain.py, docs/audit-chain.md): the serialisation this entry was
    # hashed with, the hash of the entry before it (64 zeros for the first) and its own.
    # A unique prev_hash: two entries can never follow the same one, so the chain cannot fork.
    chain_format: Mapped[int] = mapped_column(Integer)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    entry_hash: Mapped[str] = mapped_column(String(64))


class ColumnMapping(Base):
    """A saved mapping from a legacy tracker's headers to vrboard's fields."""

    __tablename__ = "column_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # JSON object: {"header as it appears": "field name"}, plus optional "_sheet".
    mapping_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExportBatch(Base):
    """One export of action trackers; its id travels in the workbook. What the workbook's hidden
    stamp claims (whom it is for, which actions, their exported values) is checked on import
    against what is recorded here, so a returned file cannot speak for someone else."""

    __tablename__ = "export_batch"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    description: Mapped[str] = mapped_column(String(500), default="")
    row_count: Mapped[int] = mapped_column(Integer, default=0)
    # The person an owner's tracker was made for (None: not one owner's tracker).
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), nullable=True
    )
    owner_name: Mapped[str] = mapped_column(String(200), default="", server_default=text("''"))
    # The exported actions' ids, comma-separated, and a SHA-256 of the hidden stamp's text.
    action_ids: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    stamp_digest: Mapped[str] = mapped_column(String(64), default="", server_default=text("''"))
