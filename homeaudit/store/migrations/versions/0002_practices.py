"""Practices: each client, audit and draft belongs to one; an audit records who made it.

Also: every audit has a client (``audits.client_id`` NOT NULL; one made before clients had
records gets one of its own first), and answers keep the order they were first given in
(``answers.seq``: SQLite's hidden ``rowid`` held it, and PostgreSQL has no such thing).

On SQLite, making ``client_id`` NOT NULL copies ``audits`` into a new table (batch mode). That is
why :func:`homeaudit.store.migrate.upgrade` runs migrations with foreign keys off: with them on,
dropping the old ``audits`` would delete every answer, photo and plan edit of every audit.

Revision ID: 0002_practices
Revises: 0001_baseline
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002_practices"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade() -> None:
    db = op.get_bind()
    orphans = db.execute(sa.text("SELECT id, client_name, client_address, created_at FROM audits WHERE client_id IS NULL"))
    for audit_id, name, address, created_at in orphans.fetchall():
        client_id = "client-" + secrets.token_hex(6)
        db.execute(
            sa.text("INSERT INTO clients (id, name, address, created_at) VALUES (:id, :name, :address, :at)"),
            {"id": client_id, "name": name, "address": address, "at": created_at},
        )
        db.execute(sa.text("UPDATE audits SET client_id = :c WHERE id = :a"), {"c": client_id, "a": audit_id})
    with op.batch_alter_table("audits") as audits:
        audits.alter_column("client_id", existing_type=sa.Text, nullable=False)
        audits.add_column(sa.Column("practice", sa.Text, nullable=False, server_default=""))
        audits.add_column(sa.Column("author", sa.Text, nullable=False, server_default=""))
    op.create_index("audits_by_practice", "audits", ["practice", "audit_date"])
    op.add_column("clients", sa.Column("practice", sa.Text, nullable=False, server_default=""))
    op.create_index("clients_by_practice", "clients", ["practice"])
    op.add_column("drafts", sa.Column("practice", sa.Text, nullable=False, server_default=""))
    op.add_column("answers", sa.Column("seq", sa.Integer, nullable=False, server_default=sa.text("0")))
    if db.dialect.name == "sqlite":
        db.execute(sa.text("UPDATE answers SET seq = rowid"))
