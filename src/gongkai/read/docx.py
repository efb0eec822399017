"""DOCX reports: body paragraphs and tables in document order, merged cells as spans.

python-docx's `table.rows[i].cells` repeats a merged cell's text in every slot it covers,
so the XML is walked directly: `w:gridSpan` gives colspan, a `w:vMerge` run gives rowspan,
`w:gridBefore` shifts a row. As for HTML, a table holding tables is a layout container:
its cells are read as body text and only the innermost tables become table blocks.
"""

from __future__ import annotations

import io
import zipfile

from ..model import GongkaiError
from .base import Block, SourceDoc, TCell

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _val(el, tag: str) -> str | None:  # noqa: ANN001 - lxml element
    child = el.find(tag) if el is not None else None
    if child is None:
        return None
    return child.get(f"{W}val", "")


def _int(v: str | None, default: int) -> int:
    try:
        return max(0, min(int(v), 1000)) if v is not None else default
    except ValueError:
        return default


def para_text(p) -> str:  # noqa: ANN001 - lxml w:p element
    """Visible text of a paragraph (runs, hyperlinks, insertions; not deletions or fallbacks)."""
    parts: list[str] = []

    def rec(el) -> None:  # noqa: ANN001
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag == MC_FALLBACK or tag == f"{W}del":
                continue
            if tag == f"{W}t":
                parts.append(ch.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}p" and parts:
                parts.append("\n")  # text-box paragraphs inside a run
                rec(ch)
            else:
                rec(ch)

    rec(p)
    return "".join(parts)


class _Reader:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.n_tables = 0

    def body(self, parent) -> None:  # noqa: ANN001
        for el in parent:
            tag = el.tag
            if tag == f"{W}p":
                text = para_text(el).strip()
                for line in text.split("\n"):
                    if line.strip():
                        self.blocks.append(Block("para", text=line.strip()))
            elif tag == f"{W}tbl":
                self.table(el)
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}smartTag"):
                self.body(el)

    def table(self, tbl) -> None:  # noqa: ANN001
        if tbl.find(f".//{W}tbl") is not None:  # layout table: read its cells as body text
            for tc in tbl.iter(f"{W}tc"):
                if tc.getparent().getparent() is tbl:
                    self.body(tc)
            return
        cells = table_cells(tbl)
        if cells:
            self.blocks.append(Block("table", cells=cells, table_index=self.n_tables))
            self.n_tables += 1


def table_cells(tbl) -> list[TCell]:  # noqa: ANN001
    """Cells of one table on its grid, vertical merges folded into the starting cell and
    hair-thin grid columns folded away."""
    cells = _raw_cells(tbl)
    lmap = _grid_map(tbl)
    if lmap is None:
        return cells
    out: list[TCell] = []
    for c in cells:
        end = c.col + c.colspan
        if end >= len(lmap) or c.col >= len(lmap):
            return cells  # rows wider than the declared grid: keep the raw columns
        start, stop = lmap[c.col], lmap[end]
        if stop <= start:
            if not c.text:
                continue  # a sliver cell left by a conversion
            stop = start + 1
        c.col, c.colspan = start, stop - start
        out.append(c)
    return out


SLIVER_TWIPS = 150  # ~2.6 mm: narrower grid columns are conversion artefacts, not columns


def _grid_map(tbl) -> list[int] | None:  # noqa: ANN001
    """Logical column of each grid line, with lines closer than a sliver merged.

    Word and LibreOffice add a hair-thin grid column when cell edges in different rows
    differ slightly; HTML of the same report has no such column."""
    grid = tbl.find(f"{W}tblGrid")
    if grid is None:
        return None
    widths = [_int(g.get(f"{W}w"), 0) for g in grid.findall(f"{W}gridCol")]
    if not widths or not any(w < SLIVER_TWIPS for w in widths):
        return None
    pos = [0]
    for w in widths:
        pos.append(pos[-1] + w)
    lmap = [0]
    anchor = 0
    for p in pos[1:]:
        if p - anchor >= SLIVER_TWIPS:
            lmap.append(lmap[-1] + 1)
            anchor = p
        else:
            lmap.append(lmap[-1])
    return lmap


def _raw_cells(tbl) -> list[TCell]:  # noqa: ANN001
    cells: list[TCell] = []
    open_v: dict[int, TCell] = {}  # grid column -> cell whose vMerge is still running
    r = 0
    for tr in tbl.iter(f"{W}tr"):
        if tr.getparent() is not tbl:
            continue
        col = _int(_val(tr.find(f"{W}trPr"), f"{W}gridBefore"), 0)
        seen: set[int] = set()
        for tc in tr.findall(f"{W}tc"):
            pr = tc.find(f"{W}tcPr")
            span = max(1, _int(_val(pr, f"{W}gridSpan"), 1))
            vm = _val(pr, f"{W}vMerge")
            hm = _val(pr, f"{W}hMerge")
            if hm is not None and hm != "restart" and cells and cells[-1].row == r:
                cells[-1].colspan += span  # legacy horizontal merge continues the left cell
                col += span
                continue
            if vm is not None and vm != "restart" and col in open_v:
                cell = open_v[col]
                cell.rowspan = r - cell.row + 1
                seen.add(col)
                col += span
                continue
            text = "\n".join(t for t in (para_text(p).strip() for p in tc.iter(f"{W}p")) if t)
            cell = TCell(text, r, col, 1, span)
            cells.append(cell)
            if vm == "restart":
                open_v[col] = cell
                seen.add(col)
            col += span
        for k in [k for k in open_v if k not in seen]:
            del open_v[k]
        r += 1
    return cells


def read_docx(data: bytes, name: str) -> SourceDoc:
    """Decode a .docx (also the files LibreOffice converts DOC/WPS/RTF into)."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    label = name or "DOCX 文件"
    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise GongkaiError(f"{label}: DOCX 文件已损坏,无法打开({type(e).__name__})") from None
    except Exception as e:  # noqa: BLE001 - malformed XML and the like
        raise GongkaiError(f"{label}: DOCX 文件无法解析({type(e).__name__})") from None
    rd = _Reader()
    rd.body(doc.element.body)
    title = (doc.core_properties.title or "").strip() or None
    return SourceDoc(rd.blocks, "docx", name or None, title=title)
