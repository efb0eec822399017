"""Columns of space-aligned text tables (`pdftotext -layout`, reports typed in fixed width).

In such text a blank cell is only a wider gap: `3    132    —` and `3           1` look alike
to a reader of tokens. The columns are where the numbers stand. Within a block of consecutive
lines that end in numbers, the rows printing every column fix each column's span (in display
width, a CJK character counting two); a row printing fewer numbers puts each in the column
whose span it overlaps. Where spans overlap or a number fits no column, nothing is decided
here and the relations place the cells instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..normalize.numbers import parse_number

_GAP = re.compile(r"[ \u3000\u00a0]{2,}")
_PIECE = re.compile(r"\S+")


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _row(line: str) -> list[tuple[int, int, int]] | None:
    """(offset in line, display start, display end) of the value pieces ending an aligned row."""
    if "|" in line or "\t" in line or not _GAP.search(line):
        return None
    pieces = [(m.start(), m.group()) for m in _PIECE.finditer(line)]
    vals: list[tuple[int, int, int]] = []
    for off, p in reversed(pieces):
        if parse_number(p) is None:  # neither a value nor a blank mark
            break
        x = _width(line[:off])
        vals.append((off, x, x + _width(p)))
    vals.reverse()
    if not vals or len(vals) == len(pieces):
        return None  # a row has a label before its numbers
    # the label is set off from the numbers by a wide gap, as the numbers are from each other
    first = vals[0][0]
    if not _GAP.search(line[max(0, first - 2):first + 1]):
        return None
    return vals


@lru_cache(maxsize=8)
def aligned_columns(text: str) -> dict[int, tuple[int, int]]:
    """Text offset of each value piece in an aligned block -> (column, number of columns)."""
    out: dict[int, tuple[int, int]] = {}
    block: list[tuple[int, list[tuple[int, int, int]]]] = []
    pos = 0
    for line in text.split("\n") + [""]:
        row = _row(line)
        if row is not None:
            block.append((pos, row))
        else:
            if len(block) >= 2:
                _place_block(block, out)
            block = []
        pos += len(line) + 1
    return out


def _place_block(block: list[tuple[int, list[tuple[int, int, int]]]], out: dict[int, tuple[int, int]]) -> None:
    k = max(len(r) for _, r in block)
    full = [r for _, r in block if len(r) == k]
    # rows pushed right by an overlong label do not define the columns
    ref = sorted(full, key=lambda r: r[0][1])[len(full) // 2]
    full = [r for r in full if all(x0 < b and a < x1 for (_, x0, x1), (_, a, b) in zip(r, ref, strict=True))]
    if len(full) < 2 or len(full) < len(block) / 3:
        return
    spans = [(min(r[j][1] for r in full), max(r[j][2] for r in full)) for j in range(k)]
    if any(spans[j][1] > spans[j + 1][0] for j in range(k - 1)):
        return  # columns overlap: not a fixed-width table
    for start, row in block:
        cols: list[int] = []
        for _, x0, x1 in row:
            hit = [j for j, (a, b) in enumerate(spans) if x0 < b and a < x1]
            if len(hit) != 1:
                break
            cols.append(hit[0])
        else:
            if all(a < b for a, b in zip(cols, cols[1:], strict=False)):
                for (off, _, _), j in zip(row, cols, strict=True):
                    out[start + off] = (j, k)
