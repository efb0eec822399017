"""The report's numbered parts (一 … 六), found in order by their headings and variants."""

from __future__ import annotations

import re

from ..model import Section

_HEADINGS = (
    ("overview", "一", r"(?:总体情况|概述|概况)"),
    ("active", "二", r"主动公开(?:政府信息)?(?:情况|的情况)"),
    ("requests", "三", r"收到和处理政府信息公开申请(?:的)?情况"),
    ("review", "四", r"(?:政府信息公开)?(?:行政法?复议|因政府信息公开(?:工作)?被?申请行政复议)"),
    ("problems", "五", r"(?:政府信息公开工作)?存在的主要问题(?:及|和)改进"),
    ("other", "六", r"其他需要报告的事项"),
)
_RX = [(key, num, re.compile(rf"{num}\s*[、.]\s*{pat}")) for key, num, pat in _HEADINGS]


def find_sections(text: str) -> list[Section]:
    """Sections in document order; a heading is only accepted after the previous one."""
    found: list[tuple[str, int, int]] = []
    pos = 0
    for key, _num, rx in _RX:
        # the same heading can be quoted in the introduction ("内容包括:总体情况、…"): take the
        # first occurrence after the previous heading that starts a line or follows a table/text end
        m = rx.search(text, pos)
        if not m:
            continue
        line_end = text.find("\n", m.end())
        title = text[m.start(): line_end if 0 <= line_end - m.start() < 60 else m.end()].strip()
        found.append((key, m.start(), len(title)))
        pos = m.end()
    out = []
    for i, (key, start, tlen) in enumerate(found):
        end = found[i + 1][1] if i + 1 < len(found) else len(text)
        out.append(Section(key, text[start:start + tlen], start, end))
    return out
