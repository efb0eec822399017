"""Settle stored reports across years: the store-side counterpart of `gongkai parse --series`.

After an ingest or a reparse, every organ that has a report with a run-together row left open
(GK001) and a report for the neighbouring year is re-derived from its stored sources as one
series (`extract.series.settle_series`). Only reports that gained a cell are rewritten, each in
its own transaction (`Store.replace_report`), with the checks re-run on the settled values.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from sqlalchemy import select

from .db import Store
from .rows import report_payload
from .schema import findings, reports, sources


def settle_store(store: Store, version: str, organs: set[str] | None = None) -> int:
    """Cells filled across years; reports that cannot be re-read are left as they are. With
    `organs`, only those organs are looked at (an ingest touches only the organs it added to)."""
    from ..check import run_checks
    from ..extract.series import settle_series
    from ..pipeline import parse_bytes

    if organs is not None and not organs:
        return 0
    with store.engine.connect() as conn:
        open_ids = set(conn.execute(select(findings.c.report_id).where(findings.c.rule == "GK001").distinct()).scalars())
        if not open_ids:
            return 0
        rows = conn.execute(select(reports.c.id, reports.c.source_id, reports.c.agency_key, reports.c.year,
                                   sources.c.file_name).join(sources, sources.c.id == reports.c.source_id)
                            .where(reports.c.agency_key.is_not(None), reports.c.year.is_not(None))).all()
    by_key: dict[str, dict[int, list[tuple[int, int, str]]]] = defaultdict(lambda: defaultdict(list))
    for rid, sid, key, year, name in rows:
        if organs is None or key in organs:
            by_key[key][year].append((rid, sid, name))
    filled = 0
    for years in by_key.values():
        open_years = {y for y, group in years.items() if any(rid in open_ids for rid, _s, _n in group)}
        take = sorted(y for y in years if y in open_years or (y - 1) in open_years or (y + 1) in open_years)
        if len(take) < 2 or not any(y + 1 in take for y in take):
            continue
        parsed = []
        for y in take:
            for _rid, sid, name in years[y]:
                try:
                    parsed.append((sid, parse_bytes(store.source_bytes(sid), Path(name.split("!")[-1]).name)))
                except Exception:  # noqa: BLE001 - it was stored, so it parsed once; keep it as it is
                    continue
        if settle_series([r for _s, r in parsed]) == 0:
            continue
        for sid, rep in parsed:
            n = sum(1 for c in rep.cells.values() if c.how == "series")
            if n:
                run_checks(rep)
                store.replace_report(sid, report_payload(rep, version), version)
                filled += n
    return filled
