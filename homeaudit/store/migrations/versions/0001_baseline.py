"""The schema as homeaudit's own migrations left it (0001_initial to 0007_clients).

A database made by a version before Alembic already has these tables: it is stamped with this
revision, not rebuilt (:func:`homeaudit.store.migrate.upgrade`). A new database gets them here.
Never edit a released revision; add one.

Revision ID: 0001_baseline
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def _audit_ref() -> sa.Column[str]:
    return sa.Column("audit_id", sa.Text, sa.ForeignKey("audits.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("name", sa.Text, nullable=False, server_default=""),
        sa.Column("address", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_table(
        "audits",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("audit_date", sa.Text, nullable=False),
        sa.Column("auditor_name", sa.Text, nullable=False, server_default=""),
        sa.Column("auditor_role", sa.Text, nullable=False, server_default="family"),
        sa.Column("client_name", sa.Text, nullable=False, server_default=""),
        sa.Column("client_address", sa.Text, nullable=False, server_default=""),
        sa.Column("client_notes", sa.Text, nullable=False, server_default=""),
        sa.Column("previous_id", sa.Text),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("last_room", sa.Text),
        sa.Column("details", sa.Text, nullable=False, server_default="{}"),
        sa.Column("client_id", sa.Text, sa.ForeignKey("clients.id")),
    )
    op.create_index("audits_by_client", "audits", ["client_id", "audit_date"])
    op.create_table(
        "visits",
        _audit_ref(),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("room", sa.Text, nullable=False),
        sa.Column("label", sa.Text, nullable=False, server_default=""),
        sa.Column("present", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.PrimaryKeyConstraint("audit_id", "visit"),
    )
    op.create_table(
        "answers",
        _audit_ref(),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("value_text", sa.Text),
        sa.Column("value_number", sa.Float),
        sa.Column("unit", sa.Text),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("basis", sa.Text),
        sa.Column("incident", sa.Text),
        sa.Column("carried", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("audit_id", "visit", "item_id"),
    )
    op.create_table(
        "photos",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        _audit_ref(),
        sa.Column("filename", sa.Text, nullable=False, server_default=""),
        sa.Column("mime", sa.Text, nullable=False, server_default=""),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
    )
    op.create_index("photos_by_audit", "photos", ["audit_id"])
    op.create_table(
        "answer_photos",
        _audit_ref(),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("ref", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("audit_id", "visit", "item_id", "position"),
    )
    op.create_table(
        "plan_edits",
        _audit_ref(),
        sa.Column("item_id", sa.Text, nullable=False),
        sa.Column("visit", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("who", sa.Text),
        sa.Column("due", sa.Text),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False, server_default="open"),
        sa.Column("helper", sa.Text, nullable=False, server_default=""),
        sa.Column("done_on", sa.Text),
        sa.Column("done_by", sa.Text, nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("photo", sa.Text),
        sa.PrimaryKeyConstraint("audit_id", "item_id", "visit"),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Text, primary_key=True),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
    )
