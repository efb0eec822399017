"""Ingest: idempotent by content hash, bad files recorded, zip/glob inputs, kill -9 resume, reparse."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gongkai.store import Store, ingest, reparse
from gongkai.store.schema import cells, reports
from gongkai.synth import write_corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _consistent(store: Store) -> None:
    """No half reports: every report has exactly the cells it says it has, every source one report."""
    with store.engine.connect() as conn:
        per = dict(conn.execute(select(cells.c.report_id, func.count()).group_by(cells.c.report_id)).all())
        for rid, n in conn.execute(select(reports.c.id, reports.c.n_cells)):
            assert per.get(rid, 0) == n
    c = store.counts()
    assert c["sources"] == c["reports"]


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_corpus_twice_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    paths = [str(CORPUS / "seeds"), str(CORPUS / "real"), str(CORPUS / "forms" / "*.html")]
    first = ingest(store, paths, jobs=2, quiet=True)
    assert first.added >= 15
    before = store.counts()
    second = ingest(store, paths, jobs=2, quiet=True)
    assert second.added == 0 and second.failed == 0
    assert second.skipped == first.added + first.failed
    assert store.counts() == before
    _consistent(store)


@pytest.mark.slow
@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
def test_whole_corpus_twice(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    paths = [str(p) for p in sorted(CORPUS.iterdir())]
    ingest(store, paths, jobs=2, quiet=True)
    before = store.counts()
    again = ingest(store, paths, jobs=2, quiet=True)
    assert again.added == 0 and store.counts() == before


def test_zip_glob_and_bad_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    files = write_corpus(src, 6, seed=1)
    (src / "empty.txt").write_bytes(b"")
    (src / "noise.txt").write_text("这不是一份年度报告。" * 5, encoding="utf-8")
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    z = tmp_path / "batch.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for f in files[:3]:
            zf.write(f, f"inner/{f.name}")
        zf.writestr("inner/extra.gold.json", "{}")
    store = Store(tmp_path / "z.db")
    res = ingest(store, [str(z), str(src / "synth-*.txt"), str(src / "synth-*.html"), str(src / "*.pdf"),
                        str(src / "empty.txt"), str(src / "noise.txt"), str(tmp_path / "missing.txt")],
                 jobs=1, quiet=True)
    # the zip holds three of the same contents as the loose files: stored once
    assert res.added == 6
    assert res.skipped == 3
    reasons = dict(res.failures)
    assert any(k.endswith("missing.txt") for k in reasons)
    assert any(k.endswith("broken.pdf") for k in reasons)
    assert all(r for r in reasons.values())
    failures = {Path(f["file"]).name for f in store.failure_rows()}
    assert {"broken.pdf", "empty.txt", "noise.txt"} <= failures
    _consistent(store)
    again = ingest(store, [str(src), str(z)], jobs=1, quiet=True)
    assert again.added == 0 and again.failed == 0


def test_parallel_equals_serial(tmp_path: Path) -> None:
    write_corpus(tmp_path / "src", 30, seed=2)
    a, b = Store(tmp_path / "a.db"), Store(tmp_path / "b.db")
    ingest(a, [str(tmp_path / "src")], jobs=1, quiet=True)
    ingest(b, [str(tmp_path / "src")], jobs=2, quiet=True)
    assert a.counts() == b.counts()


def test_reparse_rederives_from_stored_sources(tmp_path: Path) -> None:
    src = tmp_path / "src"
    write_corpus(src, 9, seed=3)
    store = Store(tmp_path / "r.db")
    ingest(store, [str(src)], jobs=1, quiet=True)
    before = store.counts()
    values_before = sorted((r["file_name"], r["values_hash"]) for r in store.report_rows())
    for f in src.iterdir():
        f.unlink()  # the original files are gone: reparse needs only the store
    res = reparse(store, jobs=2, quiet=True)
    assert res.added == before["reports"] and res.failed == 0
    assert store.counts()["reports"] == before["reports"] and store.counts()["cells"] == before["cells"]
    assert sorted((r["file_name"], r["values_hash"]) for r in store.report_rows()) == values_before


def test_kill9_then_resume_equals_clean_run(tmp_path: Path) -> None:
    n = int(os.environ.get("GONGKAI_KILL_N", "240"))
    src = tmp_path / "src"
    write_corpus(src, n, seed=4, gold=False)
    killed_db = tmp_path / "killed.db"
    cmd = [sys.executable, "-m", "gongkai.cli", "ingest", str(src), "--db", str(killed_db), "-j", "2", "-q"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(cmd, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    got = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
        if killed_db.exists():
            try:
                s = Store(killed_db, upgrade=False)
                got = s.counts()["reports"]
                s.close()
            except Exception:  # schema not created yet
                got = 0
            if got >= n // 4:
                break
    assert proc.poll() is None, "ingest finished before it could be killed; raise GONGKAI_KILL_N"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = Store(killed_db)
    mid = partial.counts()["reports"]
    assert 0 < mid < n
    _consistent(partial)
    res = ingest(partial, [str(src)], jobs=2, quiet=True)
    assert res.skipped == mid
    clean = Store(tmp_path / "clean.db")
    ingest(clean, [str(src)], jobs=2, quiet=True)
    assert partial.counts() == clean.counts()
    assert partial.counts()["reports"] == n
    _consistent(partial)
