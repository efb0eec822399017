"""Turn cell rectangles (from PDF ruling lines or lines found in a scan) into spanned `TCell`s.

Paged readers only know where each cell box sits. A merged cell is simply a bigger box, so
rows and columns are the distinct box edges, and a box's span is how many of them it covers.
This keeps PDF and OCR tables on the same grid model as HTML (`rowspan`/`colspan`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .base import TCell


@dataclass(slots=True)
class Box:
    """A cell rectangle in page (or stacked-page) coordinates, y growing downwards."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""
    conf: list[float] = field(default_factory=list)  # OCR word confidences inside the cell


def cluster_values(values: Iterable[float], tol: float) -> list[float]:
    """Sorted representatives of values, merging those within `tol` of their neighbour."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def boxes_to_cells(boxes: list[Box], tol: float) -> list[TCell]:
    """Place boxes on the grid of their distinct edges; spans count the grid lines crossed."""
    if not boxes:
        return []
    xs = cluster_values([b.x0 for b in boxes] + [b.x1 for b in boxes], tol)
    ys = cluster_values([b.top for b in boxes] + [b.bottom for b in boxes], tol)
    placed: dict[tuple[int, int], TCell] = {}
    for b in sorted(boxes, key=lambda b: (b.top, b.x0)):
        c0, c1 = _index(xs, b.x0), _index(xs, b.x1)
        r0, r1 = _index(ys, b.top), _index(ys, b.bottom)
        if c1 <= c0 or r1 <= r0 or (r0, c0) in placed:
            continue
        placed[(r0, c0)] = TCell(b.text, r0, c0, r1 - r0, c1 - c0, min(b.conf) if b.conf and b.text.strip() else 1.0)
    cells = list(placed.values())
    # grid lines that start no row/column (edges only some boxes have) would leave empty
    # rows or columns; renumber to the lines cells actually start on
    row_starts = sorted({c.row for c in cells} | {c.row + c.rowspan for c in cells})
    col_starts = sorted({c.col for c in cells} | {c.col + c.colspan for c in cells})
    rmap = {v: i for i, v in enumerate(row_starts)}
    cmap = {v: i for i, v in enumerate(col_starts)}
    for c in cells:
        r_end, c_end = rmap[c.row + c.rowspan], cmap[c.col + c.colspan]
        c.row, c.col = rmap[c.row], cmap[c.col]
        c.rowspan, c.colspan = max(1, r_end - c.row), max(1, c_end - c.col)
    cells.sort(key=lambda c: (c.row, c.col))
    return cells


def group_boxes(boxes: list[Box], tol: float) -> list[list[Box]]:
    """Split cell boxes into tables: boxes sharing an edge (touching) belong together."""
    n = len(boxes)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    order = sorted(range(n), key=lambda i: boxes[i].top)
    for a_pos, i in enumerate(order):
        a = boxes[i]
        for j in order[a_pos + 1:]:
            b = boxes[j]
            if b.top > a.bottom + tol:
                break
            if b.x0 <= a.x1 + tol and a.x0 <= b.x1 + tol:
                parent[find(i)] = find(j)
    groups: dict[int, list[Box]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(boxes[i])
    return sorted(groups.values(), key=lambda g: min(b.top for b in g))


def boxes_from_segments(h: list[tuple[float, float, float]], v: list[tuple[float, float, float]],
                        tol: float) -> list[Box]:
    """Cell boxes enclosed by ruling segments: h=(y, x0, x1), v=(x, top, bottom).

    Uses pdfplumber's intersection/cell finder so scans and PDFs agree on what a cell is.
    """
    from pdfplumber.table import edges_to_intersections, intersections_to_cells, merge_edges

    edges = [{"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0}
             for y, x0, x1 in h]
    edges += [{"orientation": "v", "x0": x, "x1": x, "top": t, "bottom": b, "width": 0, "height": b - t}
              for x, t, b in v]
    edges = merge_edges(edges, tol, tol, tol, tol)
    cells = intersections_to_cells(edges_to_intersections(edges, tol, tol))
    return [Box(c[0], c[1], c[2], c[3]) for c in cells]
