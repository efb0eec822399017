"""Bulk ingest: folders, globs and .zip files; parse in worker processes, write in the parent.

Idempotent by content hash (sha256 of the bytes): a file already stored, or already recorded as
failed, is skipped. Each report (source bytes, report row, cells, findings) is written in one
transaction, so a run killed at any point leaves only whole reports and a re-run resumes.
"""

from __future__ import annotations

import glob
import os
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from .db import Store
from .rows import Payload, compress, decompress, report_payload, sha256

REPORT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".pdf", ".docx", ".doc",
                   ".wps", ".xlsx", ".xls", ".et", ".rtf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif",
                   ".webp"}


def parser_version() -> str:
    import gongkai

    return str(getattr(gongkai, "PARSER_VERSION", gongkai.__version__))


@dataclass
class Item:
    name: str  # shown and stored as file_name: a path, or "archive.zip!member"
    path: Path | None = None
    archive: Path | None = None
    member: str | None = None

    def read(self) -> bytes:
        if self.path is not None:
            return self.path.read_bytes()
        assert self.archive is not None and self.member is not None
        with zipfile.ZipFile(self.archive) as zf:
            return zf.read(self.member)


EXPLICIT_ONLY = {".md", ".markdown"}  # taken when named, not when walking a folder (README.md)


def _wanted(name: str, explicit: bool = False) -> bool:
    low = name.lower()
    base = low.replace("\\", "/").rsplit("/", 1)[-1]
    if base.startswith(".") or low.endswith(".json"):
        return False
    suffix = Path(low).suffix
    return suffix in REPORT_SUFFIXES or (explicit and suffix in EXPLICIT_ONLY)


def collect(paths: list[str]) -> tuple[list[Item], list[tuple[str, str]]]:
    """Expand folders, globs and zip archives into items; returns (items, [(arg, reason)] for missing args)."""
    items: list[Item] = []
    missing: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add_file(p: Path, explicit: bool = False) -> None:
        if p.suffix.lower() == ".zip":
            try:
                with zipfile.ZipFile(p) as zf:
                    for info in zf.infolist():
                        if not info.is_dir() and _wanted(info.filename):
                            items.append(Item(f"{p}!{info.filename}", archive=p, member=info.filename))
            except (zipfile.BadZipFile, OSError) as e:
                missing.append((str(p), f"无法读取压缩包: {e}"))
            return
        if _wanted(p.name, explicit):
            key = str(p.resolve())
            if key not in seen:
                seen.add(key)
                items.append(Item(str(p), path=p))

    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not any(part.startswith(".") for part in f.relative_to(p).parts):
                    add_file(f)
        elif p.is_file():
            add_file(p, explicit=True)
        elif any(ch in arg for ch in "*?["):
            hits = sorted(glob.glob(arg, recursive=True))
            if not hits:
                missing.append((arg, "没有匹配的文件"))
            for h in hits:
                hp = Path(h)
                if hp.is_file():
                    add_file(hp)
                elif hp.is_dir():
                    for f in sorted(hp.rglob("*")):
                        if f.is_file():
                            add_file(f)
        else:
            missing.append((arg, "文件或目录不存在"))
    return items, missing


# ---------------------------------------------------------------- worker side


def parse_one(name: str, data: bytes, version: str) -> dict[str, Any]:
    """Parse one document (in a worker); never raises: {"ok": bool, "payload"| "reason", "compressed"}."""
    from ..model import GongkaiError
    from ..pipeline import parse_bytes

    try:
        report = parse_bytes(data, Path(name.split("!")[-1]).name)
        payload = report_payload(report, version)
    except GongkaiError as e:
        return {"ok": False, "reason": str(e)}
    except MemoryError:
        return {"ok": False, "reason": "内存不足,无法解析该文件"}
    except Exception as e:  # a parser bug must not stop the batch: record it
        return {"ok": False, "reason": f"解析出错({type(e).__name__}): {e}"}
    return {"ok": True, "payload": payload, "compressed": compress(data)}


def _reparse_one(source_id: int, name: str, compressed: bytes, version: str) -> tuple[int, dict[str, Any]]:
    res = parse_one(name, decompress(compressed), version)
    res.pop("compressed", None)
    return source_id, res


# ---------------------------------------------------------------- parent side


@dataclass
class IngestResult:
    added: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    cross_findings: int | None = None
    settled: int = 0  # cells settled across an organ's consecutive years (GK005)

    @property
    def rate(self) -> float:
        return self.added / self.seconds if self.seconds else 0.0


def _progress(total: int, label: str, quiet: bool, console: Any = None) -> Any:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    class Rate(TextColumn):
        def __init__(self) -> None:
            super().__init__("")

        def render(self, task: Any) -> Any:
            from rich.text import Text

            speed = task.finished_speed or task.speed
            return Text(f"{speed:,.1f} 份/秒" if speed else "— 份/秒", style="progress.data.speed")

    prog = Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(), Rate(),
                    TextColumn("用时"), TimeElapsedColumn(), TextColumn("剩余"), TimeRemainingColumn(),
                    disable=quiet, transient=False, console=console)
    return prog


def _pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("forkserver"))


def _run_parallel(tasks: Iterator[tuple[Callable[..., Any], tuple[Any, ...], Any]], jobs: int,
                  on_result: Callable[[Any, Any], None]) -> None:
    """Run fn(*args) for each task over `jobs` processes (in-process when jobs == 1), keeping a bounded
    window in flight; `on_result(tag, result)` runs in the parent, in submission order."""
    if jobs <= 1:
        for fn, args, tag in tasks:
            on_result(tag, fn(*args))
        return
    window = jobs * 8
    with _pool(jobs) as ex:
        inflight: deque[tuple[Future[Any], Any]] = deque()
        for fn, args, tag in tasks:
            inflight.append((ex.submit(fn, *args), tag))
            while len(inflight) >= window:
                fut, t = inflight.popleft()
                on_result(t, fut.result())
        while inflight:
            fut, t = inflight.popleft()
            on_result(t, fut.result())


def ingest(store: Store, paths: list[str], *, jobs: int | None = None, quiet: bool = False,
           cross: bool = True, url: str | None = None, console: Any = None) -> IngestResult:
    """Ingest every report file under `paths` into `store`; see the module docstring."""
    jobs = jobs or os.cpu_count() or 1
    version = parser_version()
    res = IngestResult()
    t0 = time.perf_counter()
    items, missing = collect(paths)
    for arg, reason in missing:
        res.failed += 1
        res.failures.append((arg, reason))
    known = store.known_hashes()
    touched: set[str] = set()  # organs this ingest added reports to
    prog = _progress(len(items), "导入", quiet, console)

    def tasks() -> Iterator[tuple[Callable[..., Any], tuple[Any, ...], Any]]:
        for it in items:
            try:
                data = it.read()
            except (OSError, zipfile.BadZipFile, KeyError) as e:
                reason = f"无法读取文件: {e}"
                store.add_failure(it.name, None, reason, version)
                res.failed += 1
                res.failures.append((it.name, reason))
                prog.advance(task)
                continue
            h = sha256(data)
            if h in known:
                res.skipped += 1
                prog.advance(task)
                continue
            known.add(h)
            yield parse_one, (it.name, data, version), (it.name, h, data)

    def on_result(tag: tuple[str, str, bytes], out: dict[str, Any]) -> None:
        name, h, data = tag
        if out["ok"]:
            rid = store.add(out["payload"], sha=h, file_name=name, data=data, url=url,
                            compressed=out["compressed"], parser_version=version)
            if rid is None:
                res.skipped += 1
            else:
                res.added += 1
                key = out["payload"]["report"].get("agency_key")
                if key:
                    touched.add(key)
        else:
            store.add_failure(name, h, out["reason"], version)
            res.failed += 1
            res.failures.append((name, out["reason"]))
        prog.advance(task)

    with prog:
        task = prog.add_task("导入", total=len(items))
        _run_parallel(tasks(), jobs, on_result)
    if cross and res.added:
        from .cross import run_cross_checks
        from .settle import settle_store

        res.settled = settle_store(store, version, touched)
        res.seconds = time.perf_counter() - t0
        res.cross_findings = run_cross_checks(store)
    else:
        res.seconds = time.perf_counter() - t0
    return res


def reparse(store: Store, *, jobs: int | None = None, outdated_only: bool = False, quiet: bool = False,
            cross: bool = True) -> IngestResult:
    """Re-derive every report from its stored source with the current parser."""
    jobs = jobs or os.cpu_count() or 1
    version = parser_version()
    res = IngestResult()
    t0 = time.perf_counter()
    total = store.source_count()
    prog = _progress(total, "重新解析", quiet)
    sources = store.iter_sources(version if outdated_only else None)
    names: dict[int, str] = {}

    def tasks() -> Iterator[tuple[Callable[..., Any], tuple[Any, ...], Any]]:
        for sid, name, blob in sources:
            names[sid] = name
            yield _reparse_one, (sid, name, blob, version), sid

    def on_result(_tag: int, out: tuple[int, dict[str, Any]]) -> None:
        sid, r = out
        if r["ok"]:
            store.replace_report(sid, r["payload"], version)
            res.added += 1
        else:
            res.failed += 1
            res.failures.append((names.get(sid, str(sid)), r["reason"]))
        prog.advance(task)

    with prog:
        task = prog.add_task("重新解析", total=total)
        _run_parallel(tasks(), jobs, on_result)
    if cross:
        from .cross import run_cross_checks
        from .settle import settle_store

        res.settled = settle_store(store, version)
        res.seconds = time.perf_counter() - t0
        res.cross_findings = run_cross_checks(store)
    else:
        res.seconds = time.perf_counter() - t0
    return res


def payload_for_test(report: Any, version: str = "test") -> Payload:
    """Rows for a Report built in memory (tests, synth) — the same function the workers use."""
    return report_payload(report, version)
