"""Ingest benchmark: N synthetic reports into SQLite (default) or PostgreSQL (--db URL).

    python bench/bench_ingest.py --n 100000              # SQLite file in a temp dir
    python bench/bench_ingest.py --n 10000 --db postgresql://user@host:port/db

Prints generation time, ingest reports/s, peak memory (parent and the largest worker) and DB size.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from gongkai.store import Store, ingest  # noqa: E402
from gongkai.synth import EDITION_NAMES, LAYOUTS, write_corpus  # noqa: E402


def _db_size(store: Store, path: Path | None) -> int:
    if path is not None:
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
    from sqlalchemy import text

    with store.engine.connect() as c:
        return int(c.execute(text("select pg_database_size(current_database())")).scalar_one())


def _tree_rss_mb() -> float:
    """RSS of this process and all its descendants (workers, forkserver), from /proc."""
    me = os.getpid()
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                parts = f.read().rsplit(")", 1)[1].split()
            parent[int(d)] = int(parts[1])
            rss[int(d)] = int(parts[21]) * resource.getpagesize()
        except (OSError, IndexError, ValueError):
            continue
    total, stack, seen = 0, [me], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        stack.extend(c for c, pp in parent.items() if pp == pid)
    return total / 1e6


class Sampler(threading.Thread):
    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss_mb())
            self.stop.wait(1.0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="number of synthetic reports")
    ap.add_argument("--db", default=None, help="database URL (default: a SQLite file in the work dir)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--layouts", default="pipe,lines,tab,markdown,html",
                    help="comma-separated layouts (crawl is slower to parse: add it to measure that)")
    ap.add_argument("--workdir", default=None, help="where to write reports and the SQLite file")
    ap.add_argument("--keep", action="store_true", help="keep the generated files and database")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    work = Path(args.workdir or tempfile.mkdtemp(prefix="gongkai-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    src = work / "reports"
    layouts = tuple(x for x in args.layouts.split(",") if x in LAYOUTS)
    t0 = time.perf_counter()
    if not src.exists() or len(list(src.iterdir())) < args.n:
        write_corpus(src, args.n, seed=args.seed, editions=EDITION_NAMES, layouts=layouts, gold=False)
    gen = time.perf_counter() - t0
    size_in = sum(p.stat().st_size for p in src.iterdir())

    db_path = None if args.db else work / "bench.db"
    if db_path is not None:
        for p in work.glob("bench.db*"):
            p.unlink()
    store = Store(args.db or db_path)
    before = store.counts()["reports"]
    sampler = Sampler()
    sampler.start()
    t0 = time.perf_counter()
    res = ingest(store, [str(src)], jobs=args.jobs, quiet=not sys.stderr.isatty(), cross=False)
    t_ingest = time.perf_counter() - t0
    sampler.stop.set()
    t0 = time.perf_counter()
    from gongkai.store import run_cross_checks

    n_cross = run_cross_checks(store)
    t_cross = time.perf_counter() - t0
    counts = store.counts()
    size = _db_size(store, db_path)
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"backend            {store.dialect}")
    print(f"reports generated  {args.n:,} in {gen:.1f} s ({size_in / 1e6:.0f} MB of text/html)")
    print(f"ingested           {res.added:,} new (+{before:,} before), {res.failed} failed, {res.skipped} skipped")
    print(f"ingest time        {t_ingest:.1f} s = {res.added / t_ingest:.1f} reports/s with {args.jobs} worker(s)")
    print(f"cross checks       {n_cross} findings in {t_cross:.1f} s")
    print(f"rows               {counts}")
    print(f"peak memory        parent {parent:.0f} MB; parent + workers together {sampler.peak:.0f} MB")
    print(f"database size      {size / 1e6:.0f} MB ({size / max(counts['reports'], 1) / 1024:.1f} KB/report)")
    store.close()
    if not args.keep and not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
