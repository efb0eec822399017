"""All store access of the web app, in one place (SQLAlchemy Core over gongkai.store).

Pages and API endpoints call `Corpus` only; nothing else in gongkai.web touches the database.
Writes are serialised by a process-wide lock (SQLite allows one writer; WAL lets readers go on).
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict, defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import and_, distinct, func, select

from ..model import GongkaiError, Report
from ..store import Store, report_from_rows, report_payload
from ..store.db import resolve_url
from ..store.rows import sha256
from ..store.schema import findings, reports, sources

Values = dict[str, int | float | None]

OUTCOMES = (("granted", "予以公开"), ("partial", "部分公开"), ("denied", "不予公开"), ("unable", "无法提供"),
            ("rejected", "不予处理"), ("other", "其他处理"))
OUTCOME_ZH = dict(OUTCOMES)


def _overview_cells() -> list[str]:
    from ..editions import EDITIONS

    ids = {c for e in EDITIONS.values() for c in e.cell_ids
           if (c.startswith("s3.") and c.endswith(".total")) or c.startswith("legacy.apply.")}
    return sorted(ids)


# cells the outcome buckets and application counts read (section 三 totals, legacy application rows)
OVERVIEW_CELLS = _overview_cells()


def agency_name(a: Any) -> str:
    """The printed agency name (meta.agency may hold the name and its short forms)."""
    if isinstance(a, list | tuple):
        return str(a[0]) if a else ""
    return str(a or "")


def outcome_buckets(v: Values) -> dict[str, float | None]:
    """The six outcome groups of section 三 (or their legacy equivalents), summed over present cells."""

    def total(prefixes: tuple[str, ...], exact: tuple[str, ...] = ()) -> float | None:
        vals = [x for k, x in v.items() if x is not None and (
            k in exact or (k.endswith(".total") and any(k.startswith(p) for p in prefixes)))]
        return float(sum(vals)) if vals else None

    if any(k.startswith("legacy.") for k in v):
        L = "legacy.apply.replied."  # noqa: N806
        return {
            "granted": total((), (L + "granted", L + "already_public")),
            "partial": total((), (L + "partial",)),
            "denied": total((), (L + "denied.total",)),
            "unable": total((), (L + "not_this_organ", L + "not_exist")),
            "rejected": None,
            "other": total((), (L + "correction", L + "other_channel")),
        }
    return {
        "granted": total(("s3.granted.",)),
        "partial": total(("s3.partial.",)),
        "denied": total(("s3.denied.",)),
        "unable": total(("s3.unable.",)),
        "rejected": total(("s3.rejected.",)),
        "other": total(("s3.other.",)),
    }


def applications(v: Values) -> float | None:
    for k in ("s3.new.total", "legacy.apply.received.total"):
        if v.get(k) is not None:
            return float(v[k])  # type: ignore[arg-type]
    return None


def deadline(year: int) -> date:
    """Statutory publication deadline of the annual report for statistics year `year`:
    31 January of the next year (条例 2019 revision), 31 March before (2008 条例)."""
    return date(year + 1, 1, 31) if year >= 2019 else date(year + 1, 3, 31)


def publication_status(year: int | None, posted: str | None, dated: str | None) -> str:
    """on_time | late | unknown (no year or no date)."""
    d = posted or dated
    if year is None or not d:
        return "unknown"
    try:
        when = date.fromisoformat(str(d)[:10])
    except ValueError:
        return "unknown"
    return "late" if when > deadline(int(year)) else "on_time"


class Corpus:
    """Read and write access to one store for the web app."""

    def __init__(self, db_url: str | None = None, *, read_only: bool = False) -> None:
        self.url = resolve_url(db_url)
        self.read_only = read_only
        self._store: Store | None = None
        self._open_lock = threading.Lock()
        self.write_lock = threading.Lock()
        self._text_cache: OrderedDict[int, str] = OrderedDict()
        self._cache_lock = threading.Lock()

    # ------------------------------------------------------------ plumbing

    @property
    def store(self) -> Store:
        with self._open_lock:
            if self._store is None:
                # a read-only server never creates or migrates the database
                path = self.url.split("sqlite:///", 1)[1] if self.url.startswith("sqlite:///") else None
                if self.read_only and path and path != ":memory:" and not Path(path).exists():
                    raise GongkaiError("语料库数据库不存在(只读模式不会创建它):请先用 gongkai store 导入报告")
                store = Store(self.url, upgrade=not self.read_only)
                if self.read_only and store.current_revision() is None:
                    store.close()
                    raise GongkaiError("语料库数据库不存在或尚未初始化(只读模式不会创建它):"
                                       "请先用 gongkai store 导入报告")
                self._store = store
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def _ok(self) -> bool:
        try:
            with self.store.engine.connect() as conn:
                conn.execute(select(func.count()).select_from(reports))
            return True
        except GongkaiError:
            raise
        except Exception:
            return False

    def health(self) -> dict[str, Any]:
        try:
            ok = self._ok()
        except GongkaiError:
            ok = False
        return {"database": "ok" if ok else "unavailable", "read_only": self.read_only,
                "reports": self.count() if ok else 0}

    def count(self) -> int:
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(reports)).scalar_one())

    # ------------------------------------------------------------ writing

    def add(self, report: Report, data: bytes, name: str) -> tuple[int | None, bool]:
        """Store one parsed upload; (report id, created). An identical file already stored gives its id."""
        from ..store import parser_version, run_cross_checks

        h = sha256(data)
        version = parser_version()
        if isinstance(report.meta.get("agency"), list | tuple):  # name and its short forms: store the name
            meta = dict(report.meta, agency=agency_name(report.meta["agency"]) or None,
                        agency_aliases=list(report.meta["agency"]))
            report = dataclasses.replace(report, meta=meta)
        payload = report_payload(report, version)
        with self.write_lock:
            rid = self.store.add(payload, sha=h, file_name=name, data=data, parser_version=version)
            if rid is None:
                with self.store.engine.connect() as conn:
                    rid = conn.execute(select(reports.c.id).join(sources, sources.c.id == reports.c.source_id)
                                       .where(sources.c.sha256 == h)).scalar()
                return rid, False
            run_cross_checks(self.store)
        return rid, True

    # ------------------------------------------------------------ listing

    def _filtered(self, q: Any, f: dict[str, Any]) -> Any:
        if f.get("region"):
            r = str(f["region"]).rstrip("/")
            q = q.where((reports.c.region == r) | reports.c.region.like(f"{_like(r)}/%", escape="\\"))
        if f.get("year") is not None:
            q = q.where(reports.c.year == int(f["year"]))
        if f.get("edition"):
            q = q.where(reports.c.edition == f["edition"])
        if f.get("agency"):
            pat = f"%{_like(str(f['agency']))}%"
            q = q.where(reports.c.agency.like(pat, escape="\\") | reports.c.agency_key.like(pat, escape="\\"))
        if f.get("agency_key"):
            q = q.where(reports.c.agency_key == f["agency_key"])
        if f.get("has_errors") is not None:
            q = q.where(reports.c.has_errors == bool(f["has_errors"]))
        if f.get("rule"):
            sub = select(findings.c.report_id).where(findings.c.rule == str(f["rule"]).upper())
            q = q.where(reports.c.id.in_(sub))
        return q

    def list_reports(self, *, page: int = 1, per_page: int = 50, **f: Any) -> dict[str, Any]:
        page = max(1, page)
        per_page = min(max(1, per_page), 500)
        cols = [reports.c.id, reports.c.edition, reports.c.agency, reports.c.agency_key, reports.c.region,
                reports.c.year, reports.c.dated, reports.c.posted, reports.c.title, reports.c.has_errors,
                reports.c.n_errors, reports.c.n_warnings, reports.c.n_cells, sources.c.file_name]
        base = select(*cols).join(sources, sources.c.id == reports.c.source_id)
        base = self._filtered(base, f)
        with self.store.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
            rows = conn.execute(base.order_by(reports.c.year.desc().nulls_last(), reports.c.region,
                                              reports.c.agency, reports.c.id)
                                .limit(per_page).offset((page - 1) * per_page)).mappings().all()
        items = []
        for r in rows:
            d = dict(r)
            d["agency"] = agency_name(d["agency"])
            d["published"] = d["posted"] or d["dated"]
            d["publication"] = publication_status(d["year"], d["posted"], d["dated"])
            items.append(d)
        return {"total": int(total), "page": page, "per_page": per_page,
                "pages": max(1, -(-int(total) // per_page)), "items": items}

    def facets(self) -> dict[str, Any]:
        with self.store.engine.connect() as conn:
            years = [y for y in conn.execute(select(reports.c.year).distinct().order_by(reports.c.year.desc()))
                     .scalars() if y is not None]
            editions = [e for e in conn.execute(select(reports.c.edition).distinct().order_by(reports.c.edition))
                        .scalars() if e]
            rules = [dict(r) for r in conn.execute(
                select(findings.c.rule, func.count(distinct(findings.c.report_id)).label("reports"))
                .group_by(findings.c.rule).order_by(findings.c.rule)).mappings()]
        return {"years": years, "editions": editions, "rules": rules}

    def region_tree(self) -> list[dict[str, Any]]:
        """Nested [{name, path, count, children}] from the region paths ("省/市/县")."""
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(reports.c.region, func.count()).group_by(reports.c.region)).all()
        root: dict[str, Any] = {"children": {}}
        for region, n in rows:
            parts = [p for p in (region or "(未知)").split("/") if p] or ["(未知)"]
            node = root
            path: list[str] = []
            for p in parts:
                path.append(p)
                node = node["children"].setdefault(p, {"name": p, "path": "/".join(path), "count": 0,
                                                       "children": {}})
                node["count"] += n

        def out(node: dict[str, Any]) -> list[dict[str, Any]]:
            return [{"name": c["name"], "path": c["path"], "count": c["count"], "children": out(c)}
                    for c in sorted(node["children"].values(), key=lambda c: c["name"])]

        return out(root)

    # ------------------------------------------------------------ one report

    def report_row(self, report_id: int) -> dict[str, Any] | None:
        rows = self.store.report_rows(ids=[report_id])
        if not rows:
            return None
        r = rows[0]
        r["agency"] = agency_name(r["agency"])
        r["published"] = r["posted"] or r["dated"]
        r["publication"] = publication_status(r["year"], r["posted"], r["dated"])
        for k in ("parsed_at",):
            if r.get(k) is not None:
                r[k] = str(r[k])
        return r

    def report(self, report_id: int) -> tuple[dict[str, Any], Report] | None:
        """The stored report row and a Report rebuilt from it (cells with provenance, all findings, text)."""
        row = self.report_row(report_id)
        if row is None:
            return None
        cells = list(self.store.cell_rows([report_id]))
        fnd = self.store.finding_rows([report_id])
        rep = report_from_rows(row, cells, fnd)
        extra = row.get("extra") or {}
        from ..model import RawRow, Source

        for u in extra.get("unmapped") or []:
            src = u.get("source")
            rep.unmapped.append(RawRow(u.get("label", ""), u.get("unit"), list(u.get("values") or []),
                                       Source(**src) if src else None))
        rep.label_deviations = [tuple(x) for x in extra.get("label_deviations") or []]  # type: ignore[misc]
        rep.path = row.get("file_name")
        rep.text = self.text(row["source_id"], row.get("file_name") or "")
        scope = {i: f.get("scope") for i, f in enumerate(fnd)}
        row["finding_scope"] = scope
        return row, rep

    def text(self, source_id: int, name: str) -> str:
        """The normalised text of a stored source (re-read from its bytes; cached)."""
        with self._cache_lock:
            if source_id in self._text_cache:
                self._text_cache.move_to_end(source_id)
                return self._text_cache[source_id]
        from ..pipeline import parse_bytes

        try:
            text = parse_bytes(self.store.source_bytes(source_id), name.split("!")[-1], checks=False).text
        except Exception:  # the stored numbers still show; only the text pane stays empty
            text = ""
        with self._cache_lock:
            self._text_cache[source_id] = text
            while len(self._text_cache) > 64:
                self._text_cache.popitem(last=False)
        return text

    # ------------------------------------------------------------ agency, compare, overview

    def agency(self, key: str) -> dict[str, Any] | None:
        rows = self.store.report_rows()
        mine = [r for r in rows if r["agency_key"] == key]
        if not mine:
            return None
        mine.sort(key=lambda r: (r["year"] or 0, r["id"]))
        ids = [r["id"] for r in mine]
        vals = self.store.values(ids)
        fnd = self.store.finding_rows(ids)
        by_year: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
        items = []
        for r in mine:
            v = vals.get(r["id"], {})
            item = {"id": r["id"], "year": r["year"], "edition": r["edition"], "agency": agency_name(r["agency"]),
                    "region": r["region"], "published": r["posted"] or r["dated"],
                    "publication": publication_status(r["year"], r["posted"], r["dated"]),
                    "n_errors": r["n_errors"], "n_warnings": r["n_warnings"], "file_name": r["file_name"],
                    "applications": applications(v), "carried_in": v.get("s3.carried_in.total"),
                    "outcomes": outcome_buckets(v)}
            items.append(item)
            by_year[r["year"]].append(item)
        cross = [dict(f, year=next((r["year"] for r in mine if r["id"] == f["report_id"]), None))
                 for f in fnd if f.get("scope") == "corpus"]
        years = sorted(y for y in by_year if y is not None)
        trend = {
            "years": years,
            "applications": [_first(by_year[y], "applications") for y in years],
            "outcomes": {k: [(_first(by_year[y], "outcomes") or {}).get(k) for y in years] for k, _ in OUTCOMES},
        }
        return {"key": key, "agency": items[-1]["agency"], "region": mine[-1]["region"], "reports": items,
                "cross_findings": cross, "trend": trend}

    def agency_years(self, key: str) -> dict[int, int]:
        with self.store.engine.connect() as conn:
            rows = conn.execute(select(reports.c.year, func.min(reports.c.id))
                                .where(and_(reports.c.agency_key == key, reports.c.year.is_not(None)))
                                .group_by(reports.c.year)).all()
        return {int(y): int(i) for y, i in rows}

    def overview(self) -> dict[str, Any]:
        rows = self.store.report_rows()
        ids = [r["id"] for r in rows]
        vals: dict[int, Values] = {}
        for i in range(0, len(ids), 2000):
            vals.update(self.store.values(ids[i:i + 2000], OVERVIEW_CELLS))
        outcome_total = dict.fromkeys(OUTCOME_ZH, 0.0)
        by_year: dict[int, dict[str, Any]] = defaultdict(lambda: {"reports": 0, "with_errors": 0, "late": 0,
                                                                  "on_time": 0, "unknown": 0,
                                                                  "applications": 0.0})
        by_region: dict[str, dict[str, int]] = defaultdict(lambda: {"reports": 0, "with_errors": 0})
        editions: dict[str, int] = defaultdict(int)
        for r in rows:
            v = vals.get(r["id"], {})
            for k, x in outcome_buckets(v).items():
                outcome_total[k] += x or 0
            y = r["year"]
            editions[r["edition"] or "未识别"] += 1
            if y is not None:
                g = by_year[y]
                g["reports"] += 1
                g["with_errors"] += bool(r["has_errors"])
                g[publication_status(y, r["posted"], r["dated"])] += 1
                g["applications"] += applications(v) or 0
            reg = "/".join((r["region"] or "(未知)").split("/")[:2])
            by_region[reg]["reports"] += 1
            by_region[reg]["with_errors"] += bool(r["has_errors"])
        with self.store.engine.connect() as conn:
            rule_counts = [dict(x) for x in conn.execute(
                select(findings.c.rule, findings.c.severity, func.count().label("n"))
                .group_by(findings.c.rule, findings.c.severity).order_by(func.count().desc()).limit(30)).mappings()]
        years = sorted(by_year)
        return {
            "reports": len(rows),
            "with_errors": sum(1 for r in rows if r["has_errors"]),
            "editions": dict(editions),
            "outcomes": [{"key": k, "label": OUTCOME_ZH[k], "value": outcome_total[k]} for k in OUTCOME_ZH],
            "years": [{"year": y, **by_year[y],
                       "error_rate": round(by_year[y]["with_errors"] / by_year[y]["reports"], 4)}
                      for y in years],
            "regions": [{"region": k, **g, "error_rate": round(g["with_errors"] / g["reports"], 4)}
                        for k, g in sorted(by_region.items())],
            "rules": rule_counts,
        }


def _first(items: list[dict[str, Any]], key: str) -> Any:
    return items[0].get(key) if items else None


def _like(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
