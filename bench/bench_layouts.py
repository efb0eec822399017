"""Accuracy per text layout: random consistent tables printed in each layout, parsed back.

    python bench/bench_layouts.py [--n 150] [--blank-rate 0.1]

Exact layouts must come back cell for cell. Lossy ones (blank cells dropped from space-separated
rows, or from rows whose digits run together) may leave cells null, but must never give a wrong
value in sections 三/四, where the relations decide. The table renderer is the test suite's
(`tests/layouts.py`), so what is measured here is what the tests assert.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from gongkai import parse_text  # noqa: E402
from gongkai.pipeline import parse_doc  # noqa: E402
from gongkai.read.html import read_html  # noqa: E402
from layouts import consistent_cells, render  # noqa: E402

EXACT = ("pipe", "lines", "tabs", "markdown", "html", "spaces_marks", "aligned")
LOSSY = ("spaces_dropped", "rowlines", "runtogether", "runtogether_marks")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=150)
    ap.add_argument("--blank-rate", type=float, default=0.1)
    args = ap.parse_args()
    print(f"{'layout':15s} {'edition':7s} {'cells':>7s} {'right':>8s} {'null':>6s} {'wrong':>6s}")
    for layout in EXACT + LOSSY:
        for edition in ("2021", "2019", "legacy"):
            if layout in LOSSY and edition == "legacy":
                continue
            total = right = null = wrong = 0
            for seed in range(args.n):
                cells = consistent_cells(edition, random.Random(seed),
                                         blank_rate=0.0 if layout == "markdown" else args.blank_rate)
                text = render(edition, cells, layout)
                report = parse_doc(read_html(text)) if layout == "html" else parse_text(text)
                got = report.values()
                keys = [k for k in cells if layout in EXACT or k.startswith(("s3.", "s4."))]
                for k in keys:
                    total += 1
                    g = got.get(k)
                    if g == cells[k] and k in got:
                        right += 1
                    elif g is None:
                        null += 1
                    else:
                        wrong += 1
            print(f"{layout:15s} {edition:7s} {total:7d} {right / total:8.2%} {null:6d} {wrong:6d}", flush=True)


if __name__ == "__main__":
    main()
