"""Build src/gongkai/data/divisions.tsv (code, name, parent code) from the national division codes.

The codes come from the `cpca` package's adcodes.csv (public administrative-division facts):

    pip install cpca && python tools/make_divisions.py
"""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "gongkai" / "data" / "divisions.tsv"


def parent(code: str) -> str:
    if code[2:] == "0" * 10:
        return ""
    if code[4:] == "0" * 8:
        return code[:2] + "0" * 10
    if code[6:] == "0" * 6:
        return code[:4] + "0" * 8
    return code[:6] + "0" * 6


def main() -> None:
    spec = importlib.util.find_spec("cpca")
    assert spec and spec.origin, "pip install cpca first"
    src = Path(spec.origin).parent / "resources" / "adcodes.csv"
    rows = []
    with src.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            code = r["adcode"].strip()
            if len(code) == 12 and code[6:] == "000000":
                rows.append((code[:6], r["name"].strip(), parent(code)[:6]))
    codes = {c for c, _, _ in rows}
    # municipalities list districts directly under the province; drop placeholder rows
    rows = [(c, n, p if p in codes else (c[:2] + "0000" if c[:2] + "0000" in codes and c[2:] != "0000" else ""))
            for c, n, p in rows if n not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")]
    rows.sort()
    OUT.write_text("".join(f"{c}\t{n}\t{p}\n" for c, n, p in rows), encoding="utf-8")
    print(f"{len(rows)} divisions -> {OUT}")


if __name__ == "__main__":
    main()
