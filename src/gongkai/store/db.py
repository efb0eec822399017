"""The store: SQLite file by default (WAL), PostgreSQL when given a URL. Upgrades itself on open."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from ..model import GongkaiError
from .rows import Payload, cell_value, compress
from .schema import cells, failures, findings, reports, sources

DEFAULT_DB = "gongkai.db"
MIGRATIONS = Path(__file__).parent / "migrations"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """`--db` value (URL or SQLite file path) -> SQLAlchemy URL; falls back to $GONGKAI_DB, then gongkai.db."""
    db = os.fspath(db) if db else (os.environ.get("GONGKAI_DB") or DEFAULT_DB)
    if "://" not in db:
        return f"sqlite:///{Path(db).expanduser().resolve()}"
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    return db


def is_db_target(target: str) -> bool:
    """Whether a CLI argument names a database (URL or an existing/intended .db/.sqlite file)."""
    return "://" in target or target.endswith((".db", ".sqlite", ".sqlite3"))


def _now() -> datetime:
    return datetime.now(UTC)


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


class Store:
    """A corpus database. `Store(url)` opens (and migrates) it; all writes are one transaction per report."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, upgrade: bool = True) -> None:
        self.url = resolve_url(db)
        self.dialect = self.url.split(":", 1)[0].split("+", 1)[0]
        kwargs: dict[str, Any] = {}
        if self.dialect == "sqlite":
            path = self.url.split("sqlite:///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 60}
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except Exception as e:  # bad URL, missing driver
            raise GongkaiError(f"无法打开数据库 {db}: {e}") from e
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        if upgrade:
            self.upgrade()

    # ------------------------------------------------------------ schema

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def head_revision(self) -> str | None:
        from alembic.script import ScriptDirectory

        with self.engine.connect() as conn:
            return ScriptDirectory.from_config(_alembic_config(conn)).get_current_head()

    def upgrade(self) -> bool:
        """Bring the schema to the newest migration; returns whether anything ran."""
        try:
            if self.current_revision() == self.head_revision():
                return False
            from alembic import command

            with self.engine.begin() as conn:
                command.upgrade(_alembic_config(conn), "head")
        except GongkaiError:
            raise
        except Exception as e:
            raise GongkaiError(f"数据库无法打开或升级({self.safe_url}): {e}") from e
        return True

    @property
    def safe_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ writing

    def known_hashes(self) -> set[str]:
        """Content hashes already stored or already recorded as failed."""
        with self.engine.connect() as conn:
            s = set(conn.execute(select(sources.c.sha256)).scalars())
            s.update(h for h in conn.execute(select(failures.c.sha256)).scalars() if h)
        return s

    def add(self, payload: Payload, *, sha: str, file_name: str, data: bytes, url: str | None = None,
            compressed: bytes | None = None, parser_version: str = "") -> int | None:
        """Store one source and its report in one transaction; None if the content is already there."""
        try:
            with self.engine.begin() as conn:
                sid = conn.execute(insert(sources).returning(sources.c.id), {
                    "sha256": sha, "file_name": file_name, "form": payload.get("form"), "url": url,
                    "size": len(data), "data": compressed if compressed is not None else compress(data),
                    "added_at": _now()}).scalar_one()
                return self._write_report(conn, sid, payload, parser_version)
        except IntegrityError:
            return None

    def _write_report(self, conn: Connection, source_id: int, payload: Payload, parser_version: str) -> int:
        row = dict(payload["report"], source_id=source_id, parser_version=parser_version, parsed_at=_now())
        rid = conn.execute(insert(reports).returning(reports.c.id), row).scalar_one()
        if payload["cells"]:
            conn.execute(insert(cells), [dict(c, report_id=rid) for c in payload["cells"]])
        if payload["findings"]:
            conn.execute(insert(findings), [dict(f, report_id=rid) for f in payload["findings"]])
        return rid

    def replace_report(self, source_id: int, payload: Payload, parser_version: str) -> int:
        """Re-derive: drop the source's report (cells, findings) and write the new one, atomically."""
        with self.engine.begin() as conn:
            old = conn.execute(select(reports.c.id).where(reports.c.source_id == source_id)).scalars().all()
            if old:
                conn.execute(delete(cells).where(cells.c.report_id.in_(old)))
                conn.execute(delete(findings).where(findings.c.report_id.in_(old)))
                conn.execute(delete(reports).where(reports.c.id.in_(old)))
            if payload.get("form"):
                conn.execute(update(sources).where(sources.c.id == source_id).values(form=payload["form"]))
            return self._write_report(conn, source_id, payload, parser_version)

    def add_failure(self, file_name: str, sha: str | None, reason: str, parser_version: str = "") -> None:
        try:
            with self.engine.begin() as conn:
                if sha:
                    conn.execute(delete(failures).where(failures.c.sha256 == sha))
                conn.execute(insert(failures), {"file": file_name, "sha256": sha, "reason": reason,
                                                "parser_version": parser_version, "at": _now()})
        except IntegrityError:
            pass

    def clear_failure(self, sha: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(failures).where(failures.c.sha256 == sha))

    # ------------------------------------------------------------ reading

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for name, t in (("sources", sources), ("reports", reports), ("cells", cells),
                                    ("findings", findings), ("failures", failures))}

    def iter_sources(self, outdated_only: str | None = None) -> Iterator[tuple[int, str, bytes]]:
        """(source id, file name, compressed bytes); with `outdated_only=VERSION` only sources whose report
        was made by another parser version (or has no report)."""
        q = select(sources.c.id, sources.c.file_name, sources.c.data).order_by(sources.c.id)
        if outdated_only is not None:
            q = q.outerjoin(reports, reports.c.source_id == sources.c.id).where(
                (reports.c.parser_version.is_(None)) | (reports.c.parser_version != outdated_only))
        with self.engine.connect() as conn:
            ids = [r[0] for r in conn.execute(q.with_only_columns(sources.c.id))]
        for i in range(0, len(ids), 200):
            chunk = ids[i:i + 200]
            with self.engine.connect() as conn:
                for r in conn.execute(select(sources.c.id, sources.c.file_name, sources.c.data)
                                      .where(sources.c.id.in_(chunk)).order_by(sources.c.id)):
                    yield r[0], r[1], r[2]

    def source_count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(sources)).scalar_one()

    def report_rows(self, *, region: str | None = None, year: int | None = None, edition: str | None = None,
                    agency: str | None = None, has_errors: bool | None = None, limit: int | None = None,
                    ids: Iterable[int] | None = None, with_extra: bool = False) -> list[dict[str, Any]]:
        cols = [c for c in reports.c if with_extra or c.name != "extra"]
        q = (select(*cols, sources.c.file_name, sources.c.sha256, sources.c.url)
             .join(sources, sources.c.id == reports.c.source_id).order_by(reports.c.id))
        if region:
            q = q.where(reports.c.region.like(f"{region}%"))
        if year is not None:
            q = q.where(reports.c.year == year)
        if edition:
            q = q.where(reports.c.edition == edition)
        if agency:
            q = q.where(reports.c.agency.like(f"%{agency}%") | reports.c.agency_key.like(f"%{agency}%"))
        if has_errors is not None:
            q = q.where(reports.c.has_errors == has_errors)
        if ids is not None:
            q = q.where(reports.c.id.in_(list(ids)))
        if limit:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def cell_rows(self, report_ids: list[int] | None = None, cell_ids: list[str] | None = None
                  ) -> Iterator[dict[str, Any]]:
        """Long rows (report_id, cell_id, value, unit, raw, provenance), value restored to int/float."""
        q = select(cells).order_by(cells.c.report_id)
        if cell_ids is not None:
            q = q.where(cells.c.cell_id.in_(cell_ids))
        chunks: list[list[int] | None] = [None]
        if report_ids is not None:
            chunks = [report_ids[i:i + 500] for i in range(0, len(report_ids), 500)]
        with self.engine.connect() as conn:
            for ch in chunks:
                qq = q if ch is None else q.where(cells.c.report_id.in_(ch))
                for r in conn.execution_options(yield_per=5000).execute(qq):
                    d = dict(r._mapping)
                    d["value"] = cell_value(d["value"], d.pop("is_int"))
                    yield d

    def values(self, report_ids: list[int], cell_ids: list[str] | None = None
               ) -> dict[int, dict[str, int | float | None]]:
        out: dict[int, dict[str, int | float | None]] = {rid: {} for rid in report_ids}
        for c in self.cell_rows(report_ids, cell_ids):
            out.setdefault(c["report_id"], {})[c["cell_id"]] = c["value"]
        return out

    def finding_rows(self, report_ids: list[int] | None = None, scope: str | None = None) -> list[dict[str, Any]]:
        q = select(findings).order_by(findings.c.report_id, findings.c.id)
        if report_ids is not None:
            q = q.where(findings.c.report_id.in_(report_ids))
        if scope:
            q = q.where(findings.c.scope == scope)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(q)]

    def failure_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(select(failures).order_by(failures.c.id))]

    def get_report(self, report_id: int) -> dict[str, Any] | None:
        rows = self.report_rows(ids=[report_id], with_extra=True)
        if not rows:
            return None
        rep = rows[0]
        rep["cells"] = list(self.cell_rows([report_id]))
        rep["findings"] = self.finding_rows([report_id])
        return rep

    def source_bytes(self, source_id: int) -> bytes:
        from .rows import decompress

        with self.engine.connect() as conn:
            data = conn.execute(select(sources.c.data).where(sources.c.id == source_id)).scalar_one()
        return decompress(data)

    # ------------------------------------------------------------ corpus findings

    def replace_corpus_findings(self, found: list[tuple[int, dict[str, Any]]]) -> None:
        """Swap all GK5xx findings for `found` and refresh has_errors, in one transaction."""
        with self.engine.begin() as conn:
            conn.execute(delete(findings).where(findings.c.scope == "corpus"))
            if found:
                conn.execute(insert(findings), [dict(f, report_id=rid, scope="corpus") for rid, f in found])
            err = select(findings.c.report_id).where(findings.c.severity == "error").distinct()
            conn.execute(update(reports).values(has_errors=reports.c.id.in_(err)))


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.close()
