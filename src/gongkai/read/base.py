"""What every reader produces: a `SourceDoc`, an ordered list of paragraphs and tables.

Readers (text, HTML, PDF, OCR, DOCX, XLSX) only decode their format into blocks; all
cleaning happens in `gongkai.normalize`, all meaning in `gongkai.extract`. Tables are kept
as cells with their row/column (and spans), so a rebuilt grid and the provenance of each
number survive to the end of the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class TCell:
    """One source table cell as written (not repeated for the rows/columns it spans)."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    conf: float = 1.0  # OCR: lowest word confidence in the cell (0-1); 1.0 for born-digital forms


@dataclass(slots=True)
class Block:
    """A paragraph (`text`) or a table (`cells`), with the page it sits on for paged forms."""

    kind: str  # "para" | "table"
    text: str = ""
    cells: list[TCell] = field(default_factory=list)
    page: int | None = None
    table_index: int | None = None  # index among the document's tables
    confidence: float = 1.0  # OCR: mean word confidence of the block (0-1)

    def n_rows(self) -> int:
        return max((c.row + c.rowspan for c in self.cells), default=0)

    def n_cols(self) -> int:
        return max((c.col + c.colspan for c in self.cells), default=0)

    def rows(self) -> list[list[TCell]]:
        """Cells grouped by the row they start in, left to right (spanned copies left out)."""
        out: list[list[TCell]] = [[] for _ in range(self.n_rows())]
        for c in self.cells:
            out[c.row].append(c)
        for r in out:
            r.sort(key=lambda c: c.col)
        return out

    def grid(self) -> list[list[str]]:
        """The true grid: every spanned position filled with the spanning cell's text."""
        g = [["" for _ in range(self.n_cols())] for _ in range(self.n_rows())]
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    g[r][k] = c.text
        return g


@dataclass
class SourceDoc:
    """A decoded document, before normalisation."""

    blocks: list[Block]
    form: str  # text | html | pdf | scan | docx | xlsx | doc
    path: str | None = None
    title: str | None = None  # page/document title when the format has one
    posted: str | None = None  # ISO date the hosting page says it was published, when known
    notes: list[str] = field(default_factory=list)  # reader remarks (e.g. OCR low confidence)


def table_block(rows: list[list[str]], page: int | None = None) -> Block:
    """A table block from a plain list of rows (no spans): convenient for readers and tests."""
    cells = [TCell(t, r, c) for r, row in enumerate(rows) for c, t in enumerate(row)]
    return Block("table", cells=cells, page=page)
