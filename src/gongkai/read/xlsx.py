"""XLSX workbooks: each sheet's used range as one table, merged ranges as spans.

Reports published as spreadsheets put the title and notes in rows with a single filled
cell; those become paragraphs so the extractor sees them as text, not as a table row.
Merged ranges are only listed in non-read-only mode, so the workbook is opened normally
(report workbooks are small; the input size is already capped).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from ..model import GongkaiError
from .base import Block, SourceDoc, TCell

MAX_CELLS = 200_000


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v).strip()


def sheet_blocks(ws) -> list[Block]:  # noqa: ANN001 - openpyxl worksheet
    """One sheet -> paragraphs (single-cell rows above/below the grid) and one table block."""
    merged: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    rows: dict[int, list[tuple[int, str]]] = {}
    n = 0
    for row in ws.iter_rows():
        for cell in row:
            n += 1
            if n > MAX_CELLS:
                break
            text = _text(cell.value)
            if text and (cell.row, cell.column) not in covered:
                rows.setdefault(cell.row, []).append((cell.column, text))
    if not rows:
        return []
    # a row with one filled cell that spans (or nearly spans) the sheet is a title/note line
    def is_para_row(r: int) -> bool:
        cells = rows[r]
        return len(cells) == 1 and merged.get((r, cells[0][0]), (1, 1))[0] == 1 and (
            merged.get((r, cells[0][0]), (1, 1))[1] > 1 or len(cells[0][1]) > 12)

    order = sorted(rows)
    top = 0
    while top < len(order) and is_para_row(order[top]):
        top += 1
    bottom = len(order)
    while bottom > top and is_para_row(order[bottom - 1]):
        bottom -= 1
    blocks = [Block("para", text=rows[r][0][1]) for r in order[:top]]
    body = order[top:bottom]
    if body:
        r0, r1 = body[0], body[-1]
        c0 = min(c for r in body for c, _ in rows[r])
        c1 = max(c + merged.get((r, c), (1, 1))[1] - 1 for r in body for c, _ in rows[r])
        values = {(r, c): t for r in body for c, t in rows[r]}
        cells = []
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) in covered:
                    continue
                rs, cs = merged.get((r, c), (1, 1))
                cells.append(TCell(values.get((r, c), ""), r - r0, c - c0, min(rs, r1 - r + 1),
                                   min(cs, c1 - c + 1)))
        blocks.append(Block("table", cells=cells))
    blocks += [Block("para", text=rows[r][0][1]) for r in order[bottom:]]
    return blocks


def read_xlsx(data: bytes, name: str) -> SourceDoc:
    """Decode an .xlsx; every visible sheet in workbook order."""
    from openpyxl import load_workbook

    label = name or "XLSX 文件"
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise GongkaiError(f"{label}: XLSX 文件已损坏,无法打开({type(e).__name__})") from None
    except Exception as e:  # noqa: BLE001 - malformed XML and the like
        raise GongkaiError(f"{label}: XLSX 文件无法解析({type(e).__name__})") from None
    blocks: list[Block] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        blocks.extend(sheet_blocks(ws))
    n = 0
    for b in blocks:
        if b.kind == "table":
            b.table_index = n
            n += 1
    title = (wb.properties.title or "").strip() or None
    return SourceDoc(blocks, "xlsx", name or None, title=title)
