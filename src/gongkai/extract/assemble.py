"""Lay a SourceDoc out as one normalised working text, remembering where each piece came from.

Paragraphs become lines; a table row becomes one line with its cells separated by `|`.
The working text is `Report.text`: every cell's character span points into it, and the
segment map turns a span back into the source table cell or page.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from ..model import Source
from ..normalize import Normalizer
from ..read.base import SourceDoc

SEP = "|"


@dataclass
class Work:
    text: str
    seg_starts: list[int] = field(default_factory=list)
    seg_ends: list[int] = field(default_factory=list)
    seg_src: list[Source] = field(default_factory=list)
    seg_conf: dict[int, float] = field(default_factory=dict)  # segment index -> OCR confidence < 1
    form: str = "text"

    def source(self, start: int, end: int) -> Source:
        """Provenance for a span of the working text: table cell / page when known."""
        i = bisect.bisect_right(self.seg_starts, start) - 1
        if 0 <= i < len(self.seg_src) and start < self.seg_ends[i] + 1:
            s = self.seg_src[i]
            return Source(start, end, s.table, s.row, s.col, s.page)
        return Source(start, end)

    def confidence(self, start: int, end: int) -> float:
        """Lowest OCR confidence of the source cells under a span (1.0 when not OCR'd)."""
        if not self.seg_conf:
            return 1.0
        i = max(0, bisect.bisect_right(self.seg_starts, start) - 1)
        out = 1.0
        while i < len(self.seg_starts) and self.seg_starts[i] < max(end, start + 1):
            if self.seg_ends[i] > start:
                out = min(out, self.seg_conf.get(i, 1.0))
            i += 1
        return out


_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _text_layout(text: str) -> str:
    """Undo layouts that only plain text has: double-spaced one-cell-per-line, markdown rules.

    In a double-spaced layout every cell is followed by one blank line, so an empty cell shows
    as an extra blank line: removing one line break from every run keeps empty cells as blank
    lines of a single-spaced layout.
    """
    lines = text.split("\n")
    lines = [ln for ln in lines if not _MD_RULE.match(ln)]
    nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(nonblank) > 20:
        gaps = [b - a for a, b in zip(nonblank, nonblank[1:], strict=False)]
        double = sum(1 for g in gaps if g >= 2)
        if double >= 0.8 * len(gaps):
            out: list[str] = []
            i = 0
            while i < len(lines):
                out.append(lines[i])
                # after a cell, skip exactly one following blank line (the spacing)
                if lines[i].strip() and i + 1 < len(lines) and not lines[i + 1].strip():
                    i += 1
                i += 1
            lines = out
    return "\n".join(lines)


def assemble(doc: SourceDoc) -> Work:
    sample = "".join(b.text if b.kind == "para" else "".join(c.text for c in b.cells[:200]) for b in doc.blocks[:400])
    norm = Normalizer(sample)
    parts: list[str] = []
    pos = 0
    w = Work("", form=doc.form)

    def add(s: str, src: Source | None = None, conf: float = 1.0) -> None:
        nonlocal pos
        if src is not None:
            if conf < 1.0:
                w.seg_conf[len(w.seg_starts)] = conf
            w.seg_starts.append(pos)
            w.seg_ends.append(pos + len(s))
            w.seg_src.append(src)
        parts.append(s)
        pos += len(s)

    for b in doc.blocks:
        if b.kind == "para":
            t = norm(b.text)
            if doc.form == "text":
                t = _text_layout(t.replace("\r\n", "\n"))
            add(t, Source(page=b.page) if b.page else None)
            add("\n")
        else:
            for r, row in enumerate(b.rows()):
                for k, c in enumerate(row):
                    if k:
                        add(SEP)
                    t = norm(c.text).replace("\n", " ").replace(SEP, "/")
                    add(t, Source(table=b.table_index, row=c.row, col=c.col, page=b.page), c.conf)
                add("\n")
                del r
    w.text = "".join(parts)
    return w
