"""Corpus commands: ingest, reparse, corpus checks, reports, show, stats, export, failures, db, synth.

Every query command works on a database (`--db URL|FILE`, $GONGKAI_DB, default gongkai.db) or
on report files given as arguments (parsed into a temporary store first).
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ..model import GongkaiError

out = Console()
err = Console(stderr=True)

DB_HELP = "数据库: SQLite 文件路径或 postgresql://… URL(默认取环境变量 GONGKAI_DB,否则 ./gongkai.db)"


def _fail(msg: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]错误[/red] {msg}")
    return typer.Exit(code)


def _open(db: str | None) -> Any:
    from ..store import Store

    try:
        return Store(db)
    except GongkaiError as e:
        raise _fail(str(e)) from e


@contextlib.contextmanager
def _target(targets: list[str] | None, db: str | None, jobs: int | None = 1) -> Iterator[Any]:
    """A store for the command: the database named by --db/targets, or a temporary one holding the
    given report files."""
    from ..store import Store, ingest, is_db_target

    targets = targets or []
    if not targets or (len(targets) == 1 and is_db_target(targets[0])):
        store = _open(targets[0] if targets else db)
        try:
            yield store
        finally:
            store.close()
        return
    with tempfile.TemporaryDirectory(prefix="gongkai-") as tmp:
        store = Store(Path(tmp) / "tmp.db")
        try:
            res = ingest(store, targets, jobs=jobs, quiet=True)
            for name, reason in res.failures:
                err.print(f"[red]错误[/red] {name}: {reason}")
            yield store
        finally:
            store.close()


def _filters(region: str | None, year: int | None, edition: str | None, agency: str | None,
             has_errors: bool | None) -> dict[str, Any]:
    return {"region": region, "year": year, "edition": edition, "agency": agency, "has_errors": has_errors}


def register(app: typer.Typer) -> None:  # noqa: C901 - one place for all corpus commands
    db_app = typer.Typer(help="数据库维护: 升级结构、查看版本。", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade")
    def db_upgrade(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """把数据库结构升级到最新版本(打开数据库时也会自动升级)。"""
        from ..store import Store

        try:
            store = Store(db, upgrade=False)
            ran = store.upgrade()
        except GongkaiError as e:
            raise _fail(str(e)) from e
        out.print(f"数据库 {store.safe_url}: {'已升级到' if ran else '已是最新版本'} {store.current_revision()}")

    @db_app.command("current")
    def db_current(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """显示数据库结构版本和各表行数。"""
        store = _open(db)
        out.print(f"数据库 {store.safe_url} 版本 {store.current_revision()}")
        for k, v in store.counts().items():
            out.print(f"  {k}: {v:,}")

    @app.command()
    def ingest(
        paths: list[str] = typer.Argument(..., help="报告文件、目录、通配符或 .zip"),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        jobs: int = typer.Option(0, "--jobs", "-j", help="并行解析的进程数(默认: CPU 核数)"),
        url: str = typer.Option(None, "--url", help="这些文件的发布网址(如已知)"),
        retry_failed: bool = typer.Option(False, "--retry-failed", help="重新尝试以前解析失败的文件"),
        cross: bool = typer.Option(True, "--cross/--no-cross", help="导入后运行跨报告检查(GK5xx)"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条"),
    ) -> None:
        """批量导入报告到数据库:按内容去重(重复导入不新增),每份报告一个事务,失败的文件记录原因,中断后可续传。"""
        from ..store import ingest as do_ingest

        store = _open(db)
        if retry_failed:
            from sqlalchemy import delete

            from ..store.schema import failures

            with store.engine.begin() as conn:
                conn.execute(delete(failures))
        res = do_ingest(store, paths, jobs=jobs or None, quiet=quiet, cross=cross, url=url, console=err)
        for name, reason in res.failures[:50]:
            err.print(f"[yellow]失败[/yellow] {name}: {reason}")
        if len(res.failures) > 50:
            err.print(f"…… 另有 {len(res.failures) - 50} 个失败,见 `gongkai failures`")
        c = store.counts()
        out.print(f"新增 {res.added} 份,已存在跳过 {res.skipped} 份,失败 {res.failed} 份;"
                  f"用时 {res.seconds:.1f} 秒({res.rate:.1f} 份/秒)。")
        if res.settled:
            out.print(f"跨年度互证确定了 {res.settled} 个连写数字单元格(GK005)。")
        if res.cross_findings is not None:
            out.print(f"跨报告检查(GK5xx)发现 {res.cross_findings} 条问题。")
        out.print(f"数据库现有报告 {c['reports']:,} 份、数据项 {c['cells']:,} 个、失败记录 {c['failures']:,} 条。")

    @app.command()
    def reparse(
        db: str = typer.Option(None, "--db", help=DB_HELP),
        jobs: int = typer.Option(0, "--jobs", "-j", help="并行解析的进程数"),
        outdated: bool = typer.Option(False, "--outdated", help="只重新解析由其他解析器版本得出的报告"),
        quiet: bool = typer.Option(False, "--quiet", "-q", help="不显示进度条"),
    ) -> None:
        """用当前解析器从库中保存的原始文件重新得出每一份报告(无需原文件)。"""
        from ..store import reparse as do_reparse

        store = _open(db)
        res = do_reparse(store, jobs=jobs or None, outdated_only=outdated, quiet=quiet)
        for name, reason in res.failures[:50]:
            err.print(f"[yellow]失败[/yellow] {name}: {reason}(保留原报告)")
        settled = f"跨年度互证确定了 {res.settled} 个连写数字单元格(GK005)。" if res.settled else ""
        out.print(f"重新解析 {res.added} 份,失败 {res.failed} 份;用时 {res.seconds:.1f} 秒。{settled}"
                  f"跨报告检查发现 {res.cross_findings} 条问题。")

    @app.command("corpus-check")
    def corpus_check(
        targets: list[str] = typer.Argument(None, help="数据库或报告文件(默认 --db)"),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
    ) -> None:
        """跨报告检查(GK5xx):上年结转衔接、现行有效件数延续、2019 版项目数量、与上年雷同、同年多版本。"""
        from ..store import run_cross_checks

        with _target(targets, db) as store:
            run_cross_checks(store)
            rows = store.finding_rows(scope="corpus")
            reps = {r["id"]: r for r in store.report_rows(ids=sorted({f["report_id"] for f in rows}))}
            if fmt == "json":
                sys.stdout.write(json.dumps([dict(_jsonable(f), agency=reps[f["report_id"]]["agency"],
                                                  year=reps[f["report_id"]]["year"]) for f in rows],
                                            ensure_ascii=False, indent=1) + "\n")
                return
            t = Table(title=f"跨报告检查: {len(rows)} 条")
            for col in ("报告", "机关", "年度", "规则", "级别", "说明"):
                t.add_column(col)
            for f in rows:
                r = reps[f["report_id"]]
                t.add_row(f"#{f['report_id']}", r["agency"] or "", str(r["year"] or ""), f["rule"], f["severity"],
                          f["message"])
            out.print(t)

    @app.command()
    def reports(
        targets: list[str] = typer.Argument(None, help="数据库或报告文件(默认 --db)"),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        region: str = typer.Option(None, "--region", help="地区前缀,如 湖南省/衡阳市"),
        year: int = typer.Option(None, "--year", help="统计年度"),
        edition: str = typer.Option(None, "--edition", help="格式版本: 2021 | 2019 | legacy"),
        agency: str = typer.Option(None, "--agency", help="机关名称(包含即可)"),
        has_errors: bool = typer.Option(None, "--has-errors/--no-errors", help="只列有/无错误的报告"),
        limit: int = typer.Option(0, "--limit", help="最多列出几份"),
        fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    ) -> None:
        """列出库中的报告,可按地区、年度、版本、机关、是否有错误筛选。"""
        with _target(targets, db) as store:
            rows = store.report_rows(limit=limit or None, **_filters(region, year, edition, agency, has_errors))
            cols = ("id", "year", "edition", "agency", "region", "report_kind", "n_cells", "n_errors", "n_warnings",
                    "has_errors", "file_name")
            if fmt == "json":
                sys.stdout.write(json.dumps([{c: r[c] for c in cols} for r in rows], ensure_ascii=False, indent=1)
                                 + "\n")
                return
            if fmt == "csv":
                import csv

                w = csv.writer(sys.stdout)
                w.writerow(cols)
                for r in rows:
                    w.writerow(["" if r[c] is None else r[c] for c in cols])
                return
            t = Table(title=f"报告 {len(rows)} 份")
            for h in ("编号", "年度", "版本", "机关", "地区", "数据项", "错误", "警告", "文件"):
                t.add_column(h, overflow="fold")
            for r in rows:
                t.add_row(str(r["id"]), str(r["year"] or ""), r["edition"] or "", r["agency"] or "",
                          r["region"] or "", str(r["n_cells"]),
                          f"[red]{r['n_errors']}[/red]" if r["has_errors"] else str(r["n_errors"]),
                          str(r["n_warnings"]), Path(r["file_name"]).name)
            out.print(t)

    @app.command()
    def show(
        ident: str = typer.Argument(..., help="报告编号(库中)或报告文件"),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("table", "--format", "-f", help="table | json"),
    ) -> None:
        """显示一份报告:元数据、各表数据(含来源位置)和检查发现。"""
        from ..store import report_from_rows

        targets = None if ident.isdigit() else [ident]
        with _target(targets, db) as store:
            rid = int(ident) if ident.isdigit() else next((r["id"] for r in store.report_rows(limit=1)), None)
            rep = store.get_report(rid) if rid is not None else None
            if rep is None:
                raise _fail(f"找不到报告 {ident}")
            if fmt == "json":
                sys.stdout.write(json.dumps(_jsonable(rep), ensure_ascii=False, indent=1, default=str) + "\n")
                return
            report = report_from_rows(rep, rep["cells"], rep["findings"])
            head = Table(show_header=False, title=f"报告 #{rep['id']}")
            head.add_column("项")
            head.add_column("值", overflow="fold")
            for k, label in (("agency", "机关"), ("agency_key", "机关标识"), ("region", "地区"), ("year", "统计年度"),
                             ("edition", "格式版本"), ("dated", "落款日期"), ("posted", "发布日期"),
                             ("report_kind", "类别"), ("file_name", "文件"), ("sha256", "内容哈希"),
                             ("parser_version", "解析器版本")):
                head.add_row(label, "" if rep.get(k) is None else str(rep[k]))
            out.print(head)
            try:
                from ..export.terminal import render_report

                render_report(report, out)
            except ImportError:
                t = Table(title="数据")
                for h in ("ID", "值", "单位", "原文"):
                    t.add_column(h)
                for c in rep["cells"]:
                    t.add_row(c["cell_id"], "" if c["value"] is None else str(c["value"]), c["unit"] or "",
                              c["raw"] or "")
                out.print(t)
            if rep["findings"]:
                t = Table(title=f"检查发现 {len(rep['findings'])} 条")
                for h in ("规则", "级别", "说明", "数据项"):
                    t.add_column(h, overflow="fold")
                for f in rep["findings"]:
                    t.add_row(f["rule"], f["severity"], f["message"], ", ".join(f["cells"] or []))
                out.print(t)

    @app.command()
    def stats(
        targets: list[str] = typer.Argument(None, help="数据库或报告文件(默认 --db)"),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        level: int = typer.Option(2, "--level", help="地区汇总层级(1=省, 2=市, 3=县; 0=完整路径)"),
        region: str = typer.Option(None, "--region", help="地区前缀"),
        year: int = typer.Option(None, "--year", help="统计年度"),
        edition: str = typer.Option(None, "--edition", help="格式版本"),
        fmt: str = typer.Option("table", "--format", "-f", help="table | csv | json"),
    ) -> None:
        """按年度和地区汇总:报告数、申请数、办理结果占比、错误率。"""
        from ..export import stats as do_stats

        with _target(targets, db) as store:
            rows = do_stats(store, level=level, region=region, year=year, edition=edition)
            if fmt == "json":
                sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
                return
            if fmt == "csv":
                import csv

                w = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["year"])
                w.writeheader()
                w.writerows(rows)
                return
            t = Table(title="统计(占比以办理结果总计为分母)")
            for h in ("年度", "地区", "报告数", "有错误", "错误率", "新收申请", "办结", "予以公开", "不予公开", "无法提供"):
                t.add_column(h, justify="right" if h not in ("地区",) else "left")

            def pct(x: float | None) -> str:
                return "" if x is None else f"{x:.1%}"

            for r in rows:
                t.add_row(str(r["year"] or "?"), r["region"], str(r["reports"]), str(r["with_errors"]),
                          pct(r["error_rate"]), f"{r['applications']:,}", f"{r['processed']:,}",
                          pct(r["share_granted"]), pct(r["share_denied"]), pct(r["share_unable"]))
            out.print(t)
            c = store.counts()
            out.print(f"合计: 报告 {c['reports']:,} 份,数据项 {c['cells']:,} 个,检查发现 {c['findings']:,} 条,"
                      f"导入失败 {c['failures']:,} 个文件。")

    @app.command()
    def export(
        targets: list[str] = typer.Argument(None, help="数据库或报告文件(默认 --db)"),
        db: str = typer.Option(None, "--db", help=DB_HELP),
        fmt: str = typer.Option("csv", "--format", "-f", help="csv | xlsx | parquet | json"),
        wide: bool = typer.Option(True, "--wide/--long", help="宽表(每份报告一行)或长表(每个数据项一行)"),
        output: Path = typer.Option(None, "--output", "-o", help="输出文件(csv/json 默认输出到屏幕)"),
        with_metrics: bool = typer.Option(True, "--metrics/--no-metrics", help="宽表附加派生指标列(见 docs/metrics.md)"),
        region: str = typer.Option(None, "--region", help="地区前缀"),
        year: int = typer.Option(None, "--year", help="统计年度"),
        edition: str = typer.Option(None, "--edition", help="格式版本"),
        agency: str = typer.Option(None, "--agency", help="机关名称"),
        has_errors: bool = typer.Option(None, "--has-errors/--no-errors", help="只导出有/无错误的报告"),
    ) -> None:
        """导出数据: 宽表(每份报告一行,每个数据项一列)或长表(每个数据项一行),空白保持空白。"""
        from ..export import FORMATS
        from ..export import export as do_export

        if fmt not in FORMATS:
            raise _fail(f"不支持的格式 {fmt}(可用: {', '.join(FORMATS)})")
        if fmt in ("xlsx", "parquet") and output is None:
            raise _fail(f"{fmt} 格式需要用 -o 指定输出文件")
        with _target(targets, db) as store:
            n = do_export(store, fmt, output if output else sys.stdout, wide=wide, with_metrics=with_metrics,
                          **_filters(region, year, edition, agency, has_errors))
        if output:
            err.print(f"已导出 {n} 行到 {output}")

    @app.command()
    def failures(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
        """列出导入失败的文件及原因。"""
        store = _open(db)
        rows = store.failure_rows()
        t = Table(title=f"导入失败 {len(rows)} 个")
        t.add_column("文件", overflow="fold")
        t.add_column("原因", overflow="fold")
        for r in rows:
            t.add_row(r["file"], r["reason"])
        out.print(t)

    @app.command()
    def synth(
        output: Path = typer.Option(..., "--output", "-o", help="输出目录"),
        n: int = typer.Option(10, "-n", help="生成几份报告"),
        edition: str = typer.Option(None, "--edition", help="2021 | 2019 | legacy(默认轮流)"),
        layout: str = typer.Option(None, "--layout", help="pipe | lines | tab | markdown | html | crawl(默认轮流)"),
        errors: float = typer.Option(0.0, "--errors", help="带有受控错误的报告比例(0–1)"),
        seed: int = typer.Option(0, "--seed", help="随机种子(相同种子生成相同报告)"),
        gold: bool = typer.Option(True, "--gold/--no-gold", help="在每份报告旁写出标准答案 .gold.json"),
    ) -> None:
        """生成逼真的合成报告(各版本、各版式,内部一致;可按比例加入受控错误),用于测试、演示和压力测试。"""
        from .. import synth as sy

        if edition and edition not in sy.EDITION_NAMES:
            raise _fail(f"未知版本 {edition}(可用: {', '.join(sy.EDITION_NAMES)})")
        if layout and layout not in sy.LAYOUTS:
            raise _fail(f"未知版式 {layout}(可用: {', '.join(sy.LAYOUTS)})")
        paths = sy.write_corpus(output, n, seed, (edition,) if edition else sy.EDITION_NAMES,
                                (layout,) if layout else sy.LAYOUTS, errors, gold)
        out.print(f"已生成 {len(paths)} 份合成报告到 {output}")


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    if isinstance(x, bytes):
        return None
    if isinstance(x, str | int | float | bool) or x is None:
        return x
    return str(x)
