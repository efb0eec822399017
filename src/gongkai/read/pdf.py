"""PDF reports: the text layer via pdfplumber, scanned pages via OCR.

Tables come from ruling lines (pdfplumber's edge/intersection finder, so single-cell rows
and merged cells keep their boxes) or, where nothing is drawn, from aligned text columns.
pypdfium2 opens the file first: it is fast and strict, so encrypted, corrupt or truncated
files fail at once with a clear message instead of deep inside the layout analysis.
"""

from __future__ import annotations

import io
import os
import time

from ..model import GongkaiError
from .base import SourceDoc
from .grid import Box, group_boxes
from .layout import Glyph, glyphs_to_lines
from .paged import Page, PageTable, assemble, fill_boxes, find_text_tables

MAX_PAGES = 200
TIME_LIMIT = float(os.environ.get("GONGKAI_PDF_TIMEOUT", "120"))  # seconds for the text layer
MIN_TEXT_CHARS = 10  # fewer glyphs than this on an image-covered page: treat it as scanned


def _label(name: str) -> str:
    return name or "PDF 文件"


def check_pdf(data: bytes, name: str) -> int:
    """Open with pdfium to reject unreadable files early; returns the page count."""
    import pypdfium2 as pdfium

    label = _label(name)
    if b"%%EOF" not in data[-2048:]:
        raise GongkaiError(f"{label}: PDF 文件不完整(缺少结束标记,可能下载中断或被截断)")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        msg = str(e).lower()
        if "password" in msg:
            raise GongkaiError(f"{label}: PDF 已加密(需要密码),无法读取") from None
        raise GongkaiError(f"{label}: PDF 文件已损坏,无法打开({e})") from None
    try:
        n = len(doc)
    finally:
        doc.close()
    if n == 0:
        raise GongkaiError(f"{label}: PDF 没有页面")
    return n


def _is_scanned(page) -> bool:  # noqa: ANN001 - pdfplumber page
    if len(page.chars) >= MIN_TEXT_CHARS:
        return False
    area = page.width * page.height or 1.0
    covered = sum(abs((im["x1"] - im["x0"]) * (im["bottom"] - im["top"])) for im in page.images)
    return covered >= 0.25 * area or not page.chars


def _image_dpi(page) -> float:  # noqa: ANN001 - pdfplumber page
    """Resolution of the page's largest image: OCR reads best at the scan's own resolution."""
    best, dpi = 0.0, 0.0
    for im in page.images:
        w_pt = abs(im["x1"] - im["x0"])
        area = w_pt * abs(im["bottom"] - im["top"])
        src = im.get("srcsize") or (0, 0)
        if area > best and w_pt > 0 and src[0]:
            best, dpi = area, src[0] / (w_pt / 72)
    return dpi


_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
                   "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


def text_page(page, number: int) -> Page:  # noqa: ANN001 - pdfplumber page
    """One page's text lines and ruled tables (boxes filled with their glyphs' text)."""
    page = page.dedupe_chars()
    glyphs = [Glyph(c["text"], c["x0"], c["top"], c["x1"], c["bottom"]) for c in page.chars]
    out = Page(number, float(page.width), float(page.height))
    try:
        cells = page.debug_tablefinder(_TABLE_SETTINGS).cells
    except Exception:  # noqa: BLE001 - odd drawings must not lose the page's text
        cells = []
    boxes = [Box(x0, top, x1, bottom) for x0, top, x1, bottom in cells if x1 - x0 > 3 and bottom - top > 3]
    inside: set[int] = set()
    for group in group_boxes(boxes, 1.5):
        gx0, gx1 = min(b.x0 for b in group), max(b.x1 for b in group)
        gt, gb = min(b.top for b in group), max(b.bottom for b in group)
        members = []
        for i, g in enumerate(glyphs):
            cx, cy = (g.x0 + g.x1) / 2, (g.top + g.bottom) / 2
            if gx0 <= cx <= gx1 and gt <= cy <= gb:
                members.append(g)
                inside.add(i)
        fill_boxes(group, glyphs_to_lines(members))
        out.tables.append(PageTable(group, number))
    out.lines = glyphs_to_lines([g for i, g in enumerate(glyphs) if i not in inside])
    find_text_tables(out)
    return out


def read_pdf(data: bytes, name: str) -> SourceDoc:
    """Decode a PDF; scanned pages (no text layer) are rasterised and OCR'd."""
    import pdfplumber

    label = _label(name)
    n_pages = check_pdf(data, name)
    notes: list[str] = []
    if n_pages > MAX_PAGES:
        notes.append(f"PDF 共 {n_pages} 页,仅读取前 {MAX_PAGES} 页")
    deadline = time.monotonic() + TIME_LIMIT
    pages: list[Page | None] = []
    scanned: list[int] = []
    dpis: dict[int, float] = {}
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for i, page in enumerate(pdf.pages[:MAX_PAGES]):
                if time.monotonic() > deadline:
                    raise GongkaiError(f"{label}: PDF 解析超时(超过 {TIME_LIMIT:.0f} 秒,已读 {i} 页)")
                if _is_scanned(page):
                    scanned.append(i)
                    dpis[i] = _image_dpi(page)
                    pages.append(None)
                else:
                    pages.append(text_page(page, i + 1))
                page.close()
    except GongkaiError:
        raise
    except Exception as e:  # noqa: BLE001 - any pdfminer failure is a damaged file to the user
        kind = type(e).__name__
        if "Password" in kind or "Encrypt" in kind:
            raise GongkaiError(f"{label}: PDF 已加密,无法读取") from None
        raise GongkaiError(f"{label}: PDF 文件已损坏,无法解析({kind})") from None
    if scanned:
        from .ocr import ocr_pdf_pages

        ocr_pages, ocr_notes = ocr_pdf_pages(data, scanned, name, dpis)
        notes.extend(ocr_notes)
        for i, p in zip(scanned, ocr_pages, strict=True):
            pages[i] = p
    form = "scan" if len(scanned) * 2 > len(pages) else "pdf"
    tol = 3.0
    blocks = assemble([p for p in pages if p is not None], tol)
    if not blocks:
        notes.append("PDF 中没有可读取的文字")
    return SourceDoc(blocks, form, name or None, notes=notes)
