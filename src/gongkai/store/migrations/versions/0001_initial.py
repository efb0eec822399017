"""initial schema: sources, reports, cells, findings, failures

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("form", sa.String(16)),
        sa.Column("url", sa.Text),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("added_at", TS, nullable=False),
    )
    op.create_table(
        "reports",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("source_id", Id, sa.ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("edition", sa.String(16)),
        sa.Column("agency", sa.Text),
        sa.Column("agency_key", sa.Text),
        sa.Column("region", sa.Text),
        sa.Column("year", sa.Integer),
        sa.Column("dated", sa.String(10)),
        sa.Column("posted", sa.String(10)),
        sa.Column("report_kind", sa.String(16)),
        sa.Column("title", sa.Text),
        sa.Column("meta", sa.JSON),
        sa.Column("extra", sa.JSON),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("has_errors", sa.Boolean, nullable=False),
        sa.Column("n_errors", sa.Integer, nullable=False),
        sa.Column("n_warnings", sa.Integer, nullable=False),
        sa.Column("n_cells", sa.Integer, nullable=False),
        sa.Column("n_nonzero", sa.Integer, nullable=False),
        sa.Column("values_hash", sa.String(64)),
        sa.Column("parsed_at", TS, nullable=False),
    )
    op.create_index("ix_reports_organ_year", "reports", ["agency_key", "year"])
    op.create_index("ix_reports_year_region", "reports", ["year", "region"])
    op.create_table(
        "cells",
        sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cell_id", sa.String(64), primary_key=True),
        sa.Column("value", sa.Double),
        sa.Column("is_int", sa.Boolean),
        sa.Column("unit", sa.String(16)),
        sa.Column("raw", sa.Text),
        sa.Column("provenance", sa.JSON),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "findings",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("report_id", Id, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rule", sa.String(16), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("cells", sa.JSON),
        sa.Column("where", sa.JSON),
        sa.Column("scope", sa.String(8), nullable=False),
    )
    op.create_index("ix_findings_report_id", "findings", ["report_id"])
    op.create_index("ix_findings_rule", "findings", ["rule"])
    op.create_table(
        "failures",
        sa.Column("id", Id, primary_key=True, autoincrement=True),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), unique=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("parser_version", sa.String(32)),
        sa.Column("at", TS, nullable=False),
    )


def downgrade() -> None:
    for t in ("failures", "findings", "cells", "reports", "sources"):
        op.drop_table(t)
