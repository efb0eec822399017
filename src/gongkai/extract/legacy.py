"""The legacy 统计表 (指标 · 单位 · 数量) and older local tables with the same kind of rows.

Rows are not in a fixed order across local tables, so every label variant is searched at
once, overlapping matches resolve to the longer one, and rows shared by two blocks
(被依法纠错数 under 行政复议 and 行政诉讼) go to the block opened last. A table with a
current-year and a cumulative column (`2015年度 · 历年累计`) takes the current year; when its
digits ran together the cut must keep cumulative ≥ current. Rows that no ID fits are kept raw.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..editions.base import Row, Table, label_pattern
from ..model import Cell, RawRow
from .assemble import Work
from .solve import AMBIGUITY_MARGIN
from .tables import _extend_label
from .values import Reading, magnitude_prior, readings, region_cells

UNIT_RE = re.compile(r"[\s|]*(人次|万元|条|件|次|篇|个|人|元|家|项|—+|-)?(?=[\s|\d]|$)")
HEADER_COLS = re.compile(r"(\d{4}\s*年度?|本年度|本期实际|本年累计|历年累计|累计数?|数量|统计数|本年)")
RAW_ROW = re.compile(r"(?P<label>(?:\d[、.])?[^\d|\n]{2,40}?)\s*\|?\s*(?P<unit>人次|万元|条|件|次|篇|个|人|元)\s*\|?\s*(?P<vals>\d[\d.\s|]*)")


@dataclass
class LegacyRead:
    cells: dict[str, Cell]
    unmapped: list[RawRow]
    ambiguous: list[str]
    split: list[str]


def _columns(header: str) -> tuple[int, int, int | None]:
    """(number of value columns, index of the current-year column, index of a cumulative column)."""
    cols = [m.group(1) for m in HEADER_COLS.finditer(header)]
    if not cols:
        return 1, 0, None
    cum = next((i for i, c in enumerate(cols) if "历年" in c or c.startswith("累计")), None)
    cur = next((i for i, c in enumerate(cols) if i != cum and "本年累计" in c), None)
    if cur is None:
        cur = next((i for i, c in enumerate(cols) if i != cum), 0)
    return len(cols), cur, cum


def _inside_sub_label(text: str, pos: int, lo: int) -> bool:
    """A match inside a 其中 row's longer label (其中:主要负责同志参加政府网站在线访谈次数 holds
    政府网站在线访谈次数): that row's label was damaged, the match is not the parent row."""
    before = text[max(lo, pos - 30):pos]
    cut = max((m.end() for m in re.finditer(r"[|\t\n\d]", before)), default=0)
    head = re.sub(r"\s+", "", before[cut:])
    return bool(re.match(r"其中[::]?[\u4e00-\u9fff]{2,}", head))


def _anchors(text: str, rows: tuple[Row, ...], start: int, end: int) -> list[tuple[int, int, Row]]:
    found: list[tuple[int, int, list[Row]]] = []
    spans: dict[tuple[int, int], list[Row]] = {}
    for row in rows:
        for m in row.regex.finditer(text, start, end):
            if _inside_sub_label(text, m.start(), start):
                continue
            spans.setdefault((m.start(), m.end()), []).append(row)
    for (s, e), rs in spans.items():
        found.append((s, e, rs))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    accepted: list[tuple[int, int, list[Row]]] = []
    last_end = -1
    for s, e, rs in found:
        if s < last_end:
            continue
        accepted.append((s, e, rs))
        last_end = e
    out: list[tuple[int, int, Row]] = []
    seen: set[str] = set()
    opened: dict[str, int] = {}
    for s, e, rs in accepted:
        cands = [r for r in rs if r.key not in seen]
        if not cands:
            continue
        with_ctx = [r for r in cands if r.after and r.after in opened]
        if with_ctx:
            row = max(with_ctx, key=lambda r: opened[r.after])
        else:
            plain = [r for r in cands if not r.after]
            row = plain[0] if plain else cands[0]
        seen.add(row.key)
        opened[row.key] = s
        out.append((s, e, row))
    return out


def read_legacy(work: Work, table: Table, start: int, end: int, bonus) -> LegacyRead:
    text = work.text
    anchors = _anchors(text, table.rows, start, end)
    header = text[max(start - 200, 0):anchors[0][0]] if anchors else ""
    # the value columns follow the 指标 header cell and its 单位 (either word may be damaged, and
    # 单位 may also occur in the narrative before the table)
    hs = list(re.finditer(r"指\s*标(?:名\s*称)?", header))
    tail = header[hs[-1].end():] if hs else header
    um = list(re.finditer(r"单\s*位", tail))
    n_cols, cur, cum = _columns(tail[um[-1].end():] if um else (tail if hs else header[-80:]))
    check = None
    if cum is not None:
        check = lambda v: v[cum] >= v[cur]  # noqa: E731 - tiny constraint
    prior = magnitude_prior([(1.0, 1.5)] * n_cols)
    out = LegacyRead({}, [], [], [])
    for i, (s, e, row) in enumerate(anchors):
        s, e = _extend_label(text, s, e, end)
        stop = anchors[i + 1][0] if i + 1 < len(anchors) else end
        # the next label's numbering ("2、") and 其中 prefix belong to it, not to these values
        m = re.search(r"(?:其中\s*[::]?\s*)?(?:\d[、.]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)?\s*$",
                      text[e:stop])
        stop_v = e + m.start() if m else stop
        um = UNIT_RE.match(text, e, stop_v)
        unit = um.group(1) if um and um.group(1) else None
        vstart = um.end() if um else e
        cells, _ = region_cells(text, vstart, stop_v)
        opts, status = readings(cells, n_cols, prior, check)
        if not opts:
            continue
        scored = sorted(
            ((rd, rd.score + (sum(bonus(row, v.value) for v in rd.values[cur:cur + 1] if v.value is not None)
                              if rd.split else 0.0)) for rd in opts),
            key=lambda t: -t[1])
        best: Reading = scored[0][0]
        pn = best.values[cur]
        cid = table.cell_id(row, None)
        value = pn.value
        how = "split" if best.split else "label"
        rivals = [rd for rd, sc in scored[1:] if sc >= scored[0][1] - AMBIGUITY_MARGIN and rd.values[cur].value != value]
        if rivals:
            value, how = None, "ambiguous"
            out.ambiguous.append(cid)
        elif best.split:
            out.split.append(cid)
        cs, ce = best.spans[cur]
        cell_unit = pn.unit or (unit if unit and unit not in "—-" else None)
        if row.unit == "万元":
            cell_unit = cell_unit if cell_unit in ("万元", "元") else "万元"
        elif cell_unit not in ("万元", "元"):
            cell_unit = None
        label = re.sub(r"\s", "", text[s:e])
        head = re.split(r"[\d|\n]", text[max(0, s - 12):s])[-1]
        if any(w in head + label for w in row.not_with):
            out.unmapped.append(RawRow(head + label, unit, [str(v.value) for v in best.values], work.source(s, ce)))
            continue
        out.cells[cid] = Cell(cid, value, cell_unit, text[cs:ce].strip(), work.source(cs, ce), label, how,
                              0.0 if how == "ambiguous" else work.confidence(cs, ce))
        # rows between this one and the next that no ID fits (e.g. 信函、传真申请数)
        tail = text[best.spans[-1][1]:stop]
        for rm in RAW_ROW.finditer(tail):
            vals = [v for v in re.split(r"[\s|]+", rm.group("vals").strip()) if v]
            lab = re.sub(r"^(?:其中\s*[::]?\s*)", "", rm.group("label").strip(" |"))
            off = best.spans[-1][1] + rm.start()
            out.unmapped.append(RawRow(lab, rm.group("unit"), vals, work.source(off, off + len(rm.group()))))
    return out


def legacy_region(text: str, table: Table) -> tuple[int, int]:
    """Where the table is: from its header (指标/统计指标/指标名称) or first row to the end."""
    start = 0
    for cue in ("指标名称", "统计指标", "指标"):
        m = None
        for m2 in re.finditer(label_pattern(cue) + r"[\s|]*(?:名称)?[\s|]*(?:计量)?[\s|]*单\s*位", text):
            m = m2
        if m:
            start = m.start()
            break
    return start, len(text)
