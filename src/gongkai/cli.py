"""The `gongkai` command line: a thin layer over the library (gongkai.pipeline)."""

from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console

from .model import GongkaiError, Report

app = typer.Typer(
    help="gongkai: 政府信息公开工作年度报告 —— 解析、检查、存储、比较。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def main() -> None:
    """gongkai: 政府信息公开工作年度报告 —— 解析、检查、存储、比较。"""

REPORT_SUFFIXES = {".txt", ".htm", ".html", ".shtml", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls", ".png",
                   ".jpg", ".jpeg", ".tif", ".tiff", ".md", ".csv", ".rtf", ".text"}


def iter_inputs(paths: list[Path]) -> Iterator[tuple[str, bytes | Path]]:
    """Expand folders and .zip files into (name, path-or-bytes) items; gold/JSON files skipped."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES | {".zip"} and not f.name.endswith(".json"):
                    yield from iter_inputs([f])
        elif p.suffix.lower() == ".zip" and p.is_file():
            try:
                with zipfile.ZipFile(p) as z:
                    for info in z.infolist():
                        if info.is_dir() or info.filename.endswith(".json"):
                            continue
                        if info.file_size > 200 * 1024 * 1024:
                            yield f"{p}!{info.filename}", b""
                            continue
                        yield f"{p}!{info.filename}", z.read(info)
            except zipfile.BadZipFile:
                yield str(p), p
        else:
            yield str(p), p


def parse_item(name: str, item: bytes | Path) -> Report:
    from .pipeline import parse_bytes, parse_path

    if isinstance(item, Path):
        return parse_path(item)
    if not item:
        raise GongkaiError(f"{name}: 文件为空或过大")
    return parse_bytes(item, name)


def _csv(report: Report) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "value", "unit", "raw", "how", "label"])
    for c in report.cells.values():
        w.writerow([c.id, "" if c.value is None else c.value, c.unit or "", c.raw, c.how, c.label])
    return buf.getvalue()


def _parse_one(name: str, item: bytes | Path) -> Report | None:
    try:
        return parse_item(name, item)
    except GongkaiError as e:
        err.print(f"[red]错误[/red] {e}")
    except Exception as e:  # noqa: BLE001 - one bad file never stops the batch
        err.print(f"[red]错误[/red] {name}: 解析失败({type(e).__name__}: {e})")
    return None


def _parse_all(items: list[tuple[str, bytes | Path]], series: bool) -> Iterator[tuple[str, Report | None]]:
    """Reports one by one; with `series`, all of them first, settled across years."""
    if not series:
        for name, item in items:
            yield name, _parse_one(name, item)
        return
    from .extract.series import settle_series

    done = [(name, _parse_one(name, item)) for name, item in items]
    n = settle_series([r for _n, r in done if r is not None])
    if n:
        err.print(f"跨年度互证确定了 {n} 个连写数字单元格")
    yield from done


@app.command()
def parse(
    files: list[Path] = typer.Argument(..., help="报告文件、目录或 .zip(txt/html/pdf/docx/xlsx/图片)"),
    fmt: str = typer.Option("json", "--format", "-f", help="输出格式: json | full | table | csv"),
    out: Path | None = typer.Option(None, "-o", "--out", help="输出目录(每个文件一个结果)"),
    series: bool = typer.Option(False, "--series", help="同一机关相邻年度的报告互相印证,确定单份报告内无法拆分的连写数字"),
) -> None:
    """解析年度报告,输出规范化的单元格数据(JSON 契约见 fields.md)。"""
    if fmt not in ("json", "full", "table", "csv"):
        err.print(f"[red]不支持的格式: {fmt}(可选 json、full、table、csv)[/red]")
        raise typer.Exit(2)
    results: list[dict] = []
    items = list(iter_inputs(files))
    if out:
        out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for name, report in _parse_all(items, series):
        if report is None:
            failed += 1
            continue
        if fmt == "table":
            from .export.terminal import render_report

            render_report(report, Console(file=sys.stdout, width=None if sys.stdout.isatty() else 200))
            continue
        if fmt == "csv":
            text = _csv(report)
        else:
            data = report.to_full() if fmt == "full" else report.to_contract()
            if out is None and len(items) > 1:
                data = {"file": name, **data}
            results.append(data)
            text = json.dumps(data, ensure_ascii=False, indent=1)
        if out:
            stem = Path(name.replace("!", "_")).name
            (out / f"{stem}.{'csv' if fmt == 'csv' else 'json'}").write_text(text, encoding="utf-8")
        elif fmt == "csv":
            sys.stdout.write(text)
    if out is None and fmt in ("json", "full"):
        if len(items) == 1 and results:
            sys.stdout.write(json.dumps(results[0], ensure_ascii=False, indent=1) + "\n")
        elif results:
            sys.stdout.write(json.dumps(results, ensure_ascii=False, indent=1) + "\n")
    if failed:
        raise typer.Exit(2)


def _register_commands() -> None:
    """Commands that live in their own modules (check, store, serve); each imports its heavy
    dependencies lazily, so a broken install fails loudly here instead of hiding a command."""
    import importlib

    for mod in ("check", "store", "serve"):
        importlib.import_module(f"gongkai.commands.{mod}").register(app)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    app()
