"""Reader speed on paged forms: seconds per text-PDF report, per scanned page, per DOCX.

    python bench/bench_forms.py [--repeat 3] [DIR ...]

Targets on a 2-core machine: text PDF <= 0.5 s per report, scanned page <= 10 s.
Only reading (`read_path`) is timed: the extraction after it is the same for every form.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from gongkai.read import read_path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = [ROOT.parent / "shared" / "corpus" / "forms", ROOT.parent / "shared" / "corpus" / "scans-noisy"]


def _pages(path: Path) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dirs", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3, help="runs per text file (scans run once)")
    args = ap.parse_args()
    files = [p for d in args.dirs if d.exists() for p in sorted(d.iterdir())
             if p.suffix.lower() in (".pdf", ".docx", ".xlsx") and p.is_file()]
    per_report: dict[str, list[float]] = {}
    per_page: dict[str, list[float]] = {}
    for p in files:
        t0 = time.perf_counter()
        doc = read_path(p)
        first = time.perf_counter() - t0
        times = [first]
        if doc.form != "scan":
            for _ in range(args.repeat - 1):
                t0 = time.perf_counter()
                read_path(p)
                times.append(time.perf_counter() - t0)
        best = min(times)
        per_report.setdefault(doc.form, []).append(best)
        if p.suffix.lower() == ".pdf":
            n = _pages(p)
            per_page.setdefault(doc.form, []).append(best / n)
            print(f"{p.name:28s} {doc.form:5s} {n:3d} pages {best:7.2f} s  {best / n:6.2f} s/page")
        else:
            print(f"{p.name:28s} {doc.form:5s}           {best:7.2f} s")
    print()
    for form, ts in sorted(per_report.items()):
        line = f"{form:5s} {len(ts):3d} files: {statistics.median(ts):6.2f} s per report (median)"
        if form in per_page:
            line += f", {statistics.median(per_page[form]):6.2f} s per page"
        print(line)
    if "pdf" in per_report:
        print(f"text PDF: {statistics.median(per_report['pdf']):.2f} s per report (target <= 0.5)")
    if "scan" in per_page:
        print(f"scan: {statistics.median(per_page['scan']):.2f} s per page (target <= 10)")


if __name__ == "__main__":
    main()
