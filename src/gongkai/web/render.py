"""View models: a Report laid out as the official tables of its edition, findings attached to cells.

The same dictionaries feed the Jinja templates and the JSON API, so the API returns exactly what
the pages show. Everything here is plain data; escaping is the templates' job (autoescape).
"""

from __future__ import annotations

import re
from typing import Any

from ..editions import EDITIONS, Edition, Table, expected_edition
from ..model import Cell, Finding, Report, Source

SEV_ORDER = {"error": 0, "warning": 1, "info": 2}
SEV_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
FORM_ZH = {"text": "文本", "html": "网页", "pdf": "PDF", "scan": "扫描件", "docx": "Word", "xlsx": "Excel",
           "doc": "Word(旧版)"}
SECTION_TITLES = {"s2": "二、主动公开政府信息情况", "s3": "三、收到和处理政府信息公开申请情况",
                  "s4": "四、政府信息公开行政复议、行政诉讼情况", "legacy": "政府信息公开情况统计表"}
S3_ORG = {"commercial", "research", "ngo", "legal", "other_org"}

_NUM_TOP = re.compile(r"^[一二三四五六七八九十]+、")
_NUM_PAREN = re.compile(r"^[(（][一二三四五六七八九十]+[)）]")
_NUM_DIGIT = re.compile(r"^\d+[.、．]")


def source_label(src: Source | dict[str, Any] | None) -> str:
    """Chinese description of a source location: 第2页 表3 第4行 第5列, or 正文第120–123字."""
    if src is None:
        return ""
    d = src.to_dict() if isinstance(src, Source) else dict(src)
    parts = []
    if d.get("page") is not None:
        parts.append(f"第{d['page']}页")
    if d.get("table") is not None:
        parts.append(f"表{int(d['table']) + 1}")
    if d.get("row") is not None:
        parts.append(f"第{int(d['row']) + 1}行")
    if d.get("col") is not None:
        parts.append(f"第{int(d['col']) + 1}列")
    if not parts and d.get("start") is not None:
        parts.append(f"正文第{int(d['start']) + 1}–{int(d.get('end') or d['start'])}字")
    if d.get("report") is not None:
        parts.append(f"对照报告 #{d['report']}")
    return " ".join(parts)


def fmt_number(v: int | float | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        s = repr(v)
        return f"{v:f}".rstrip("0").rstrip(".") if "e" in s else s
    return str(v)


def _indent(label: str) -> int:
    if _NUM_TOP.match(label):
        return 0
    if _NUM_PAREN.match(label):
        return 1
    if _NUM_DIGIT.match(label) or label.startswith("其中"):
        return 2
    return 0


def _header(paths: list[list[str]], corner: list[str]) -> list[list[dict[str, Any]]]:
    """Header rows with colspan/rowspan from each value column's label path (outer to inner)."""
    depth = max(len(p) for p in paths)
    rows: list[list[dict[str, Any]]] = [[] for _ in range(depth)]
    for c in corner:
        rows[0].append({"text": c, "colspan": 1, "rowspan": depth, "corner": True})
    for level in range(depth):
        i = 0
        while i < len(paths):
            p = paths[i]
            if level >= len(p):
                i += 1
                continue
            if level == len(p) - 1:
                rows[level].append({"text": p[level], "colspan": 1, "rowspan": depth - level})
                i += 1
                continue
            j = i + 1
            while j < len(paths) and len(paths[j]) > level + 1 and paths[j][:level + 1] == p[:level + 1]:
                j += 1
            rows[level].append({"text": p[level], "colspan": j - i, "rowspan": 1})
            i = j
    return rows


def _col_paths(table: Table) -> list[list[str]]:
    out = []
    for c in table.cols:
        if table.prefix == "s3":
            if c.key in S3_ORG:
                out.append(["申请人情况", "法人或其他组织", c.label])
            else:
                out.append(["申请人情况", c.label])
        else:
            label = c.label + (f"({c.unit})" if c.unit and c.unit not in ("件", "项") and c.unit not in c.label
                               else "")
            out.append(label.split("·"))
    return out


class CellIndex:
    """Findings by cell ID, with the worst severity per cell."""

    def __init__(self, findings: list[Finding]) -> None:
        self.by_cell: dict[str, list[int]] = {}
        self.sev: dict[str, str] = {}
        for i, f in enumerate(findings):
            for cid in f.cells:
                self.by_cell.setdefault(cid, []).append(i)
                cur = self.sev.get(cid)
                if cur is None or SEV_ORDER.get(f.severity, 3) < SEV_ORDER.get(cur, 3):
                    self.sev[cid] = f.severity


def cell_view(cid: str, cell: Cell | None, labels: dict[str, str], idx: CellIndex) -> dict[str, Any]:
    d: dict[str, Any] = {"id": cid, "desc": labels.get(cid, cid), "findings": idx.by_cell.get(cid, []),
                         "severity": idx.sev.get(cid)}
    if cell is None:
        d.update(absent=True, value=None, display="", raw="", how=None, source=None, source_label="")
        return d
    src = cell.source.to_dict() if cell.source else None
    d.update(absent=False, value=cell.value, display=fmt_number(cell.value), raw=cell.raw, how=cell.how,
             unit=cell.unit, label=cell.label, confidence=cell.confidence, source=src,
             source_label=source_label(src))
    return d


def table_view(table: Table, report: Report, labels: dict[str, str], idx: CellIndex) -> dict[str, Any]:
    cells = report.cells
    if table.layout == "indicator":
        header = [[{"text": "指标", "colspan": 1, "rowspan": 1, "corner": True},
                   {"text": "计量单位", "colspan": 1, "rowspan": 1, "corner": True},
                   {"text": "数量", "colspan": 1, "rowspan": 1}]]
        rows = []
        for r in table.rows:
            cid = table.cell_id(r, None)
            if r.optional and cid not in cells:
                continue
            rows.append({"label": r.label, "indent": _indent(r.label), "unit": r.unit or "",
                         "cells": [cell_view(cid, cells.get(cid), labels, idx)]})
        return {"key": table.key, "title": table.title, "layout": table.layout, "header": header, "rows": rows,
                "unit_col": True}
    paths = _col_paths(table)
    if table.layout == "single_row":
        header = _header(paths, [])
        r = table.rows[0]
        rows = [{"label": "", "indent": 0, "cells": [cell_view(table.cell_id(r, c), cells.get(table.cell_id(r, c)),
                                                               labels, idx) for c in table.cols]}]
        return {"key": table.key, "title": table.title, "layout": table.layout, "header": header, "rows": rows,
                "no_label": True}
    header = _header(paths, ["项目" if table.prefix == "s3" else "信息内容"])
    rows = []
    group = ""
    for r in table.rows:
        if r.group and r.group != group:
            group = r.group
            # "(三)不予公开" under "三、本年度办理结果": the outer group row is printed once, before it
            rows.append({"label": r.group, "indent": _indent(r.group), "group": True, "cells": []})
        if r.optional and not any(table.cell_id(r, c) in cells for c in table.cols):
            continue
        rows.append({"label": r.label, "indent": _indent(r.label) if table.prefix == "s3" else 0,
                     "cells": [cell_view(table.cell_id(r, c), cells.get(table.cell_id(r, c)), labels, idx)
                               for c in table.cols]})
    return {"key": table.key, "title": table.title, "layout": table.layout, "header": header, "rows": rows,
            "ncols": len(table.cols)}


def finding_view(i: int, f: Finding, labels: dict[str, str], scope: str | None = None) -> dict[str, Any]:
    from ..check import RULES

    rule = RULES.get(f.rule)
    where = f.where or {}
    return {"index": i, "rule": f.rule, "severity": f.severity, "severity_zh": SEV_ZH.get(f.severity, f.severity),
            "title": rule.title if rule else "", "message": f.message, "cells": list(f.cells),
            "cell_labels": [labels.get(c, c) for c in f.cells[:6]], "more_cells": max(0, len(f.cells) - 6),
            "where": where, "where_label": source_label(where), "scope": scope or "report",
            "other_report": where.get("report")}


def sections(tables: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t in tables:
        prefix = t["key"].split(".")[0]
        if not out or out[-1]["prefix"] != prefix:
            out.append({"prefix": prefix, "title": SECTION_TITLES.get(prefix, prefix), "tables": []})
        out[-1]["tables"].append(t)
    return out


def report_view(report: Report, *, name: str = "", scopes: dict[int, str] | None = None) -> dict[str, Any]:
    """Everything the check page and the report page show, as plain data."""
    ed: Edition | None = EDITIONS.get(report.edition or "")
    labels = dict(ed.labels) if ed else {}
    order = sorted(range(len(report.findings)),
                   key=lambda i: (SEV_ORDER.get(report.findings[i].severity, 3), report.findings[i].rule, i))
    idx = CellIndex(report.findings)
    tables = [table_view(t, report, labels, idx) for t in ed.tables] if ed else []
    findings = [finding_view(i, report.findings[i], labels, (scopes or {}).get(i)) for i in order]
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in report.findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    meta = dict(report.meta)
    agency = meta.get("agency")
    if isinstance(agency, list | tuple):
        agency = agency[0] if agency else None
    year = meta.get("year")
    known = set(labels)
    extra_cells = [cell_view(cid, c, labels, idx) for cid, c in report.cells.items() if cid not in known]
    return {
        "name": name or report.path or "",
        "edition": report.edition,
        "edition_title": ed.title if ed else "未识别格式",
        "expected_edition": expected_edition(year if isinstance(year, int) else None),
        "form": report.form,
        "form_zh": FORM_ZH.get(report.form, report.form),
        "meta": {"agency": agency, "region": meta.get("region"), "year": year, "dated": meta.get("dated"),
                 "posted": meta.get("posted"), "title": meta.get("title"), "report_kind": meta.get("report_kind")},
        "counts": counts,
        "n_cells": len(report.cells),
        "sections": sections(tables),
        "findings": findings,
        "extra_cells": extra_cells,
        "unmapped": [{"label": u.label, "unit": u.unit, "values": u.values,
                      "source": u.source.to_dict() if u.source else None,
                      "source_label": source_label(u.source)} for u in report.unmapped],
        "label_deviations": [{"cell": a, "printed": b, "official": c} for a, b, c in report.label_deviations],
        "text": report.text,
    }
