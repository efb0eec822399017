"""Parse speed: every text/HTML report of the shared corpus (and the bundled samples), one process.

    python bench/bench_parse.py [--repeat 5] [DIR ...]

Prints reports per second and the median time per report, per form (text, html). Checks
run too (as in `gongkai parse`), since that is what a user waits for.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from gongkai.pipeline import parse_doc
from gongkai.read import read_path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "corpus", ROOT / "src" / "gongkai" / "samples"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    files = [p for d in args.dirs if d.exists() for p in sorted(d.rglob("*"))
             if p.suffix.lower() in (".txt", ".html", ".htm") and p.is_file()]
    docs = [(p, read_path(p)) for p in files]
    parse_doc(docs[0][1])  # warm-up: imports, compiled patterns, OpenCC dictionaries
    times: dict[str, list[float]] = {}
    for _ in range(args.repeat):
        for _p, doc in docs:
            t0 = time.perf_counter()
            parse_doc(doc)
            times.setdefault(doc.form, []).append(time.perf_counter() - t0)
    # reading (decode + HTML parse) measured separately, once per file
    read_t: dict[str, list[float]] = {}
    for p, doc in docs:
        t0 = time.perf_counter()
        read_path(p)
        read_t.setdefault(doc.form, []).append(time.perf_counter() - t0)
    for form, ts in sorted(times.items()):
        med = statistics.median(ts)
        rmed = statistics.median(read_t[form])
        total = med + rmed
        print(f"{form:5s} {len(ts) // args.repeat:4d} reports  median parse {med * 1000:7.2f} ms + read {rmed * 1000:6.2f} ms"
              f"  -> {1 / total:7.1f} reports/s (one core)")


if __name__ == "__main__":
    main()
