"""File type from content (magic bytes), never from the name."""

from __future__ import annotations

import io
import zipfile


def sniff(data: bytes) -> str:
    """One of: pdf, docx, xlsx, zip, ole (doc/xls/wps), png, jpeg, tiff, gif, bmp, webp, rtf, exe, html, text, empty."""
    if not data:
        return "empty"
    head = data[:16]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM"):
        return "bmp"
    if head.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"MZ", b"\x7fELF")):
        return "exe"
    sample = data[:4096].lower()
    if b"<html" in sample or b"<!doctype html" in sample or b"<table" in sample or b"<body" in sample:
        return "html"
    # binary junk: many control bytes that no text encoding produces
    ctrl = sum(1 for b in data[:4096] if b < 9 or 13 < b < 32)
    if ctrl > len(data[:4096]) // 10 and b"\x00" not in data[:4096:2] and b"\x00" not in data[1:4096:2]:
        return "binary"
    return "text"
