"""Legacy office files (DOC, WPS, XLS, RTF): converted by LibreOffice, then read as DOCX/XLSX.

No Python library reads these binary formats faithfully (merged table cells especially), so
LibreOffice does the conversion in a private temporary profile and directory, under a
timeout, and the modern-format readers do the rest.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from ..model import GongkaiError
from .base import SourceDoc

TIMEOUT = float(os.environ.get("GONGKAI_SOFFICE_TIMEOUT", "120"))


def soffice_path() -> str | None:
    for exe in ("soffice", "libreoffice", "/usr/lib/libreoffice/program/soffice",
                "/opt/libreoffice/program/soffice"):
        found = shutil.which(exe) or (exe if os.path.isabs(exe) and os.access(exe, os.X_OK) else None)
        if found:
            return found
    return None


def _is_spreadsheet(data: bytes, name: str) -> bool:
    """XLS/ET (an OLE file with a Workbook stream) rather than DOC/WPS (WordDocument)."""
    ext = os.path.splitext(name)[1].lower()
    if ext in (".xls", ".et"):
        return True
    if ext in (".doc", ".wps"):
        return False
    def utf16(s: str) -> bytes:
        return s.encode("utf-16-le")
    if utf16("WordDocument") in data:
        return False
    return utf16("Workbook") in data or utf16("Book") in data


def convert(data: bytes, name: str, target: str, suffix: str) -> bytes:
    """Run `soffice --headless --convert-to target` on the bytes; returns the converted file."""
    label = name or "文件"
    exe = soffice_path()
    if exe is None:
        raise GongkaiError(f"{label}: 读取 DOC/WPS/XLS/RTF 需要 LibreOffice,请安装:"
                           "apt-get install libreoffice-writer libreoffice-calc")
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        src = os.path.join(tmp, "input" + suffix)
        with open(src, "wb") as fh:
            fh.write(data)
        profile = "file://" + os.path.join(tmp, "profile")
        cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--nologo",
               "--convert-to", target, "--outdir", tmp, src]
        try:
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
            try:
                _, err = proc.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.communicate()
                raise GongkaiError(f"{label}: LibreOffice 转换超时(超过 {TIMEOUT:.0f} 秒)") from None
        except OSError as e:
            raise GongkaiError(f"{label}: 无法启动 LibreOffice({e.strerror})") from None
        out = os.path.join(tmp, "input." + target.split(":")[0])
        if not os.path.exists(out):
            tail = err.decode("utf-8", "replace").strip().splitlines()
            reason = tail[-1] if tail else f"退出码 {proc.returncode}"
            raise GongkaiError(f"{label}: LibreOffice 无法转换此文件(可能已损坏或加密):{reason}")
        with open(out, "rb") as fh:
            return fh.read()


def _ole_header_ok(data: bytes) -> bool:
    """The compound-file header's fixed fields (byte order mark, sector sizes) are sane;
    LibreOffice would otherwise import a damaged file as plain-text garbage."""
    if len(data) < 512:
        return False
    byte_order = int.from_bytes(data[28:30], "little")
    sector_shift = int.from_bytes(data[30:32], "little")
    mini_shift = int.from_bytes(data[32:34], "little")
    return byte_order == 0xFFFE and sector_shift in (9, 12) and mini_shift == 6


def read_legacy_office(data: bytes, name: str) -> SourceDoc:
    """DOC/WPS/RTF -> DOCX, XLS/ET -> XLSX, then the matching reader; form is "doc"/"xls"."""
    if data.startswith(b"\xd0\xcf\x11\xe0") and not _ole_header_ok(data):
        raise GongkaiError(f"{name or '文件'}: Office 文件已损坏(文件头无效),无法读取")
    if data.startswith(b"{\\rtf"):
        sheet, suffix = False, ".rtf"
    else:
        sheet = _is_spreadsheet(data, name)
        ext = os.path.splitext(name)[1].lower()
        suffix = ext if ext in (".doc", ".wps", ".xls", ".et", ".dps") else (".xls" if sheet else ".doc")
    if sheet:
        from .xlsx import read_xlsx

        doc = read_xlsx(convert(data, name, "xlsx", suffix), name)
        doc.form = "xls"
    else:
        from .docx import read_docx

        doc = read_docx(convert(data, name, "docx", suffix), name)
        doc.form = "doc"
    doc.path = name or None
    return doc
