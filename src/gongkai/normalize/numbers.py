"""Numbers as printed in report cells: separators, decimals, units, signed changes, blanks.

`parse_number` returns None for text that is not a single value; blank markers
(`""`, `—`, `-`, `/`, `无`) give a ParsedNumber whose value is None (a present but empty cell,
which is not 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = ("万元", "人次", "元", "项", "件", "条", "次", "篇", "个", "人", "家", "%")
BLANK_MARKS = {"", "—", "——", "———", "-", "--", "/", "\\", "无", "空", "/ ", "―", "─", "一一", "×", "x", "X", "*"}
_UNIT_RE = "|".join(UNITS)
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
VALUE_RE = re.compile(
    rf"^(?P<sign>[+\-]|增加|增|减少|减|新增|净增|净减)?\s*(?P<num>{_NUM})\s*(?P<unit>{_UNIT_RE})?$"
)
# a value with harmless stray text around it: "约20件", "20(件)", "共3项", and the "?"/U+FFFD a
# lossy re-encoding leaves for a character it could not map ("? 0"; a lost digit would be unlikely)
LOST_CHAR = "[?？\ufffd]"  # what a lossy re-encoding leaves for a character it could not map
LOOSE_RE = re.compile(rf"^(?:{LOST_CHAR}+\s+|\ufffd+)?(?:约|共|计|合计|共计)?\s*(?P<core>[+\-]?(?:{_NUM}))\s*\(?(?P<unit>{_UNIT_RE})?\)?$")


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: int | float | None
    unit: str | None = None
    signed: bool = False  # printed with + / - / 增 / 减
    loose: bool = False  # stray text was ignored


def _to_number(num: str) -> int | float:
    num = num.replace(",", "")
    if "." in num:
        f = float(num)
        return f
    return int(num)


def parse_number(text: str) -> ParsedNumber | None:
    """Parse one cell's text; None when it is not a single value (text, several numbers)."""
    t = text.strip()
    if t in BLANK_MARKS:
        return ParsedNumber(None)
    m = VALUE_RE.match(t)
    if m:
        v = _to_number(m.group("num"))
        sign = m.group("sign") or ""
        if sign in ("-", "减", "减少", "净减"):
            v = -v
        return ParsedNumber(v, m.group("unit"), bool(sign))
    m = LOOSE_RE.match(t)
    if m:
        core = m.group("core")
        v = _to_number(core.lstrip("+-"))
        if core.startswith("-"):
            v = -v
        return ParsedNumber(v, m.group("unit"), core[0] in "+-", loose=True)
    return None
