"""Downloads: parsed data as JSON/XLSX, findings as XLSX; and the compare view model."""

from __future__ import annotations

import dataclasses
import difflib
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

from ..editions import EDITIONS
from ..model import Report
from .render import fmt_number, source_label

_FORMULA = re.compile(r"^[=+\-@\t\r]")


def _safe(v: Any) -> Any:
    """Cell text that a spreadsheet never evaluates (report content is untrusted)."""
    if isinstance(v, str) and _FORMULA.match(v):
        return "'" + v
    return v


def report_json(report: Report, name: str) -> bytes:
    d = report.to_full()
    d["file"] = name
    d["text"] = report.text
    return json.dumps(d, ensure_ascii=False, indent=1).encode("utf-8")


def data_xlsx(report: Report, name: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    ed = EDITIONS.get(report.edition or "")
    labels = ed.labels if ed else {}
    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["单元格", "项目", "值", "原文", "单位", "来源位置", "对应方式"])
    for c in ws[1]:
        c.font = Font(bold=True)
    for cid, c in report.cells.items():
        ws.append([cid, _safe(labels.get(cid, c.label)), c.value, _safe(c.raw), c.unit or "",
                   source_label(c.source), c.how])
    for col, w in zip("ABCDEFG", (34, 50, 12, 14, 8, 24, 10), strict=True):
        ws.column_dimensions[col].width = w
    info = wb.create_sheet("报告信息")
    meta = report.meta
    agency = meta.get("agency")
    if isinstance(agency, list | tuple):
        agency = "、".join(map(str, agency))
    for k, label in (("file", "文件"), ("edition", "格式"), ("agency", "机关"), ("region", "地区"), ("year", "年度"),
                     ("dated", "落款日期"), ("posted", "发布日期")):
        v = name if k == "file" else report.edition if k == "edition" else agency if k == "agency" else meta.get(k)
        info.append([label, _safe(v if v is None or isinstance(v, int | float) else str(v))])
    if report.unmapped:
        um = wb.create_sheet("未对应的行")
        um.append(["行标签", "单位", "原样数值", "来源位置"])
        for r in report.unmapped:
            um.append([_safe(r.label), r.unit or "", _safe(" | ".join(r.values)), source_label(r.source)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def findings_xlsx(report: Report, name: str) -> bytes:
    """The findings sheet of `gongkai check --format xlsx`, for one report."""
    from ..commands.check import Checked, write_xlsx

    report_copy = Report(report.edition, dict(report.meta))
    report_copy.findings = [dataclasses.replace(f, message=_safe(f.message)) for f in report.findings]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "findings.xlsx"
        write_xlsx([Checked(_safe(name), report_copy, findings=report_copy.findings)], out)
        return out.read_bytes()


# ---------------------------------------------------------------- compare


def _cell_order() -> list[str]:
    order: list[str] = []
    seen: set[str] = set()
    for ed in ("2021", "2019", "legacy"):
        for cid in EDITIONS[ed].cell_ids:
            if cid not in seen:
                seen.add(cid)
                order.append(cid)
    return order


CELL_ORDER = _cell_order()
ALL_LABELS: dict[str, str] = {}
for _ed in ("legacy", "2019", "2021"):
    ALL_LABELS.update(EDITIONS[_ed].labels)

_SENT = re.compile(r"(?<=[。;;!?!?\n])")


def _sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENT.split(text[:60000])) if s]


def text_diff(a: str, b: str, context: int = 1) -> list[dict[str, Any]]:
    """Sentence-level differences, equal runs shortened to `context` sentences around changes."""
    sa, sb = _sentences(a), _sentences(b)
    sm = difflib.SequenceMatcher(None, sa, sb, autojunk=False)
    out: list[dict[str, Any]] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            n = i2 - i1
            if n > 2 * context + 1:
                out.append({"op": "equal", "text": sa[i1:i1 + context]})
                out.append({"op": "skip", "count": n - 2 * context})
                out.append({"op": "equal", "text": sa[i2 - context:i2]})
            else:
                out.append({"op": "equal", "text": sa[i1:i2]})
        else:
            out.append({"op": op, "a": sa[i1:i2], "b": sb[j1:j2]})
    if out and out[0]["op"] == "equal" and len(out) > 1 and out[1]["op"] == "skip":
        out = out[1:]
    return out


def compare_view(a: Report, b: Report) -> dict[str, Any]:
    ids = [c for c in CELL_ORDER if c in a.cells or c in b.cells]
    ids += sorted((set(a.cells) | set(b.cells)) - set(ids))
    rows = []
    n_diff = 0
    for cid in ids:
        va, vb = a.value(cid), b.value(cid)
        diff = None
        if isinstance(va, int | float) and isinstance(vb, int | float):
            diff = vb - va
            if isinstance(diff, float):
                diff = round(diff, 6)
        same = va == vb and (cid in a.cells) == (cid in b.cells)
        n_diff += not same
        rows.append({"id": cid, "label": ALL_LABELS.get(cid, cid), "a": fmt_number(va) if cid in a.cells else None,
                     "b": fmt_number(vb) if cid in b.cells else None,
                     "delta": fmt_number(diff) if diff else ("" if diff is None else "0"),
                     "same": same, "section": cid.split(".")[0]})
    return {"rows": rows, "n_cells": len(rows), "n_diff": n_diff, "text": text_diff(a.text, b.text),
            "editions": [a.edition, b.edition]}
