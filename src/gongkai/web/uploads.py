"""Uploads: limits, file type by content, zip bombs, bounded parsing. Report content is untrusted."""

from __future__ import annotations

import io
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from ..model import GongkaiError, Report
from ..read.sniff import sniff

MAX_FILE = 20 * 1024 * 1024  # one file (or one archive member, after decompression)
MAX_FILES = 20  # files per request, archive members included
MAX_REQUEST = 100 * 1024 * 1024  # whole request body (several files together)
MAX_TEXT = 2_000_000  # characters of pasted text
MAX_ZIP_MEMBERS = 2000  # entries inside a docx/xlsx/zip
MAX_UNZIPPED = 100 * 1024 * 1024  # declared uncompressed total of one docx/xlsx/zip
MAX_RATIO = 200  # declared compression ratio of one member above which it is a bomb (for members > 1 MB)

ACCEPTED = {"text", "html", "pdf", "docx", "xlsx", "ole", "rtf", "png", "jpeg", "tiff", "gif", "bmp", "webp"}
KIND_ZH = {"exe": "可执行程序", "binary": "二进制数据", "zip": "压缩包", "empty": "空文件"}
SKIP_IN_ZIP = (".json",)

# parsing is CPU-bound: at most this many at once, the rest wait (2-core machine)
PARSE_SLOTS = threading.BoundedSemaphore(2)


class BodyTooLarge(Exception):  # noqa: N818 - a signal from the body guard, not an error shown
    """Raised inside the app when the request body passes MAX_REQUEST (see app.GuardMiddleware)."""


class UploadError(Exception):
    """A rejected upload: HTTP status and a Chinese message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Upload:
    name: str
    data: bytes
    kind: str


def clean_name(name: str | None, fallback: str = "未命名") -> str:
    """A display name: the last path component, control characters removed, at most 120 characters."""
    if not name:
        return fallback
    base = PureWindowsPath(PurePosixPath(name).name).name
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (base or fallback)[:120]


def _check_zip_container(data: bytes, label: str) -> zipfile.ZipFile:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadError(400, f"{label}: 压缩结构已损坏,无法读取") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise UploadError(413, f"{label}: 压缩包内文件过多({len(infos)} 个),疑似压缩炸弹,已拒绝")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UploadError(413, f"{label}: 压缩比异常(疑似压缩炸弹),已拒绝")
    if total > MAX_UNZIPPED:
        raise UploadError(413, f"{label}: 解压后过大({total // 1048576} MB),疑似压缩炸弹,已拒绝")
    return zf


def _bounded_read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> bytes:
    """Decompress one member, never more than MAX_FILE bytes (declared sizes can lie)."""
    try:
        with zf.open(info) as fh:
            out = fh.read(MAX_FILE + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        raise UploadError(400, f"{label}: 无法解压(已损坏或已加密)") from None
    if len(out) > MAX_FILE:
        raise UploadError(413, f"{label}: 解压后超过 {MAX_FILE // 1048576} MB,已拒绝")
    return out


def classify(name: str, data: bytes) -> list[Upload]:
    """Validate one uploaded file; a .zip archive expands to its report files. Raises UploadError."""
    label = clean_name(name)
    if not data:
        raise UploadError(400, f"{label}: 文件为空")
    if len(data) > MAX_FILE:
        raise UploadError(413, f"{label}: 文件过大({len(data) / 1048576:.1f} MB),上限 {MAX_FILE // 1048576} MB")
    kind = sniff(data)
    if kind in ("docx", "xlsx"):
        zf = _check_zip_container(data, label)
        for info in zf.infolist():  # a document whose parts lie about their sizes is still refused
            if not info.is_dir():
                _bounded_read(zf, info, label)
        return [Upload(label, data, kind)]
    if kind == "zip":
        zf = _check_zip_container(data, label)
        out: list[Upload] = []
        for info in zf.infolist():
            base = PurePosixPath(info.filename.replace("\\", "/")).name
            if info.is_dir() or not base or base.startswith(".") or base.lower().endswith(SKIP_IN_ZIP):
                continue
            if len(out) >= MAX_FILES:
                raise UploadError(413, f"{label}: 压缩包内文件超过 {MAX_FILES} 个")
            member = _bounded_read(zf, info, f"{label}!{base}")
            mkind = sniff(member)
            if mkind == "zip":
                raise UploadError(415, f"{label}!{base}: 不接受嵌套的压缩包")
            out.extend(classify(f"{label}!{base}", member))
        if not out:
            raise UploadError(400, f"{label}: 压缩包内没有报告文件")
        return out
    if kind not in ACCEPTED:
        what = KIND_ZH.get(kind, kind)
        raise UploadError(415, f"{label}: 按内容识别为{what},不是报告文件(支持文本、网页、PDF、Word、Excel、图片)")
    return [Upload(label, data, kind)]


def parse_upload(up: Upload) -> Report:
    """Parse one validated upload (blocking; call from a worker thread). Raises UploadError."""
    from ..pipeline import parse_bytes

    with PARSE_SLOTS:
        try:
            report = parse_bytes(up.data, up.name)
        except GongkaiError as e:
            raise UploadError(422, str(e)) from None
        except MemoryError:
            raise UploadError(413, f"{up.name}: 文件过于复杂,内存不足") from None
        except Exception as e:  # a parser bug must not leak a stack trace
            raise UploadError(422, f"{up.name}: 解析失败({type(e).__name__})") from None
    if not report.cells and report.edition is None:
        raise UploadError(422, f"{up.name}: 没有找到年度报告的统计表(不是政府信息公开工作年度报告,或无法识别)")
    return report


def parse_text_upload(text: str, name: str = "粘贴的文本") -> Report:
    if not text.strip():
        raise UploadError(400, "粘贴的文本为空")
    if len(text) > MAX_TEXT:
        raise UploadError(413, f"粘贴的文本过长(上限 {MAX_TEXT} 字)")
    data = text.encode("utf-8")
    return parse_upload(Upload(name, data, "text"))


def upload_summary(up: Upload) -> dict[str, Any]:
    return {"name": up.name, "size": len(up.data), "kind": up.kind}
