"""Positioned glyphs or OCR words -> text lines -> paragraphs, shared by the PDF and OCR readers.

Paged forms give characters with boxes, not text. Lines are rebuilt from vertical overlap,
spaces only where a gap is real (never LibreOffice's CJK/Latin auto-spacing), and wrapped
lines are joined back into the paragraphs the HTML form of the same report would have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(slots=True)
class Glyph:
    """A character (PDF) or word (OCR) with its box; y grows downwards."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float = 1.0

    @property
    def size(self) -> float:
        """Font size: a CJK glyph is one em wide, often wider than its reported height."""
        h = self.bottom - self.top
        if len(self.text) == 1 and is_cjk(self.text):
            return max(h, self.x1 - self.x0, 0.1)
        return max(h, 0.1)


@dataclass(slots=True)
class Line:
    glyphs: list[Glyph] = field(default_factory=list)
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    page: int | None = None

    @property
    def text(self) -> str:
        return join_glyphs(self.glyphs)

    @property
    def size(self) -> float:
        sizes = sorted(g.size for g in self.glyphs)
        return sizes[len(sizes) // 2] if sizes else 1.0

    @property
    def conf(self) -> float:
        return sum(g.conf for g in self.glyphs) / len(self.glyphs) if self.glyphs else 1.0


_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014]")


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def join_pieces(left: str, right: str, gap_is_space: bool) -> str:
    """Join two runs of text; a space only between non-CJK ends that are apart on the page."""
    if not left:
        return right
    if not right:
        return left
    if gap_is_space and not is_cjk(left[-1]) and not is_cjk(right[0]) and not left.endswith(" ") \
            and not right.startswith(" "):
        return left + " " + right
    return left + right


def join_glyphs(glyphs: list[Glyph]) -> str:
    """Glyphs of one line, left to right, with spaces where the gap is a real word gap."""
    out = ""
    prev: Glyph | None = None
    for g in sorted(glyphs, key=lambda g: g.x0):
        if prev is None:
            out = g.text
        else:
            gap = g.x0 - prev.x1
            size = min(g.size, prev.size)
            wide = gap > 0.25 * size
            if wide and gap > 2.0 * size and (is_cjk(out[-1:]) or is_cjk(g.text[:1])):
                out = out.rstrip() + " " + g.text.lstrip()  # a visible blank between CJK runs
            else:
                out = join_pieces(out, g.text, wide)
        prev = g
    return re.sub(r" {2,}", " ", out).strip()


def glyphs_to_lines(glyphs: list[Glyph]) -> list[Line]:
    """Group glyphs into lines by vertical overlap (robust to mixed font sizes on a line)."""
    lines: list[Line] = []
    for g in sorted(glyphs, key=lambda g: (g.top + g.bottom) / 2):
        if not g.text.strip():
            continue
        mid = (g.top + g.bottom) / 2
        target = None
        for ln in reversed(lines[-3:]):
            reach = 0.5 * max(g.size, ln.bottom - ln.top, 1)
            if ln.top - 0.1 <= mid <= ln.bottom + 0.1 and abs(mid - (ln.top + ln.bottom) / 2) < reach:
                target = ln
                break
        if target is None:
            lines.append(Line([g], g.x0, g.top, g.x1, g.bottom))
        else:
            target.glyphs.append(g)
            target.x0, target.x1 = min(target.x0, g.x0), max(target.x1, g.x1)
            target.top, target.bottom = min(target.top, g.top), max(target.bottom, g.bottom)
    # keep space glyphs out of line extents but inside the text where they were written
    for ln in lines:
        ln.glyphs.sort(key=lambda g: g.x0)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    return lines


def split_line(line: Line, gap_factor: float = 1.8) -> list[Line]:
    """Pieces of a line separated by wide blanks (columns of a table drawn without rules)."""
    parts: list[Line] = []
    gap = gap_factor * line.size
    for g in line.glyphs:
        if parts and g.x0 - parts[-1].x1 <= gap:
            p = parts[-1]
            p.glyphs.append(g)
            p.x1 = max(p.x1, g.x1)
            p.top, p.bottom = min(p.top, g.top), max(p.bottom, g.bottom)
        else:
            parts.append(Line([g], g.x0, g.top, g.x1, g.bottom, line.page))
    return parts


def cell_text(lines: list[Line]) -> str:
    """Text of a table cell: wrapped lines joined back (no break inside CJK text)."""
    out = ""
    for ln in lines:
        out = join_pieces(out, ln.text, True)
    return out


_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|[((][一二三四五六七八九十]+[))]|第[一二三四五六七八九十]+[章节条部分]|\d+[、.．]\D)")


def lines_to_paragraphs(lines: list[Line], left: float, right: float) -> list[tuple[str, list[Line]]]:
    """Join wrapped lines into paragraphs: a new one starts after a short line, at an indent,
    a heading number or a large vertical gap. Returns (text, its lines) pairs."""
    paras: list[tuple[str, list[Line]]] = []
    cur = ""
    seg: list[Line] = []
    prev: Line | None = None
    for ln in lines:
        text = ln.text
        if not text:
            continue
        size = ln.size
        new = prev is None
        if prev is not None:
            # a wrapped line can end up to a few characters short (line-breaking rules keep
            # punctuation with its word), so a modestly short line ends a paragraph only when
            # it ends a sentence
            ends = prev.text.endswith(("。", ";", ";", ":", ":", "!", "?", "!", "?", ")", ")", "”", "."))
            prev_short = prev.x1 < right - 6.0 * size or (ends and prev.x1 < right - 1.5 * size)
            indented = ln.x0 > left + 1.2 * size
            same_page = prev.page == ln.page
            gap = ln.top - prev.bottom if same_page else 0.0
            centred_pair = (abs((ln.x0 + ln.x1) - (prev.x0 + prev.x1)) < size and ln.x0 > left + size
                            and same_page and gap < size and abs(prev.size - size) < 0.5
                            and not prev.text.endswith(("。", ";", ";", ":", ":", "!", "?")))
            if centred_pair:
                new = False
            else:
                new = prev_short or indented or gap > 1.2 * size or bool(_HEADING.match(text))
        if new:
            if cur:
                paras.append((cur, seg))
            cur, seg = text, [ln]
        else:
            cur = join_pieces(cur, text, True)
            seg.append(ln)
        prev = ln
    if cur:
        paras.append((cur, seg))
    return paras


def margins(lines: list[Line]) -> tuple[float, float]:
    """Left and right text margins: where body lines start (smallest common x) and end."""
    if not lines:
        return 0.0, 0.0
    lefts = sorted(ln.x0 for ln in lines)
    need = max(2, len(lefts) // 10)
    left = next((v for v in lefts if sum(1 for w in lefts if abs(w - v) <= 2) >= need), lefts[0])
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(len(rights) * 0.9)] if len(rights) > 3 else rights[-1]
    return left, right
