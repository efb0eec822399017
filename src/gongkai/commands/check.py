"""`gongkai check`, `gongkai rules`, `gongkai explain`: the rule engine on the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import typer
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.table import Table

from ..model import Finding, GongkaiError, Report

SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SUFFIXES = {".txt", ".text", ".htm", ".html", ".shtml", ".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xls",
            ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".md", ".rtf"}


@dataclass
class Checked:
    file: str
    report: Report | None = None
    error: str | None = None
    findings: list[Finding] = field(default_factory=list)


def expand(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders expanded to the report files inside (gold/JSON files skipped)."""
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES:
                    yield f
        else:
            yield p


def check_file(path: Path, select: list[str] | None, ignore: list[str] | None) -> Checked:
    from .. import pipeline
    from ..check import run_checks

    try:
        report = pipeline.parse_path(path, checks=False)
    except GongkaiError as e:
        return Checked(str(path), error=str(e))
    except OSError as e:
        return Checked(str(path), error=f"{path}: 无法读取文件({e.strerror or e})")
    except Exception as e:  # noqa: BLE001 - one bad file never stops the batch
        return Checked(str(path), error=f"{path}: 解析失败({type(e).__name__}: {e})")
    findings = run_checks(report, select=select, ignore=ignore)
    return Checked(str(path), report, findings=findings)


def _agency(r: Report | None) -> str:
    if r is None:
        return ""
    a = r.meta.get("agency")
    if isinstance(a, list | tuple):
        return str(a[0]) if a else ""
    return str(a or "")


def _counts(fs: list[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in fs:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def _where(f: Finding) -> str:
    w = f.where or {}
    parts = []
    if "page" in w:
        parts.append(f"第{w['page']}页")
    if "table" in w:
        parts.append(f"表{w['table'] + 1}")
    if "row" in w:
        parts.append(f"行{w['row'] + 1}")
    if "col" in w:
        parts.append(f"列{w['col'] + 1}")
    if not parts and "start" in w:
        parts.append(f"字符{w['start']}")
    return " ".join(parts)


def render_text(results: list[Checked], console: Console) -> None:
    from ..check import SEVERITY_ZH

    total = {"error": 0, "warning": 0, "info": 0}
    for res in results:
        if res.error:
            console.print(Panel(f"[red]{res.error}[/red]", title=res.file, title_align="left", border_style="red"))
            continue
        r = res.report
        assert r is not None
        head = " · ".join(x for x in (_agency(r), f"{r.meta.get('year')}年度" if r.meta.get("year") else "",
                                      f"格式 {r.edition}" if r.edition else "格式未识别") if x)
        c = _counts(res.findings)
        for k in total:
            total[k] += c.get(k, 0)
        summary = f"错误 {c['error']} · 警告 {c['warning']} · 提示 {c['info']}"
        if not res.findings:
            console.print(Panel(f"[green]未发现问题[/green]  {head}", title=res.file, title_align="left",
                                border_style="green"))
            continue
        t = Table(show_header=True, header_style="bold", expand=True, show_lines=False)
        t.add_column("级别", no_wrap=True)
        t.add_column("规则", no_wrap=True)
        t.add_column("说明", ratio=3, overflow="fold")
        t.add_column("单元格", ratio=2, overflow="fold")
        order = {"error": 0, "warning": 1, "info": 2}
        for f in sorted(res.findings, key=lambda f: (order.get(f.severity, 3), f.rule)):
            cells = ", ".join(f.cells[:4]) + (f" 等{len(f.cells)}格" if len(f.cells) > 4 else "")
            t.add_row(f"[{SEV_STYLE.get(f.severity, '')}]{SEVERITY_ZH.get(f.severity, f.severity)}[/]",
                      f.rule, f.message, cells)
        border = "red" if c["error"] else ("yellow" if c["warning"] else "cyan")
        console.print(Panel(t, title=f"{res.file}  {head}", subtitle=summary, title_align="left",
                            subtitle_align="right", border_style=border))
    bad = sum(1 for r in results if r.error)
    console.print(f"共 {len(results)} 个文件" + (f"(其中 {bad} 个无法读取)" if bad else "") +
                  f":错误 {total['error']},警告 {total['warning']},提示 {total['info']}")


def to_json(results: list[Checked]) -> list[dict]:
    out = []
    for res in results:
        if res.error:
            out.append({"file": res.file, "error": res.error})
            continue
        r = res.report
        assert r is not None
        out.append({"file": res.file, "edition": r.edition, "agency": _agency(r), "year": r.meta.get("year"),
                     "counts": _counts(res.findings), "findings": [f.to_dict() for f in res.findings]})
    return out


XLSX_HEAD = ("文件", "机关", "年度", "格式", "规则", "级别", "规则名称", "说明", "单元格", "位置", "处理意见")


def write_xlsx(results: list[Checked], out: Path) -> None:
    """One sheet of findings across all files, ready to send back to the reporting organs."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from ..check import RULES, SEVERITY_ZH

    wb = Workbook()
    ws = wb.active
    ws.title = "检查结果"
    ws.append(XLSX_HEAD)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    fills = {"error": "F8D7DA", "warning": "FFF3CD", "info": "D1ECF1"}
    for res in results:
        r = res.report
        if res.error:
            ws.append((res.file, "", "", "", "", "无法读取", "", res.error, "", "", ""))
            continue
        assert r is not None
        for f in res.findings:
            rule = RULES.get(f.rule)
            ws.append((res.file, _agency(r), r.meta.get("year"), r.edition or "", f.rule,
                       SEVERITY_ZH.get(f.severity, f.severity), rule.title if rule else "", f.message,
                       ", ".join(f.cells), _where(f) or (json.dumps(f.where, ensure_ascii=False) if f.where else ""),
                       ""))
            ws.cell(ws.max_row, 6).fill = PatternFill("solid", fgColor=fills.get(f.severity, "FFFFFF"))
    widths = (28, 24, 6, 8, 8, 6, 26, 60, 40, 14, 30)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)


def _codes(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [p.strip() for v in values for p in v.split(",") if p.strip()]


def check(
    files: list[Path] = typer.Argument(..., help="报告文件或目录"),
    select: list[str] | None = typer.Option(None, "--select", help="只运行这些规则(代码或前缀,逗号分隔,如 GK1,GK302)"),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="不运行这些规则(代码或前缀)"),
    fmt: str = typer.Option("text", "--format", "-f", help="输出格式: text | json | xlsx"),
    out: Path | None = typer.Option(None, "-o", "--out", help="输出文件(xlsx 必需,默认 gongkai-check.xlsx)"),
) -> None:
    """检查年度报告:勾稽关系、模板、日期、正文与表格是否一致。

    退出码:0 无错误级问题;1 有错误级问题;2 有文件无法读取(其余文件照常检查)。
    """
    if fmt not in ("text", "json", "xlsx"):
        Console(stderr=True).print(f"[red]不支持的格式: {fmt}(可选 text、json、xlsx)[/red]")
        raise typer.Exit(2)
    sel, ign = _codes(select), _codes(ignore)
    paths = list(expand(files))
    if not paths:
        Console(stderr=True).print("[red]没有找到可检查的文件[/red]")
        raise typer.Exit(2)
    results = [check_file(p, sel, ign) for p in paths]
    if fmt == "text":
        console = Console(file=out.open("w", encoding="utf-8") if out else sys.stdout,
                          width=140 if out else None)
        render_text(results, console)
    elif fmt == "json":
        text = json.dumps(to_json(results), ensure_ascii=False, indent=1) + "\n"
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    else:
        dest = out or Path("gongkai-check.xlsx")
        write_xlsx(results, dest)
        Console(stderr=True).print(f"已写入 {dest}")
    if any(r.error for r in results):
        raise typer.Exit(2)
    if any(f.severity == "error" for r in results for f in r.findings):
        raise typer.Exit(1)


def rules() -> None:
    """列出全部检查规则。"""
    from ..check import SEVERITY_ZH, all_rules
    from ..check.registry import GROUPS

    t = Table(title="gongkai 检查规则", header_style="bold")
    t.add_column("代码", no_wrap=True)
    t.add_column("级别", no_wrap=True)
    t.add_column("名称")
    t.add_column("对应", no_wrap=True)
    t.add_column("类别", no_wrap=True)
    for r in all_rules():
        t.add_row(r.code, f"[{SEV_STYLE[r.severity]}]{SEVERITY_ZH[r.severity]}[/]", r.title, " ".join(r.aliases),
                  GROUPS.get(r.code[:3], "") + ("(解析时)" if r.parse_time else ""))
    Console().print(t)
    Console().print("GK5xx(跨年度检查)预留给存储层。--select/--ignore 接受代码、前缀(GK1)或规范代码(A2、L5)。")


def explain(code: str = typer.Argument(..., help="规则代码,如 GK101,或规范代码 A1")) -> None:
    """显示一条规则的说明和示例。"""
    from ..check import SEVERITY_ZH, get_rule

    r = get_rule(code)
    if r is None:
        Console(stderr=True).print(f"[red]没有规则 {code}[/red](用 gongkai rules 查看全部规则)")
        raise typer.Exit(2)
    console = Console()
    head = f"{r.code} {r.title}\n级别:{SEVERITY_ZH[r.severity]}"
    if r.aliases:
        head += f" · 对应规范:{' '.join(r.aliases)}"
    if r.parse_time:
        head += " · 由解析器在提取时给出"
    console.print(Panel(head, border_style=SEV_STYLE[r.severity]))
    console.print(Markdown(r.doc) if r.doc else "(无说明)")


def register(app: typer.Typer) -> None:
    """Add `check`, `rules` and `explain` to the gongkai CLI."""
    app.command("check")(check)
    app.command("rules")(rules)
    app.command("explain")(explain)
