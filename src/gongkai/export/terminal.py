"""Render a parsed report's official tables in the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable

from ..editions import EDITIONS
from ..model import Report


def _fmt(v: object) -> str:
    if v is None:
        return "[dim]—[/dim]"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return f"{v:.1f}"
    return str(v)


def render_report(report: Report, console: Console) -> None:
    meta = report.meta
    head = " · ".join(str(x) for x in (meta.get("agency"), meta.get("year"), report.edition) if x)
    console.rule(f"[bold]{head or report.path}[/bold]")
    ed = EDITIONS.get(report.edition or "")
    if ed is None:
        console.print("[red]未识别的格式版本[/red]")
        return
    bad = {c for f in report.findings if f.severity == "error" for c in f.cells}
    for t in ed.tables:
        rt = RichTable(title=t.title, show_lines=False, header_style="bold")
        if t.layout == "indicator":
            rt.add_column("指标")
            rt.add_column("数量", justify="right")
            rt.add_column("单位")
            for r in t.rows:
                cid = t.cell_id(r, None)
                if cid in report.cells:
                    c = report.cells[cid]
                    style = "red" if cid in bad else ""
                    rt.add_row(r.label, f"[{style}]{_fmt(c.value)}[/{style}]" if style else _fmt(c.value),
                               c.unit or r.unit or "")
        elif t.layout == "single_row":
            for c in t.cols:
                rt.add_column(c.label.replace("·", "\n"), justify="right")
            rt.add_row(*[_fmt(report.value(t.cell_id(t.rows[0], c))) for c in t.cols])
        else:
            rt.add_column("信息内容")
            for c in t.cols:
                rt.add_column(c.label, justify="right")
            for r in t.rows:
                ids = [t.cell_id(r, c) for c in t.cols]
                if not any(i in report.cells for i in ids):
                    continue
                vals = []
                for i in ids:
                    s = _fmt(report.value(i))
                    if report.cells.get(i) and report.cells[i].unit and t.prefix == "s2":
                        s += report.cells[i].unit
                    vals.append(f"[red]{s}[/red]" if i in bad else s)
                rt.add_row(r.label, *vals)
        if rt.row_count:
            console.print(rt)
    if report.findings:
        console.print("[bold]问题[/bold]")
        for f in report.findings:
            color = {"error": "red", "warning": "yellow"}.get(f.severity, "cyan")
            console.print(f"  [{color}]{f.rule} {f.severity}[/{color}] {f.message}")
