"""Statutory tables of the 2019/2021 editions: find each row by its label, read its values.

Rows are found in the order the edition declares them, each by its label variants (spaces
and line breaks inside a label allowed), so the same code reads pipe rows, HTML grids, one
cell per line and crawled text where everything runs together. Value cells are what lies
between a row's label and the next label. Digit runs are cut by `values.readings`; the cut is
chosen with the table's relations (`solve.py`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..editions.base import GAP, Edition, Row, Table, label_pattern
from ..model import Cell, Finding
from ..normalize.numbers import ParsedNumber
from .aligned import aligned_columns
from .assemble import Work
from .values import (
    BLANK_MARK,
    MARK_CHARS,
    Reading,
    RowPrior,
    Tok,
    column_prior,
    readings,
    region_cells,
    space_separated,
)

_NUMBERING = re.compile(r"(?:[(]\s*[一二三四五六七八九十]{1,3}\s*[)]|[一二三四五六七八九十]{1,3}\s*、|\d\s*[.、,])\s*$")
# a value cell starts at a digit, a separator, a sign, or a blank mark between spaces ("其他 — 0 1")
_VALUE_START = re.compile(rf"[\d|\t\n]|[增减+\-](?=\d)|\s+{BLANK_MARK}(?=\s+(?:\d|{BLANK_MARK}))|{MARK_CHARS}+(?=\d)")


@dataclass
class Anchor:
    row: Row
    start: int  # label start (numbering included)
    end: int  # label end (trailing note included)


@dataclass
class RowRead:
    row: Row
    anchor: Anchor | None
    cells: list[Tok]
    options: list[Reading] = field(default_factory=list)
    status: str = ""
    how: str = "label"


# blank marks run on from the values before a label ("…—0—行政强制") belong to those values
_MARK_AFTER_VALUE = re.compile(rf"\d(?:{MARK_CHARS}|-)+$")


def _extend_label(text: str, start: int, end: int, limit: int, lo: int = 0) -> tuple[int, int]:
    """Grow a key match to the whole printed label: the rest of its cell and numbering before,
    notes after."""
    while start > lo and text[start - 1] not in "|\t\n" and not text[start - 1].isdigit() and \
            text[start - 1] not in ".、,)" and not _MARK_AFTER_VALUE.search(text, max(lo, start - 8), start):
        start -= 1
    m = _NUMBERING.search(text, max(lo, start - 8), start)
    if m:
        start = m.start()
    # forward: the rest of the label cell, up to a separator or the first value character
    depth = 0
    i = end
    while i < limit:
        ch = text[i]
        if ch in "(":
            depth += 1
        elif ch in ")":
            depth = max(0, depth - 1)
        elif depth == 0 and _VALUE_START.match(text, i) or depth > 0 and ch == "\n" and i - end > 80:
            break
        i += 1
    return start, i


_NEXT_TABLE = re.compile(r"第二十条|[一二三四五六七八九十]、|[(（][一二三四五六七八九十]{1,2}[)）]")


def find_anchors(text: str, rows: tuple[Row, ...], start: int, end: int) -> list[Anchor]:
    """Locate rows in order; a row whose label is missing is skipped, never matched out of order."""
    anchors: list[Anchor] = []
    pos = start
    for i, row in enumerate(rows):
        m = row.regex.search(text, pos, end)
        if not m:
            continue
        # if the next rows appear before this match, this row's label is missing here
        nxt = [rows[j].regex.search(text, pos, m.start()) for j in range(i + 1, min(i + 3, len(rows)))]
        if any(n is not None for n in nxt) and not row.optional:
            continue
        # a label ends where the next row's label or the next sub-table begins (rows left blank
        # run their labels together: "行政许可其他对外管理服务事项第二十条第(六)项…")
        window = min(end, m.end() + 300)
        later = [n.start() for r in rows[i + 1:] if (n := r.regex.search(text, m.end(), window))]
        cue = _NEXT_TABLE.search(text, m.end(), window)
        limit = min(later + ([cue.start()] if cue else []) + [end])
        s, e = _extend_label(text, m.start(), m.end(), limit, pos)
        anchors.append(Anchor(row, s, e))
        pos = e
    if len(anchors) < len(rows):
        anchors = _damaged_labels(text, rows, anchors, start, end)
    return anchors


# a printed label: Chinese text (with its punctuation) between value cells
_LABEL_RUN = re.compile(r"(?:[(（“\"「][\u4e00-\u9fff“”\"'「」()()、,,.::;；/]*)?[\u4e00-\u9fff]{2,}[\u4e00-\u9fff“”\"'「」()()、,,.::;；/ ]*")
_NOT_CORE = re.compile(r"[^\u4e00-\u9fff]|^(?:其中)")
LABEL_SIMILARITY = 0.6


def _core(label: str) -> str:
    return _NOT_CORE.sub("", re.sub(r"^(?:[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)", "", label))


def _damaged_labels(text: str, rows: tuple[Row, ...], anchors: list[Anchor], start: int, end: int
                    ) -> list[Anchor]:
    """Rows whose labels a typo or a lost character hid (`属于国家密`, `其它法律…`): between two
    found rows, the printed labels in the gap are matched in order to the missing rows, when
    there are as many as rows missing and each resembles its official label."""
    order = {r.key: i for i, r in enumerate(rows)}
    bounds = [(-1, start)] + [(order[a.row.key], a.end) for a in anchors] + [(len(rows), end)]
    nexts = [a.start for a in anchors] + [end]
    out = list(anchors)
    for (i0, lo), hi, (i1, _e) in zip(bounds, nexts, bounds[1:], strict=False):
        missing = [r for r in rows[i0 + 1:i1] if not r.optional]
        if not missing or hi <= lo:
            continue
        runs = [m for m in _LABEL_RUN.finditer(text, lo, hi) if len(_core(m.group())) >= 2]
        if i0 < 0 and i1 == len(rows):
            # no row found at all: one damaged label, the run that resembles it best
            if len(missing) != 1 or not runs:
                continue
            runs = [max(runs, key=lambda m: difflib.SequenceMatcher(None, _core(m.group()),
                                                                    _core(missing[0].label)).ratio())]
        elif i0 < 0:
            runs = runs[-len(missing):]  # before the first row come the headers
        elif i1 == len(rows):
            runs = runs[:len(missing)]  # after the last row comes other text
        if len(runs) != len(missing):
            continue
        found = []
        for r, m in zip(missing, runs, strict=True):
            a, b = _core(m.group()), _core(r.label)
            # a short label must be printed whole (其他); a long one may have lost a character
            ratio = difflib.SequenceMatcher(None, a, b).ratio() if len(b) >= 4 else float(a == b)
            if ratio < (LABEL_SIMILARITY if i0 >= 0 and i1 < len(rows) else 0.75):
                break
            s, e = _extend_label(text, m.start(), m.start() + len(m.group().rstrip()), hi, lo)
            found.append(Anchor(r, s, e))
        else:
            out.extend(found)
    out.sort(key=lambda a: a.start)
    return out


def find_cue(text: str, cues: tuple[str, ...], start: int, end: int) -> re.Match[str] | None:
    best = None
    for cue in cues:
        m = re.search(label_pattern(cue), text[start:end])
        if m and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    return re.compile(label_pattern(text[start + best.start():start + best.end()].replace("\n", ""))).search(
        text, start + best.start(), end)


# whole lines that hold only cell bars, numbers and blank marks: the rest of a row, not a new one
# (the next row's label then starts a line; "⏎| 二、…" is that row's own opening bar)
_CONTINUATION = re.compile(r"(?:\n[ \t]*(?:\|[ \t]*(?:[-+]?[\d.,]+[ \t]*|[—/\\-][ \t]*)?)+)+\n\s*")


def read_rows(text: str, table: Table, anchors: list[Anchor], end: int) -> list[RowRead]:
    k = len(table.cols)
    prior = column_prior(table.cols)
    check = _row_check(table)
    columns = aligned_columns(text)
    row_prior = RowPrior.of(table)
    regions: list[list[Tok]] = []
    for i, a in enumerate(anchors):
        stop = anchors[i + 1].start if i + 1 < len(anchors) else end
        # a grid row (label and values on one line) ends with its line
        line_end = text.find("\n", a.end, stop)
        if line_end > 0 and re.search(r"\d", text[a.end:line_end]) and not (
                # unless its blank cells went on lines of their own: "a | 25 |⏎|⏎|⏎| 25 |"
                len(region_cells(text, a.end, line_end)[0]) < k and _CONTINUATION.fullmatch(text, line_end, stop)):
            stop = line_end
        regions.append(region_cells(text, a.end, stop)[0])
    # a table whose rows print their cells space-separated: a shorter row lost blank cells
    spaced = k > 2 and sum(space_separated(cells, k) for cells in regions) >= 3
    out: list[RowRead] = []
    for a, cells in zip(anchors, regions, strict=True):
        # blank cells a copy dropped can be put back only where exact relations choose the places
        opts, status = readings(cells, k, prior, check, place=table.key == "s3", columns=columns,
                                spaced=spaced)
        opts = row_prior.rescore(opts)
        out.append(RowRead(a.row, a, cells, opts, status))
    if any(rr.status in ("gaps", "placed") for rr in out):
        # the copy drops blank cells: any run may have lost some, not only the ones that show it
        for rr in out:
            if rr.status == "split":
                opts, rr.status = readings(rr.cells, k, prior, check, place=True, gaps=True)
                rr.options = row_prior.rescore(opts)
    return out


def _row_check(table: Table):
    """What every cut of a row's digits must satisfy: its own sums, and no negative number
    outside the one signed column (a sign in `2648-18538` starts the 本年增/减 cell)."""
    unsigned = [j for j, c in enumerate(table.cols) if c.kind != "signed"]

    def signs_ok(v: list[float]) -> bool:
        return all(v[j] >= 0 for j in unsigned)

    if table.key == "s3":
        return lambda v: signs_ok(v) and abs(v[6] - sum(v[:6])) < 1e-9
    if table.key == "s4":
        return lambda v: signs_ok(v) and all(abs(v[g * 5 + 4] - sum(v[g * 5:g * 5 + 4])) < 1e-9 for g in range(3))
    if len(unsigned) < len(table.cols):
        return signs_ok
    return None


def to_cells(table: Table, rr: RowRead, reading: Reading | None, work: Work, ambiguous: set[int] | None = None
             ) -> dict[str, Cell]:
    cells: dict[str, Cell] = {}
    if reading is None:
        return cells
    label = ""
    if rr.anchor is not None:
        label = re.sub(GAP, "", work.text[rr.anchor.start:rr.anchor.end])
    for j, col in enumerate(table.cols):
        pn: ParsedNumber = reading.values[j]
        s, e = reading.spans[j]
        value = pn.value
        how = rr.how
        conf = work.confidence(s, e)
        if ambiguous and j in ambiguous:
            value, how, conf = None, "ambiguous", 0.0
        elif rr.status == "placed":
            how = "placed"
        elif reading.split:
            how = "split"
        unit = pn.unit
        if col.kind == "money" and unit is None and col.unit:
            unit = col.unit
        if unit in ("项", "件", "条") and col.kind != "money":
            unit = None
        cid = table.cell_id(rr.row, col)
        cells[cid] = Cell(cid, value, unit, work.text[s:e].strip(), work.source(s, e), label, how, conf)
    return cells


def lost_label_rows(work: Work, table: Table, rows: tuple[Row, ...], start: int, end: int) -> list[RowRead] | None:
    """Rows whose labels were replaced by values: map by position when the row count fits.

    Each line of the region is a table row; its last k value cells are the row's values and
    whatever stands before them (placeholders for the label and the group label) is ignored.
    """
    k = len(table.cols)
    lines: list[list[Tok]] = []
    pos = start
    for line in work.text[start:end].split("\n"):
        cells = []
        off = pos
        for part in line.split("|"):
            cells.append(Tok(part, off, off + len(part)))
            off += len(part) + 1
        pos += len(line) + 1
        vals = [c for c in cells if c.text.strip()]
        if len(vals) >= k and all(re.fullmatch(r"[\d\s.,+\-—/]*", c.text) for c in vals[-k:]):
            lines.append(vals[-k:])
    if len(lines) != len(rows):
        return None
    prior = column_prior(table.cols)
    out = []
    for row, cells in zip(rows, lines, strict=True):
        opts, status = readings(cells, k, prior, None)
        out.append(RowRead(row, None, cells, opts, status, how="position"))
    return out


def finding(rule: str, severity: str, message: str, cells: list[str], work: Work, span: tuple[int, int] | None
            ) -> Finding:
    where = work.source(*span).to_dict() if span else None
    return Finding(rule, severity, message, cells, where)


def edition_tables(ed: Edition) -> list[Table]:
    return list(ed.tables)


def total_column_first(rows: list[RowRead]) -> bool:
    """Move the 总计 column to the end where a copy prints it first (总计, 自然人, 商业企业 …).

    Only the rows' own sums decide: a table whose delimited rows add up with the total first,
    never with it last, is reordered. Returns whether it was."""
    first = last = 0
    for rr in rows:
        if rr.status != "direct" or not rr.options:
            continue
        v = [x.value or 0 for x in rr.options[0].values]
        if not any(v):
            continue
        at_end = abs(v[-1] - sum(v[:-1])) < 1e-9
        at_start = abs(v[0] - sum(v[1:])) < 1e-9
        first += at_start and not at_end
        last += at_end and not at_start
    if first < 2 or last or any(rr.status not in ("direct", "short", "bad") for rr in rows if rr.options):
        return False
    for rr in rows:
        rr.options = [Reading(rd.values[1:] + rd.values[:1], rd.spans[1:] + rd.spans[:1], rd.score, rd.split)
                      for rd in rr.options]
    return True
