"""Extraction: edition, sections, tables and metadata from a decoded document."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..editions import EDITIONS, Edition
from ..editions.base import Row, Table, label_pattern
from ..model import Finding, GongkaiError, Report, Section
from ..read.base import SourceDoc
from .assemble import Work, assemble
from .legacy import legacy_region, read_legacy
from .sections import find_sections
from .solve import solve
from .tables import RowRead, find_anchors, find_cue, lost_label_rows, read_rows, to_cells, total_column_first
from .values import column_prior, readings, region_cells

_CUES = {name: [(re.compile(label_pattern(c)), w) for c, w in ed.cues.items()] for name, ed in EDITIONS.items()}


def detect_edition(text: str) -> str | None:
    """Edition from the labels the tables print (never from the year)."""
    scores = {name: sum(w for rx, w in cues if rx.search(text)) for name, cues in _CUES.items()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < 3:
        return None
    return best


class Evidence:
    """Numbers the narrative states near a row's keywords: support for one cut of a digit run."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        parts = []
        last = 0
        for s, e in sorted(spans):
            parts.append(text[last:s])
            parts.append(" " * (e - s))
            last = max(last, e)
        parts.append(text[last:])
        self.text = "".join(parts)
        self.numbers: dict[float, list[int]] = {}
        for m in re.finditer(r"(?<![\d.])\d{2,}(?:\.\d+)?(?![\d.])", self.text):
            self.numbers.setdefault(float(m.group()), []).append(m.start())
        self._keys: dict[str, list[int]] = {}

    def key_positions(self, row: Row) -> list[int]:
        if row.key not in self._keys:
            self._keys[row.key] = [m.start() for m in row.regex.finditer(self.text)]
        return self._keys[row.key]

    def bonus(self, row: Row, value: float) -> float:
        if value is None or abs(value) < 10:
            return 0.0
        where = self.numbers.get(float(abs(value)))
        if not where:
            return 0.0
        keys = self.key_positions(row)
        if any(abs(p - k) < 80 for p in where for k in keys):
            return 2.5
        return 0.4 if abs(value) >= 100 else 0.0


def extract(doc: SourceDoc) -> Report:
    work = assemble(doc)
    text = work.text
    name = detect_edition(text)
    report = Report(name, text=text, path=doc.path, form=doc.form)
    report.sections = find_sections(text)
    if name is None:
        raise GongkaiError(f"{doc.path or '输入'}: 未找到政府信息公开年度报告的统计表格(不是年度报告,或表格无法识别)")
    ed = EDITIONS[name]
    if name == "legacy":
        _extract_legacy(report, work, ed)
    else:
        _extract_modern(report, work, ed)
    report.meta = _meta(text, doc)
    return report


def _meta(text: str, doc: SourceDoc) -> dict:
    from .metadata import extract_meta

    return extract_meta(text, title=doc.title, posted=doc.posted)


def _extract_legacy(report: Report, work: Work, ed: Edition) -> None:
    table = ed.tables[0]
    start, end = legacy_region(work.text, table)
    ev = Evidence(work.text, [(start, end)])
    res = read_legacy(work, table, start, end, ev.bonus)
    report.cells.update(res.cells)
    report.unmapped.extend(res.unmapped)
    _note_splits(report, work, res.ambiguous, res.split)
    if not res.cells:
        report.add(Finding("GK002", "error", "未找到政府信息公开情况统计表(附表)", [], None))


def _note_splits(report: Report, work: Work, ambiguous: list[str], split: list[str],
                 why: dict[str, str] | None = None) -> None:
    for cid in ambiguous:
        c = report.cells[cid]
        msg = (why or {}).get(cid) or f"数字连写“{c.raw}”可有多种拆分,表内关系也无法确定,该格置空"
        report.add(Finding("GK001", "warning", f"{cid}: {msg}", [cid], c.source.to_dict() if c.source else None))
    if split:
        report.add(Finding("GK004", "info", f"{len(split)} 个单元格的数字原文连写,已按表格结构和勾稽关系拆分",
                           split[:50], None))


def _extract_modern(report: Report, work: Work, ed: Edition) -> None:
    text = work.text
    s2_tables = [t for t in ed.tables if t.prefix == "s2"]
    s3 = ed.table("s3")
    s4 = ed.table("s4")
    # section 二 starts at its first sub-table header
    m = find_cue(text, ("第二十条第(一)项",) + s2_tables[0].cues, 0, len(text))
    s2_start = m.start() if m else 0
    m3 = find_cue(text, s3.cues[:2], s2_start, len(text)) or s3.rows[0].regex.search(text, s2_start)
    s3_start = m3.start() if m3 else len(text)
    table_spans: list[tuple[int, int]] = [(s2_start, len(text))]
    # --- section 三
    anchors = find_anchors(text, s3.rows, s3_start, len(text))
    co = next((a for a in anchors if a.row.key == "carried_over"), None)
    after_s3 = co.end if co else (anchors[-1].end if anchors else s3_start)
    m4 = re.search(label_pattern("行政复议"), text[after_s3:])
    s4_start = after_s3 + m4.start() if m4 else len(text)
    five = next((s for s in report.sections if s.key == "problems" and s.start > s4_start), None)
    s4_end = five.start if five else len(text)
    table_spans = [(s2_start, s4_end)]
    ev = Evidence(text, table_spans)

    # --- section 二
    pos = s2_start
    for t in s2_tables:
        anchors2 = find_anchors(text, t.rows, pos, s3_start)
        if not anchors2:
            continue
        rows = read_rows(text, t, anchors2, s3_start)
        _settle(report, work, ed, t, rows, ev)
        pos = anchors2[-1].end

    # --- section 三 (rows by label, or by position when the labels were lost)
    rows3 = read_rows(text, s3, anchors, s4_start)
    outcome = [r for r in s3.rows if r.key not in ("new", "carried_in", "carried_over")]
    found = {rr.row.key for rr in rows3}
    if sum(1 for r in outcome if r.key in found) < len(outcome) / 2:
        ci = next((a for a in anchors if a.row.key == "carried_in"), None)
        if ci is not None and co is not None:
            line_end = text.find("\n", ci.end)
            missing = tuple(r for r in outcome if r.key not in found)
            pos_rows = lost_label_rows(work, s3, missing, line_end + 1, co.start) if line_end >= 0 else None
            if pos_rows:
                rows3 = [rr for rr in rows3 if rr.row.key in ("new", "carried_in")] + pos_rows + \
                        [rr for rr in rows3 if rr.row.key not in ("new", "carried_in")]
    if not rows3:
        report.add(Finding("GK002", "error", "未找到“三、收到和处理政府信息公开申请情况”表格", [], None))
    else:
        if total_column_first(rows3):
            report.add(Finding("GK007", "info", "三、收到和处理政府信息公开申请情况: 各行的“总计”印在第一列"
                               "(各行数值只在总计列在前时相加相符),已移回最后一列", [], None))
        _settle(report, work, ed, s3, rows3, ev)

    # --- section 四: one row of 15 numbers after the header
    if s4_start < len(text):
        dm = re.search(r"[\d]", text[s4_start:s4_end])
        if dm:
            vs = s4_start + dm.start()
            cells, _ = region_cells(text, vs, s4_end)
            opts, status = readings(cells, len(s4.cols), column_prior(s4.cols),
                                    lambda v: all(abs(v[g * 5 + 4] - sum(v[g * 5:g * 5 + 4])) < 1e-9 for g in range(3)),
                                    groups=(5, 5, 5), group_check=lambda v: abs(v[4] - sum(v[:4])) < 1e-9,
                                    place=True)
            rr = RowRead(s4.rows[0], None, cells, opts, status)
            _settle(report, work, ed, s4, [rr], ev)
        else:
            report.add(Finding("GK002", "error", "“四、行政复议、行政诉讼情况”表格中没有数字", [], None))
    else:
        report.add(Finding("GK002", "error", "未找到“四、政府信息公开行政复议、行政诉讼情况”表格", [], None))


def _settle(report: Report, work: Work, ed: Edition, table: Table, rows: list[RowRead], ev: Evidence) -> None:
    """Pick readings with the relations, write cells, note ambiguity and unreadable rows."""
    bonus: Callable[[int, int, float], float] = lambda i, j, v: ev.bonus(rows[i].row, v)  # noqa: E731
    sol = solve(table, rows, ed.relations, bonus)
    ambiguous: list[str] = []
    why: dict[str, str] = {}
    split: list[str] = []
    for i, rr in enumerate(rows):
        rd = sol.chosen.get(i)
        if rd is None:
            if rr.status in ("short", "long", "bad"):
                span = (rr.anchor.start, rr.anchor.end) if rr.anchor else None
                what = {"short": "数值个数少于", "long": "数值个数多于", "bad": "无法识别为"}[rr.status]
                raw = " ".join(c.text.strip() for c in rr.cells)[:60]
                report.add(Finding("GK003", "warning",
                                   f"{table.title} “{rr.row.label}”行: 单元格“{raw}”{what}应有的 {len(table.cols)} 个数值",
                                   [table.cell_id(rr.row, c) for c in table.cols],
                                   work.source(*span).to_dict() if span else None))
            continue
        cells = to_cells(table, rr, rd, work, sol.ambiguous.get(i))
        placed = [cid for cid, c in cells.items() if c.how == "placed"]
        if placed:
            span = (rr.anchor.start, rr.anchor.end) if rr.anchor else None
            blanks = [table.cols[j].label for j, c in enumerate(cells.values()) if c.how == "placed" and c.value is None]
            report.add(Finding("GK006", "info",
                               f"{table.title} “{rr.row.label}”行只印出 {sum(1 for c in rr.cells if c.text.strip())} "
                               f"个数值(空白格被删去),按表内勾稽关系唯一确定其位置;空白列: {'、'.join(blanks)}",
                               placed, work.source(*span).to_dict() if span else None))
        if table.prefix == "s2" and sol.ambiguous.get(i) and rr.status == "split" and \
                len(rr.options) <= MAX_ALTERNATIVES:
            report.alternatives.append((tuple(cells), [tuple(v.value for v in o.values) for o in rr.options]))
        for cid, c in cells.items():
            if c.how == "ambiguous":
                ambiguous.append(cid)
                if rr.status == "placed":
                    n = sum(1 for x in rr.cells if x.text.strip())
                    why[cid] = (f"“{rr.row.label}”行只印出 {n} 个数值(应有 {len(table.cols)} 格),"
                                "缺的是哪几格,表内关系无法唯一确定,该格置空")
                elif rr.status == "gaps":
                    raw = "".join(x.text.strip() for x in rr.cells)[:40]
                    why[cid] = (f"“{rr.row.label}”行的数字“{raw}”连写,本表有的行删去了空白格(应有 {len(table.cols)} 格);"
                                "怎样拆分、各数在哪一格,表内关系无法唯一确定,该格置空")
            elif c.how == "split":
                split.append(cid)
        report.cells.update(cells)
        if rr.anchor is not None:
            _label_deviation(report, work, rr)
    _note_splits(report, work, ambiguous, split, why)


MAX_ALTERNATIVES = 200  # a row with more readings than this is not worth carrying to other reports

_PUNCT = re.compile(r"[\s|“”\"'.、,,。::()()]")


def _label_deviation(report: Report, work: Work, rr: RowRead) -> None:
    assert rr.anchor is not None
    printed = work.text[rr.anchor.start:rr.anchor.end].strip(" |\n")
    a = _PUNCT.sub("", printed)
    b = _PUNCT.sub("", rr.row.label)
    if a != b and not b.endswith(a) and not a.endswith(b):
        report.label_deviations.append((rr.row.key, re.sub(r"\s+", "", printed), rr.row.label))


__all__ = ["extract", "detect_edition", "Section"]
