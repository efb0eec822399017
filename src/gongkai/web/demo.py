"""Fill a store from report files that sit beside `<id>.gold.json` (the shared test corpora).

Used by the web tests and the load run: metadata the extractor did not find (agency, region, year,
dates) is taken from the gold file, so the corpus pages have something to group and compare.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..model import GongkaiError
from .data import Corpus


def load_folder(corpus: Corpus, folder: Path, pattern: str = "*.txt", limit: int | None = None) -> list[int]:
    from ..check import run_checks
    from ..pipeline import parse_bytes

    ids: list[int] = []
    files = sorted(p for p in folder.glob(pattern) if not p.name.endswith(".json"))
    for p in files[:limit]:
        data = p.read_bytes()
        try:
            report = parse_bytes(data, p.name, checks=False)
        except GongkaiError:
            continue
        gold = p.with_name(p.name.split(".", 1)[0] + ".gold.json")
        if gold.exists():
            meta = json.loads(gold.read_text(encoding="utf-8")).get("meta") or {}
            for k, v in meta.items():
                if report.meta.get(k) in (None, "", []) and v not in (None, ""):
                    report.meta[k] = v
        run_checks(report)
        rid, _new = corpus.add(report, data, p.name)
        if rid is not None:
            ids.append(rid)
    return ids
