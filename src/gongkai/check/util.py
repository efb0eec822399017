"""Small helpers shared by the rules: findings, cell names, number formatting, Chinese numerals."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from ..editions import Edition, get
from ..model import Finding, Number, Report, Source


def edition_of(report: Report) -> Edition | None:
    return get(report.edition)


def fmt(v: Number | None) -> str:
    """A value as a reviewer would write it: 3, 2694.35, 空白."""
    if v is None:
        return "空白"
    if isinstance(v, float):
        if v.is_integer():
            return str(int(v))
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


def where_of(report: Report, cells: Iterable[str]) -> dict[str, int] | None:
    """Source location of the first cell that has one."""
    for cid in cells:
        c = report.cells.get(cid)
        if c is not None and c.source is not None:
            d = c.source.to_dict()
            if d:
                return d
    return None


UNKNOWN_CODES = ("GK001", "GK003")


def unknown_cells(report: Report) -> set[str]:
    """Cells whose value is unknown (not blank): run-together digits that could not be split,
    text that is not a number. Relations with such a cell cannot be checked."""
    out = {cid for cid, c in report.cells.items()
           if c.value is None and (c.how == "ambiguous" or c.confidence <= 0.0)}
    for f in report.findings:
        if f.rule in UNKNOWN_CODES:
            out.update(cid for cid in f.cells if report.value(cid) is None)
    return out


def span(start: int, end: int) -> dict[str, int]:
    return Source(start=start, end=end).to_dict()


def finding(report: Report, code: str, severity: str, message: str, cells: Iterable[str] = (),
            where: dict[str, int] | None = None) -> Finding:
    cells = list(cells)
    return Finding(code, severity, message, cells, where if where is not None else where_of(report, cells))


def cell_name(report: Report, cid: str) -> str:
    """Chinese name of a cell: the edition label, else the ID."""
    ed = edition_of(report)
    if ed is not None:
        lab = ed.labels.get(cid)
        if lab:
            return lab
    for ed2 in (get("2021"), get("2019"), get("legacy")):
        if ed2 is not None and cid in ed2.labels:
            return ed2.labels[cid]
    return cid


def year_of(report: Report) -> int | None:
    y = report.meta.get("year")
    try:
        return int(y) if y is not None else None
    except (TypeError, ValueError):
        return None


def agency_of(report: Report) -> str:
    a = report.meta.get("agency")
    if isinstance(a, list | tuple):
        return str(a[0]) if a else ""
    return str(a or "")


def parse_date(v: object) -> date | None:
    if isinstance(v, date):
        return v
    if not isinstance(v, str):
        return None
    m = re.match(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})", v)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


# --- Chinese numerals -------------------------------------------------------------------------

_CN_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "三": 3, "叁": 3,
             "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8,
             "九": 9, "玖": 9}
_CN_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
CN_NUM_CHARS = "零〇○一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万"
NUM_RE = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[{CN_NUM_CHARS}]+"


def cn_to_int(s: str) -> int | None:
    """一百 -> 100, 二十一 -> 21, 十五 -> 15, 一千二百三十四 -> 1234, 三万 -> 30000, 二〇 -> 20."""
    if not s:
        return None
    if all(ch in _CN_DIGIT for ch in s):  # digit by digit: 二〇二一
        n = 0
        for ch in s:
            n = n * 10 + _CN_DIGIT[ch]
        return n
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            digit = None
        elif ch == "万":
            section += digit or 0
            total += (section or 1) * 10000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def to_number(s: str) -> Number | None:
    """'1,234' -> 1234, '12.5' -> 12.5, '一百' -> 100."""
    s = s.strip()
    if not s:
        return None
    if s[0].isdigit():
        t = s.replace(",", "")
        try:
            return float(t) if "." in t else int(t)
        except ValueError:
            return None
    return cn_to_int(s)
