"""The store's tables (SQLAlchemy Core). Migrations in `migrations/versions` create exactly these."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

# BigInteger ids on PostgreSQL, INTEGER PRIMARY KEY (rowid alias) on SQLite
Id = BigInteger().with_variant(Integer(), "sqlite")

sources = Table(
    "sources", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("file_name", Text, nullable=False),
    Column("form", String(16)),
    Column("url", Text),
    Column("size", Integer, nullable=False),
    Column("data", LargeBinary, nullable=False),  # zlib-compressed original bytes
    Column("added_at", DateTime(timezone=True), nullable=False),
)

reports = Table(
    "reports", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("source_id", Id, ForeignKey("sources.id", ondelete="CASCADE"), nullable=False, unique=True),
    Column("edition", String(16)),
    Column("agency", Text),
    Column("agency_key", Text),
    Column("region", Text),
    Column("year", Integer),
    Column("dated", String(10)),
    Column("posted", String(10)),
    Column("report_kind", String(16)),
    Column("title", Text),
    Column("meta", JSON),
    Column("extra", JSON),  # unmapped raw rows, sections, label deviations
    Column("parser_version", String(32), nullable=False),
    Column("has_errors", Boolean, nullable=False, default=False),
    Column("n_errors", Integer, nullable=False, default=0),
    Column("n_warnings", Integer, nullable=False, default=0),
    Column("n_cells", Integer, nullable=False, default=0),
    Column("n_nonzero", Integer, nullable=False, default=0),
    Column("values_hash", String(64)),
    Column("parsed_at", DateTime(timezone=True), nullable=False),
    Index("ix_reports_organ_year", "agency_key", "year"),
    Index("ix_reports_year_region", "year", "region"),
)

cells = Table(
    "cells", metadata,
    Column("report_id", Id, ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
    Column("cell_id", String(64), primary_key=True),
    Column("value", Double),
    Column("is_int", Boolean),  # the value was printed as an integer (restores int vs float exactly)
    Column("unit", String(16)),
    Column("raw", Text),
    Column("provenance", JSON),
    sqlite_with_rowid=False,
)

findings = Table(
    "findings", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("report_id", Id, ForeignKey("reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("rule", String(16), nullable=False),
    Column("severity", String(8), nullable=False),
    Column("message", Text, nullable=False),
    Column("cells", JSON),
    Column("where", JSON),
    Column("scope", String(8), nullable=False, default="report"),  # report | corpus (GK5xx)
    Index("ix_findings_rule", "rule"),
)

failures = Table(
    "failures", metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("file", Text, nullable=False),
    Column("sha256", String(64), unique=True),
    Column("reason", Text, nullable=False),
    Column("parser_version", String(32)),
    Column("at", DateTime(timezone=True), nullable=False),
)
