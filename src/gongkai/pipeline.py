"""The one pipeline: read -> normalise -> extract -> check. Library, CLI and web all call this."""

from __future__ import annotations

from pathlib import Path

from .model import Report
from .read import SourceDoc, read_bytes, read_path, read_text


def parse_doc(doc: SourceDoc, *, checks: bool = True) -> Report:
    from .extract import extract

    report = extract(doc)
    if checks:
        from .check import run_checks

        run_checks(report)
    return report


def parse_bytes(data: bytes, name: str = "", *, checks: bool = True) -> Report:
    return parse_doc(read_bytes(data, name), checks=checks)


def parse_path(path: str | Path, *, checks: bool = True) -> Report:
    return parse_doc(read_path(path), checks=checks)


def parse_text(text: str, *, checks: bool = True, name: str | None = None) -> Report:
    return parse_doc(read_text(text, name), checks=checks)
