"""Export a store: wide (one row per report, a column per cell ID) or long (one row per cell),
as CSV, XLSX, Parquet or JSON; plus per year/region statistics.

Values are written exactly as stored: an integer stays an integer, a blank cell stays blank.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..editions import EDITIONS
from .metrics import METRICS, NEEDED_CELLS, metrics

FORMATS = ("csv", "xlsx", "parquet", "json")
META_COLUMNS = ("report_id", "file_name", "sha256", "edition", "agency", "agency_key", "region", "year", "dated",
                "posted", "report_kind", "parser_version", "has_errors", "n_errors", "n_warnings")
LONG_COLUMNS = ("report_id", "file_name", "edition", "agency", "region", "year", "cell_id", "value", "unit", "raw")
METRIC_PREFIX = "metric."

if TYPE_CHECKING:
    from ..store.db import Store

__all__ = ["FORMATS", "METRICS", "export", "long_rows", "stats", "wide_columns", "wide_rows", "metrics"]


def _cell_order() -> list[str]:
    order: list[str] = []
    for name in ("2021", "2019", "legacy"):
        for cid in EDITIONS[name].cell_ids:
            if cid not in order:
                order.append(cid)
    return order


def wide_columns(present: set[str], with_metrics: bool = True) -> list[str]:
    order = [c for c in _cell_order() if c in present] + sorted(present - set(_cell_order()))
    cols = list(META_COLUMNS) + order
    if with_metrics:
        cols += [METRIC_PREFIX + m for m in METRICS]
    return cols


def _meta_row(r: dict[str, Any]) -> dict[str, Any]:
    d = {k: r.get(k) for k in META_COLUMNS}
    d["report_id"] = r["id"]
    return d


def wide_rows(store: Store, reports: list[dict[str, Any]], with_metrics: bool = True,
              batch: int = 500) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """Column names (scanned first) and an iterator of wide rows, fetched in batches."""
    ids = [r["id"] for r in reports]
    present: set[str] = set()
    for i in range(0, len(ids), 2000):
        present.update(c["cell_id"] for c in _cell_ids(store, ids[i:i + 2000]))
    cols = wide_columns(present, with_metrics)

    def gen() -> Iterator[dict[str, Any]]:
        for i in range(0, len(reports), batch):
            chunk = reports[i:i + batch]
            vals = store.values([r["id"] for r in chunk])
            for r in chunk:
                row = _meta_row(r)
                v = vals.get(r["id"], {})
                row.update(v)
                if with_metrics:
                    row.update({METRIC_PREFIX + k: x for k, x in metrics(v).items()})
                yield row

    return cols, gen()


def _cell_ids(store: Store, ids: list[int]) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from ..store.schema import cells

    with store.engine.connect() as conn:
        return [{"cell_id": x} for x in conn.execute(
            select(cells.c.cell_id).where(cells.c.report_id.in_(ids)).distinct()).scalars()]


def long_rows(store: Store, reports: list[dict[str, Any]]) -> tuple[list[str], Iterator[dict[str, Any]]]:
    by_id = {r["id"]: r for r in reports}

    def gen() -> Iterator[dict[str, Any]]:
        ids = list(by_id)
        for i in range(0, len(ids), 500):
            for c in store.cell_rows(ids[i:i + 500]):
                r = by_id[c["report_id"]]
                yield {"report_id": r["id"], "file_name": r["file_name"], "edition": r["edition"],
                       "agency": r["agency"], "region": r["region"], "year": r["year"], "cell_id": c["cell_id"],
                       "value": c["value"], "unit": c["unit"], "raw": c["raw"]}

    return list(LONG_COLUMNS), gen()


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    return str(v)


def _write_csv(cols: list[str], rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    w = csv.writer(out)
    w.writerow(cols)
    n = 0
    for r in rows:
        w.writerow([_text(r.get(c)) for c in cols])
        n += 1
    return n


def _write_json(cols: list[str], rows: Iterator[dict[str, Any]], out: TextIO) -> int:
    out.write("[\n")
    n = 0
    for r in rows:
        out.write((",\n" if n else "") + json.dumps({c: r.get(c) for c in cols}, ensure_ascii=False))
        n += 1
    out.write("\n]\n")
    return n


def _write_xlsx(cols: list[str], rows: Iterator[dict[str, Any]], path: Path) -> int:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("reports")
    ws.append(cols)
    n = 0
    for r in rows:
        ws.append([r.get(c) for c in cols])
        n += 1
    wb.save(path)
    return n


def _write_parquet(cols: list[str], rows: Iterator[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    n = 0
    batch: list[dict[str, Any]] = []
    schema = None

    def flush() -> None:
        nonlocal writer, schema
        if not batch:
            return
        data = {c: [r.get(c) for r in batch] for c in cols}
        if schema is None:
            fields = []
            for c in cols:
                if c == "has_errors":
                    t = pa.bool_()
                elif c in ("report_id", "year", "n_errors", "n_warnings"):
                    t = pa.int64()
                elif c in META_COLUMNS or c in LONG_COLUMNS and c != "value":
                    t = pa.string()
                else:  # cell values and metrics: float64 (integers exact up to 2**53)
                    t = pa.float64()
                fields.append(pa.field(c, t))
            schema = pa.schema(fields)
            writer = pq.ParquetWriter(str(path), schema)
        coerced = {}
        for f in schema:
            col = data[f.name]
            if pa.types.is_integer(f.type):
                col = [None if x is None else int(x) for x in col]
            elif pa.types.is_floating(f.type):
                col = [None if x is None else float(x) for x in col]
            elif pa.types.is_string(f.type):
                col = [None if x is None else str(x) for x in col]
            coerced[f.name] = col
        assert writer is not None
        writer.write_table(pa.table(coerced, schema=schema))
        batch.clear()

    for r in rows:
        batch.append(r)
        n += 1
        if len(batch) >= 5000:
            flush()
    flush()
    if writer is None:
        pq.write_table(pa.table({c: pa.array([], pa.string()) for c in cols}), str(path))
    else:
        writer.close()
    return n


def export(store: Store, fmt: str, out: Path | TextIO, *, wide: bool = True, with_metrics: bool = True,
           **filters: Any) -> int:
    """Write the (filtered) reports; returns the number of rows written."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    reports = store.report_rows(**filters)
    cols, rows = wide_rows(store, reports, with_metrics) if wide else long_rows(store, reports)
    if fmt in ("csv", "json"):
        writer = _write_csv if fmt == "csv" else _write_json
        if isinstance(out, Path):
            with out.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
                return writer(cols, rows, fh)
        return writer(cols, rows, out)
    if not isinstance(out, Path):
        raise ValueError("xlsx/parquet 需要输出文件 (-o FILE)")
    if fmt == "parquet":
        return _write_parquet(cols, rows, out)
    return _write_xlsx(cols, rows, out)


def region_at(region: str | None, level: int) -> str:
    if not region:
        return "(未知)"
    parts = region.split("/")
    return "/".join(parts[:level]) if level > 0 else region


def stats(store: Store, *, level: int = 2, **filters: Any) -> list[dict[str, Any]]:
    """Per statistics year and region (cut at `level` parts of the path): reports, applications,
    outcomes, error rate. Sums skip blank cells; shares use only reports where all cells are present."""
    reports = store.report_rows(**filters)
    groups: dict[tuple[Any, str], dict[str, Any]] = defaultdict(lambda: {
        "reports": 0, "with_errors": 0, "applications": 0, "processed": 0, "granted": 0, "denied": 0,
        "unable": 0, "share_base": 0, "review_decided": 0, "review_corrected": 0})
    for i in range(0, len(reports), 2000):
        chunk = reports[i:i + 2000]
        vals = store.values([r["id"] for r in chunk], NEEDED_CELLS)
        for r in chunk:
            g = groups[(r["year"], region_at(r["region"], level))]
            v = vals.get(r["id"], {})
            m = metrics(v)
            g["reports"] += 1
            g["with_errors"] += bool(r["has_errors"])
            g["applications"] += m["applications"] or 0
            g["processed"] += m["processed"] or 0
            p = m["processed"]
            if p and None not in (m["share_granted"], m["share_denied"], m["share_unable"]):
                g["share_base"] += p
                g["granted"] += round(m["share_granted"] * p)  # type: ignore[operator]
                g["denied"] += round(m["share_denied"] * p)  # type: ignore[operator]
                g["unable"] += round(m["share_unable"] * p)  # type: ignore[operator]
    out = []
    for (year, region), g in sorted(groups.items(), key=lambda kv: (kv[0][0] or 0, kv[0][1])):
        base = g["share_base"]
        out.append({
            "year": year, "region": region, "reports": g["reports"], "with_errors": g["with_errors"],
            "error_rate": round(g["with_errors"] / g["reports"], 4) if g["reports"] else None,
            "applications": g["applications"], "processed": g["processed"],
            "share_granted": round(g["granted"] / base, 4) if base else None,
            "share_denied": round(g["denied"] / base, 4) if base else None,
            "share_unable": round(g["unable"] / base, 4) if base else None,
        })
    return out
