"""HTML pages: paragraphs and data tables with rowspan/colspan kept, page chrome dropped.

Layout tables (a table that holds other tables) are walked as containers; only innermost
tables become table blocks. Text split by inline tags (`<span>1</span><span>2</span>`) is
joined; `<br>` and block tags end a line.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from .base import Block, SourceDoc, TCell

SKIP = {"script", "style", "noscript", "iframe", "nav", "header", "footer", "form", "select", "button",
        "option", "svg", "canvas", "object", "embed", "template", "head", "title", "textarea", "input"}
BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article", "table",
         "tr", "td", "th", "tbody", "thead", "tfoot", "blockquote", "pre", "dl", "dt", "dd", "center", "hr",
         "body", "main", "aside", "figure", "caption", "address"}
_DATE_META = ("pubdate", "publishdate", "firstpublishedtime", "publish_date", "article:published_time", "releasedate")


def _span(node: LexborNode, name: str) -> int:
    v = node.attributes.get(name) or "1"
    m = re.match(r"\s*(\d+)", v)
    n = int(m.group(1)) if m else 1
    return max(1, min(n, 1000))


class _Walker:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.line: list[str] = []
        self.n_tables = 0

    def flush(self) -> None:
        text = "".join(self.line).strip()
        self.line = []
        if text:
            for part in text.split("\n"):
                if part.strip():
                    self.blocks.append(Block("para", text=part.strip()))

    def walk(self, node: LexborNode) -> None:
        child = node.child
        while child is not None:
            self.visit(child)
            child = child.next

    def visit(self, node: LexborNode) -> None:
        tag = node.tag
        if tag == "-text":
            self.line.append(node.text_content or "")
            return
        if tag in SKIP or tag == "-comment" or tag is None:
            return
        if tag == "br":
            self.line.append("\n")
            return
        if tag == "table":
            if len(node.css("table")) > 1:  # layout table (holds other tables): a container
                self.flush()
                for cell in _cells_of(node):
                    self.walk(cell)
                    self.flush()
                return
            self.flush()
            block = _table(node)
            if block.cells:
                block.table_index = self.n_tables
                self.n_tables += 1
                self.blocks.append(block)
            return
        if tag in BLOCK:
            self.flush()
            self.walk(node)
            self.flush()
            return
        self.walk(node)


def _cells_of(table: LexborNode) -> list[LexborNode]:
    """Direct cells of a table (not of tables nested in it), in document order."""
    out: list[LexborNode] = []
    for tr in _rows_of(table):
        c = tr.child
        while c is not None:
            if c.tag in ("td", "th"):
                out.append(c)
            c = c.next
    return out


def _rows_of(table: LexborNode) -> list[LexborNode]:
    rows: list[LexborNode] = []
    c = table.child
    while c is not None:
        if c.tag == "tr":
            rows.append(c)
        elif c.tag in ("tbody", "thead", "tfoot"):
            r = c.child
            while r is not None:
                if r.tag == "tr":
                    rows.append(r)
                r = r.next
        c = c.next
    return rows


def _cell_text(node: LexborNode) -> str:
    parts: list[str] = []

    def rec(n: LexborNode) -> None:
        ch = n.child
        while ch is not None:
            if ch.tag == "-text":
                parts.append(ch.text_content or "")
            elif ch.tag == "br":
                parts.append("\n")
            elif ch.tag not in SKIP and ch.tag != "-comment":
                block = ch.tag in BLOCK
                if block:
                    parts.append("\n")
                rec(ch)
                if block:
                    parts.append("\n")
            ch = ch.next

    rec(node)
    text = "".join(parts)
    text = re.sub(r"[ \t\r\f\v\u00a0\u3000]+", " ", text)
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _table(node: LexborNode) -> Block:
    """Place cells on a true grid: a rowspan/colspan cell occupies every slot it covers."""
    cells: list[TCell] = []
    taken: set[tuple[int, int]] = set()
    for r, tr in enumerate(_rows_of(node)):
        col = 0
        c = tr.child
        while c is not None:
            if c.tag in ("td", "th"):
                while (r, col) in taken:
                    col += 1
                rs, cs = _span(c, "rowspan"), _span(c, "colspan")
                for dr in range(rs):
                    for dc in range(cs):
                        taken.add((r + dr, col + dc))
                cells.append(TCell(_cell_text(c), r, col, rs, cs))
                col += cs
            c = c.next
    # a rowspan running past the last row is clipped by n_rows(); keep the grid honest
    n_rows = len(_rows_of(node))
    for cell in cells:
        cell.rowspan = max(1, min(cell.rowspan, n_rows - cell.row))
    return Block("table", cells=cells)


def read_html(text: str, path: str | None = None) -> SourceDoc:
    tree = LexborHTMLParser(text)
    title = None
    t = tree.css_first("title")
    if t is not None:
        title = (t.text() or "").strip() or None
    posted = None
    for m in tree.css("meta"):
        name = (m.attributes.get("name") or m.attributes.get("property") or "").lower()
        if name in _DATE_META:
            content = m.attributes.get("content") or ""
            dm = re.search(r"(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})", content)
            if dm:
                posted = f"{int(dm.group(1)):04d}-{int(dm.group(2)):02d}-{int(dm.group(3)):02d}"
                break
    root = tree.body or tree.root
    w = _Walker()
    if root is not None:
        w.walk(root)
        w.flush()
    return SourceDoc(w.blocks, "html", path, title=title, posted=posted)


def looks_like_html(text: str) -> bool:
    head = text[:4000].lower()
    return bool(re.search(r"<(!doctype html|html|body|table|div|p)[\s>]", head)) and head.count("<") > 5
