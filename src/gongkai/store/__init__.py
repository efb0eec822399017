"""Corpus storage: SQLite (default) or PostgreSQL via SQLAlchemy Core, migrated with Alembic.

    >>> from gongkai.store import Store, ingest
    >>> store = Store("corpus.db")            # or "postgresql://user@host/db", or $GONGKAI_DB
    >>> ingest(store, ["reports/", "batch.zip"], jobs=2)
"""

from .cross import run_cross_checks
from .db import DEFAULT_DB, Store, is_db_target, resolve_url
from .ingest import IngestResult, collect, ingest, parser_version, reparse
from .organ import OrganKey, organ_key, same_organ
from .rows import report_from_rows, report_payload

__all__ = ["DEFAULT_DB", "IngestResult", "OrganKey", "Store", "collect", "ingest", "is_db_target", "organ_key",
           "parser_version", "reparse", "report_from_rows", "report_payload", "resolve_url", "run_cross_checks",
           "same_organ"]
