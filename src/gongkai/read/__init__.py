"""Read any form a report is published in into a `SourceDoc`.

`read_bytes` picks the reader by content; each reader lives in its own module and is
imported only when needed, so a text parse never pays for PDF or OCR libraries.
"""

from __future__ import annotations

from pathlib import Path

from ..model import GongkaiError
from .base import Block, SourceDoc, TCell, table_block
from .decode import decode_bytes
from .html import looks_like_html, read_html
from .sniff import sniff

MAX_BYTES = 200 * 1024 * 1024

IMAGE_KINDS = {"png", "jpeg", "tiff", "gif", "bmp", "webp"}


def read_text(text: str, path: str | None = None) -> SourceDoc:
    """Plain text (copied or crawled pages, pipe/markdown/tab tables, one cell per line)."""
    if looks_like_html(text):
        return read_html(text, path)
    return SourceDoc([Block("para", text=text)], "text", path)


def read_bytes(data: bytes, name: str = "") -> SourceDoc:
    """Decode a document of any supported form; raises GongkaiError with a Chinese reason."""
    label = name or "输入"
    if len(data) > MAX_BYTES:
        raise GongkaiError(f"{label}: 文件过大({len(data) // 1048576} MB),上限 {MAX_BYTES // 1048576} MB")
    kind = sniff(data)
    if kind == "empty":
        raise GongkaiError(f"{label}: 文件为空")
    if kind in ("text", "html"):
        text = decode_bytes(data, label)
        return read_html(text, name) if kind == "html" or looks_like_html(text) else read_text(text, name)
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(data, name)
    if kind == "docx":
        from .docx import read_docx

        return read_docx(data, name)
    if kind == "xlsx":
        from .xlsx import read_xlsx

        return read_xlsx(data, name)
    if kind in ("ole", "rtf"):
        from .office import read_legacy_office

        return read_legacy_office(data, name)
    if kind in IMAGE_KINDS:
        from .ocr import read_image

        return read_image(data, name)
    if kind == "zip":
        raise GongkaiError(f"{label}: 是压缩包,请用 gongkai parse 传入压缩包路径以逐个解析其中文件")
    if kind == "exe":
        raise GongkaiError(f"{label}: 是可执行程序,不是报告文件")
    raise GongkaiError(f"{label}: 无法识别的文件格式(不是文本、HTML、PDF、DOCX、XLSX 或图片)")


def read_path(path: str | Path) -> SourceDoc:
    p = Path(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise GongkaiError(f"{p}: 文件不存在") from None
    except OSError as e:
        raise GongkaiError(f"{p}: 无法读取({e.strerror})") from None
    if p.is_dir():
        raise GongkaiError(f"{p}: 是目录,不是文件")
    if size > MAX_BYTES:
        raise GongkaiError(f"{p}: 文件过大({size // 1048576} MB),上限 {MAX_BYTES // 1048576} MB")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise GongkaiError(f"{p}: 无法读取({e.strerror})") from None
    return read_bytes(data, str(p))


__all__ = ["Block", "SourceDoc", "TCell", "read_bytes", "read_path", "read_text", "read_html", "sniff", "table_block"]
