"""The database's tables as they are after the newest migration, in SQLAlchemy Core terms.

One schema for both backends: text for words and dates (ISO 8601, so they sort as text), floats
for readings, bytes for photos (BLOB in SQLite, bytea in PostgreSQL). The migrations in
``homeaudit/store/migrations/versions`` build exactly this; ``tests/test_migrations.py``
checks that they agree. Who owns what: every client and audit belongs to one ``practice`` (""
on a single-user laptop) and an audit records its ``author`` (who signed in and created it).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    text,
)

metadata = MetaData()


def _audit_ref() -> Column[str]:
    return Column("audit_id", Text, ForeignKey("audits.id", ondelete="CASCADE"), nullable=False)


clients = Table(
    "clients",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False, server_default=""),
    Column("address", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    Column("practice", Text, nullable=False, server_default=""),
    Index("clients_by_practice", "practice"),
)

audits = Table(
    "audits",
    metadata,
    Column("id", Text, primary_key=True),
    Column("audit_date", Text, nullable=False),
    Column("auditor_name", Text, nullable=False, server_default=""),
    Column("auditor_role", Text, nullable=False, server_default="family"),
    Column("client_name", Text, nullable=False, server_default=""),
    Column("client_address", Text, nullable=False, server_default=""),
    Column("client_notes", Text, nullable=False, server_default=""),
    Column("previous_id", Text),
    Column("created_at", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("last_room", Text),
    Column("details", Text, nullable=False, server_default="{}"),
    Column("client_id", Text, ForeignKey("clients.id"), nullable=False),
    Column("practice", Text, nullable=False, server_default=""),
    Column("author", Text, nullable=False, server_default=""),
    Index("audits_by_client", "client_id", "audit_date"),
    Index("audits_by_practice", "practice", "audit_date"),
)

visits = Table(
    "visits",
    metadata,
    _audit_ref(),
    Column("visit", Integer, nullable=False),
    Column("room", Text, nullable=False),
    Column("label", Text, nullable=False, server_default=""),
    Column("present", Integer, nullable=False, server_default=text("1")),
    PrimaryKeyConstraint("audit_id", "visit"),
)

answers = Table(
    "answers",
    metadata,
    _audit_ref(),
    Column("visit", Integer, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("value_text", Text),
    Column("value_number", Float),
    Column("unit", Text),
    Column("note", Text, nullable=False, server_default=""),
    Column("updated_at", Text, nullable=False),
    Column("basis", Text),
    Column("incident", Text),
    Column("carried", Integer, nullable=False, server_default=text("0")),
    # The order answers were first given in (a file's order survives a round trip).
    Column("seq", Integer, nullable=False, server_default=text("0")),
    PrimaryKeyConstraint("audit_id", "visit", "item_id"),
)

photos = Table(
    "photos",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _audit_ref(),
    Column("filename", Text, nullable=False, server_default=""),
    Column("mime", Text, nullable=False, server_default=""),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", Text, nullable=False),
    Index("photos_by_audit", "audit_id"),
)

answer_photos = Table(
    "answer_photos",
    metadata,
    _audit_ref(),
    Column("visit", Integer, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("ref", Text, nullable=False),
    PrimaryKeyConstraint("audit_id", "visit", "item_id", "position"),
)

plan_edits = Table(
    "plan_edits",
    metadata,
    _audit_ref(),
    Column("item_id", Text, nullable=False),
    Column("visit", Integer, nullable=False),
    Column("done", Integer, nullable=False, server_default=text("0")),
    Column("who", Text),
    Column("due", Text),
    Column("updated_at", Text, nullable=False),
    Column("state", Text, nullable=False, server_default="open"),
    Column("helper", Text, nullable=False, server_default=""),
    Column("done_on", Text),
    Column("done_by", Text, nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Column("photo", Text),
    PrimaryKeyConstraint("audit_id", "item_id", "visit"),
)

drafts = Table(
    "drafts",
    metadata,
    Column("id", Text, primary_key=True),
    Column("data", Text, nullable=False),
    Column("updated_at", Text, nullable=False),
    Column("practice", Text, nullable=False, server_default=""),
)

#: Every table, parents before children (the order a copy inserts them in).
TABLES = (clients, audits, visits, answers, photos, answer_photos, plan_edits, drafts)

__all__ = ["TABLES", "answer_photos", "answers", "audits", "clients", "drafts", "metadata", "photos", "plan_edits", "visits"]
