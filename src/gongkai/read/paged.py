"""Assemble pages (text lines + table boxes, from a PDF text layer or OCR) into a `SourceDoc`.

Both paged readers produce the same `Page` model, so what makes a paged document read like
its HTML twin lives here once: running headers/footers and page numbers dropped, tables
drawn without rules found from text columns, a table broken across pages joined back into
one (repeated header rows dropped, a merged cell cut by the page break re-merged), and
wrapped lines joined into paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from .base import Block
from .grid import Box, boxes_to_cells, cluster_values
from .layout import Line, cell_text, glyphs_to_lines, lines_to_paragraphs, margins, split_line


@dataclass
class PageTable:
    boxes: list[Box]
    page: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    last_page: int = 0  # the page its last rows are on, once joined with continuations

    def __post_init__(self) -> None:
        self.last_page = self.last_page or self.page
        self.refit()

    def refit(self) -> None:
        if self.boxes:
            self.x0 = min(b.x0 for b in self.boxes)
            self.x1 = max(b.x1 for b in self.boxes)
            self.top = min(b.top for b in self.boxes)
            self.bottom = max(b.bottom for b in self.boxes)


@dataclass
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)  # text outside tables
    tables: list[PageTable] = field(default_factory=list)


def fill_boxes(boxes: list[Box], lines_in: list[Line]) -> None:
    """Set each box's text from the glyphs whose centre falls inside it."""
    glyphs = [g for ln in lines_in for g in ln.glyphs]
    buckets: dict[int, list] = {}
    for g in glyphs:
        cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
        best = None
        for i, b in enumerate(boxes):
            if b.x0 <= cx <= b.x1 and b.top <= cy <= b.bottom and (
                    best is None or (b.x1 - b.x0) * (b.bottom - b.top) < area(boxes[best])):
                best = i
        if best is not None:
            buckets.setdefault(best, []).append(g)
    for i, gs in buckets.items():
        boxes[i].text = cell_text(glyphs_to_lines(gs))
        boxes[i].conf = [g.conf for g in gs]


def area(b: Box) -> float:
    return (b.x1 - b.x0) * (b.bottom - b.top)


# --- running headers, footers, page numbers -------------------------------------------------

_PAGE_NO = re.compile(r"^[\s\-—–_·•]*(第\s*\d+\s*页(\s*[,,/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d{1,4}"
                      r"|[-—–]\s*\d{1,4}\s*[-—–]|page\s*\d+(\s*of\s*\d+)?)[\s\-—–_·•]*$", re.I)


def drop_running_lines(pages: list[Page]) -> None:
    """Remove page numbers and lines repeated in the top/bottom margin of most pages."""
    def zone(p: Page, ln: Line) -> bool:
        return ln.bottom < p.height * 0.09 or ln.top > p.height * 0.91

    def key(ln: Line) -> str:
        return re.sub(r"\d+", "#", re.sub(r"\s+", "", ln.text))

    counts: Counter[str] = Counter()
    for p in pages:
        counts.update({key(ln) for ln in p.lines if zone(p, ln)})
    need = max(2, (len(pages) + 1) // 2)
    for p in pages:
        p.lines = [ln for ln in p.lines
                   if not (zone(p, ln) and (_PAGE_NO.match(ln.text) or counts[key(ln)] >= need))]


# --- tables drawn without ruling lines --------------------------------------------------------

def find_text_tables(page: Page) -> None:
    """Turn runs of lines split into aligned columns by wide blanks into table boxes."""
    lines = page.lines
    parts = [split_line(ln) for ln in lines]
    out_lines: list[Line] = []
    i = 0
    while i < len(lines):
        j = i
        while (j < len(lines) and len(parts[j]) >= 2
               and (j == i or lines[j].top - lines[j - 1].bottom < 1.5 * lines[j].size)):
            j += 1
        run = list(range(i, j))
        cols = _columns([p for k in run for p in parts[k]]) if len(run) >= 3 else []
        if len(cols) >= 3 and sum(1 for k in run if len(parts[k]) >= 3) >= 2:
            boxes: list[Box] = []
            for k in run:
                ln = lines[k]
                for c0, c1 in cols:
                    inside = [p for p in parts[k] if c0 <= (p.x0 + p.x1) / 2 <= c1]
                    text = " ".join(p.text for p in inside)
                    boxes.append(Box(c0, ln.top, c1, ln.bottom, text, [g.conf for p in inside for g in p.glyphs]))
            # rows touch so the grid has no gaps: stretch each row to the next one's top
            tops = sorted({b.top for b in boxes})
            for b in boxes:
                nxt = [t for t in tops if t > b.top]
                if nxt:
                    b.bottom = nxt[0]
            page.tables.append(PageTable(boxes, page.number))
            i = j
            continue
        j = max(j, i + 1)
        out_lines.extend(lines[i:j])
        i = j
    page.lines = out_lines


def _columns(pieces: list[Line]) -> list[tuple[float, float]]:
    spans = sorted((p.x0, p.x1) for p in pieces)
    cols: list[list[float]] = []
    for x0, x1 in spans:
        if cols and x0 <= cols[-1][1]:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    return [(c[0], c[1]) for c in cols]


# --- tables continued on the next page --------------------------------------------------------

def _xs(t: PageTable, tol: float) -> list[float]:
    return cluster_values([b.x0 for b in t.boxes] + [b.x1 for b in t.boxes], tol)


def _subset(a: list[float], b: list[float], tol: float) -> bool:
    return all(any(abs(x - y) <= tol for y in b) for x in a)


def continues(a: PageTable, b: PageTable, tol: float) -> bool:
    """Same outer width and one table's column lines a subset of the other's."""
    if abs(a.x0 - b.x0) > tol or abs(a.x1 - b.x1) > tol:
        return False
    xa, xb = _xs(a, tol), _xs(b, tol)
    return _subset(xa, xb, tol) or _subset(xb, xa, tol)


def _row_sig(boxes: list[Box], top: float, tol: float) -> list[tuple[int, int, str]]:
    return sorted((round(b.x0 / tol), round(b.x1 / tol), re.sub(r"\s+", "", b.text))
                  for b in boxes if abs(b.top - top) <= tol)


def join_tables(a: PageTable, b: PageTable, tol: float) -> None:
    """Append b (the next page's part) below a, in a's coordinates."""
    xa = _xs(a, tol)
    # drop header rows the next page repeats
    a_tops = cluster_values([x.top for x in a.boxes], tol)
    for a_top in a_tops[:3]:
        b_top = min(x.top for x in b.boxes)
        sig_a = [(s[0], s[1], s[2]) for s in _row_sig(a.boxes, a_top, tol)]
        sig_b = _row_sig(b.boxes, b_top, tol)
        if not sig_b or not any(s[2] for s in sig_b) or sig_a != sig_b:
            break
        b.boxes = [x for x in b.boxes if abs(x.top - b_top) > tol]
        if not b.boxes:
            return
    b.refit()
    dy = a.bottom - b.top
    for x in b.boxes:
        x.top += dy
        x.bottom += dy
        x.x0 = min(xa, key=lambda v: abs(v - x.x0)) if min(abs(v - x.x0) for v in xa) <= tol else x.x0
        x.x1 = min(xa, key=lambda v: abs(v - x.x1)) if min(abs(v - x.x1) for v in xa) <= tol else x.x1
    # a merged cell cut by the page break: the next page shows its empty remainder
    last_tops = [x.top for x in a.boxes if abs(x.bottom - a.bottom) <= tol]
    last_row_top = max(last_tops) if last_tops else a.bottom
    for x in list(b.boxes):
        if x.text.strip() or abs(x.top - a.bottom) > tol:
            continue
        above = [y for y in a.boxes if abs(y.bottom - a.bottom) <= tol and abs(y.x0 - x.x0) <= tol
                 and abs(y.x1 - x.x1) <= tol and y.top < last_row_top - tol and y.text.strip()]
        if above:
            above[0].bottom = x.bottom
            b.boxes.remove(x)
    a.boxes.extend(b.boxes)
    a.refit()


# --- assembly ---------------------------------------------------------------------------------

def assemble(pages: list[Page], tol: float = 3.0) -> list[Block]:
    """Pages in order -> blocks: tables joined across page breaks, lines joined into paragraphs."""
    drop_running_lines(pages)
    flow: list[Line | PageTable] = []
    for p in pages:
        for ln in p.lines:
            ln.page = p.number
        items: list[tuple[float, int, Line | PageTable]] = [(ln.top, 1, ln) for ln in p.lines]
        items += [(t.top, 0, t) for t in p.tables]
        items.sort(key=lambda it: (it[0], it[1]))
        for _, _, it in items:
            prev = flow[-1] if flow else None
            if (isinstance(it, PageTable) and isinstance(prev, PageTable) and prev.page != it.page
                    and prev.last_page == it.page - 1 and continues(prev, it, tol)):
                join_tables(prev, it, tol)
                prev.last_page = it.page
                continue
            flow.append(it)
    body = [x for x in flow if isinstance(x, Line)]
    left, right = margins(body)
    if len(body) < 8 and pages:  # too few lines to tell the right margin: assume symmetric margins
        right = max(right, max(p.width for p in pages) - left)
    blocks: list[Block] = []
    run: list[Line] = []

    def flush() -> None:
        for text, seg in lines_to_paragraphs(run, left, right):
            blocks.append(Block("para", text=text, page=seg[0].page,
                                confidence=round(sum(ln.conf for ln in seg) / len(seg), 3)))
        run.clear()

    n_tables = 0
    for it in flow:
        if isinstance(it, Line):
            run.append(it)
            continue
        flush()
        cells = boxes_to_cells(it.boxes, tol)
        if not cells:
            continue
        confs = [c for b in it.boxes for c in b.conf]
        blocks.append(Block("table", cells=cells, page=it.page, table_index=n_tables,
                            confidence=round(sum(confs) / len(confs), 3) if confs else 1.0))
        n_tables += 1
    flush()
    return blocks
