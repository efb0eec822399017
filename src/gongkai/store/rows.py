"""Turn a parsed Report into the rows the store writes (runs in the ingest workers), and back."""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

from ..model import Cell, Finding, Report, Source
from .organ import organ_key

Payload = dict[str, Any]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compress(data: bytes) -> bytes:
    return zlib.compress(data, 6)


def decompress(data: bytes) -> bytes:
    return zlib.decompress(data)


def _provenance(c: Cell) -> dict[str, Any] | None:
    p: dict[str, Any] = {}
    if c.source:
        p["source"] = c.source.to_dict()
    if c.label:
        p["label"] = c.label
    if c.how != "label":
        p["how"] = c.how
    if c.confidence < 1.0:
        p["confidence"] = round(c.confidence, 3)
    return p or None


def values_hash(values: dict[str, Any]) -> str:
    blob = json.dumps(sorted((k, None if v is None else float(v)) for k, v in values.items()), separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def report_payload(report: Report, parser_version: str) -> Payload:
    """Plain, picklable rows for one report: {"report": {...}, "cells": [...], "findings": [...]}."""
    meta = dict(report.meta)
    ok = organ_key(meta.get("agency"), meta.get("region"))
    if ok and ok.ambiguous:
        meta["agency_candidates"] = list(ok.candidates)
    values = report.values()
    n_err = sum(1 for f in report.findings if f.severity == "error")
    n_warn = sum(1 for f in report.findings if f.severity == "warning")
    year = meta.get("year")
    row = {
        "edition": report.edition,
        "agency": meta.get("agency"),
        "agency_key": ok.key if ok else None,
        "region": meta.get("region"),
        "year": int(year) if isinstance(year, int | float) else None,
        "dated": meta.get("dated"),
        "posted": meta.get("posted"),
        "report_kind": meta.get("report_kind"),
        "title": meta.get("title"),
        "meta": _jsonable(meta),
        "extra": {
            "unmapped": [r.to_dict() for r in report.unmapped],
            "sections": [{"key": s.key, "title": s.title, "start": s.start, "end": s.end} for s in report.sections],
            "label_deviations": [list(x) for x in report.label_deviations],
            "form": report.form,
        },
        "has_errors": n_err > 0,
        "n_errors": n_err,
        "n_warnings": n_warn,
        "n_cells": len(values),
        "n_nonzero": sum(1 for v in values.values() if v),
        "values_hash": values_hash(values),
    }
    cells = [
        {
            "cell_id": c.id,
            "value": None if c.value is None else float(c.value),
            "is_int": None if c.value is None else isinstance(c.value, int),
            "unit": c.unit,
            "raw": c.raw,
            "provenance": _provenance(c),
        }
        for c in report.cells.values()
    ]
    findings = [
        {"rule": f.rule, "severity": f.severity, "message": f.message, "cells": list(f.cells),
         "where": f.where, "scope": "report"}
        for f in report.findings
    ]
    return {"report": row, "cells": cells, "findings": findings, "form": report.form}


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, str | int | float | bool) or x is None:
        return x
    return str(x)


def cell_value(value: float | None, is_int: bool | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if is_int else float(value)


def report_from_rows(rep: dict[str, Any], cell_rows: list[dict[str, Any]], finding_rows: list[dict[str, Any]]) -> Report:
    """Rebuild a Report (contract-level: edition, meta, cells with provenance, findings) from stored rows."""
    r = Report(rep.get("edition"), dict(rep.get("meta") or {}))
    for c in cell_rows:
        prov = c.get("provenance") or {}
        src = prov.get("source")
        r.cells[c["cell_id"]] = Cell(
            c["cell_id"], cell_value(c["value"], c["is_int"]) if "is_int" in c else c["value"], c.get("unit"), c.get("raw") or "",
            Source(**src) if src else None, prov.get("label", ""), prov.get("how", "label"),
            prov.get("confidence", 1.0))
    for f in finding_rows:
        r.findings.append(Finding(f["rule"], f["severity"], f["message"], list(f.get("cells") or []), f.get("where")))
    r.form = (rep.get("extra") or {}).get("form", "text")
    return r
