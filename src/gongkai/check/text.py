"""GK4xx: the report's text against its tables, and damage to the text itself."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Finding, Number, Report
from .registry import rule
from .util import NUM_RE, cell_name, finding, fmt, span, to_number, year_of

N = rf"(?P<n>{NUM_RE})"
_UNIT = r"\s*(?:件|条|宗|份|起|个|次)"
_STOP = "。;!?\n"  # sentence ends


class Narrative:
    """Positions of the report text that belong to the narrative (not to a table row)."""

    def __init__(self, report: Report) -> None:
        self.text = report.text or ""
        spans: list[tuple[int, int]] = []
        pos = 0
        for line in self.text.split("\n"):
            if "|" in line or "\x1f" in line:
                spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        by_table: dict[str, list[int]] = {}
        for cid, c in report.cells.items():
            s = c.source
            if s is not None and s.start is not None:
                by_table.setdefault(cid.split(".")[0], []).extend([s.start, s.end if s.end is not None else s.start])
        for ps in by_table.values():
            spans.append((min(ps), max(ps)))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        self._starts = [a for a, _ in merged]
        self._spans = merged

    def is_narrative(self, pos: int) -> bool:
        i = bisect.bisect_right(self._starts, pos) - 1
        return not (i >= 0 and self._spans[i][0] <= pos <= self._spans[i][1])

    def sentence(self, pos: int, back: int = 80) -> str:
        """Text of the sentence before `pos` (at most `back` characters)."""
        start = max(0, pos - back)
        chunk = self.text[start:pos]
        cut = max(chunk.rfind(ch) for ch in _STOP)
        return chunk[cut + 1:] if cut >= 0 else chunk


@dataclass(frozen=True)
class Metric:
    key: str
    name: str  # Chinese, for messages
    unit: str
    # edition -> list of alternative cell-ID sums accepted as "the table says"
    cells: dict[str, tuple[tuple[str, ...], ...]]


M_RECEIVED = Metric("received", "收到政府信息公开申请", "件", {
    "2019": (("s3.new.total",), ("s3.new.total", "s3.carried_in.total")),
    "2021": (("s3.new.total",), ("s3.new.total", "s3.carried_in.total")),
    "legacy": (("legacy.apply.received.total",),),
})
M_ACTIVE = Metric("active", "主动公开政府信息", "条", {"legacy": (("legacy.active.total",),)})
M_WEBSITE = Metric("website", "政府网站公开政府信息", "条", {"legacy": (("legacy.active.channel.website",),)})
M_REVIEW = Metric("review", "行政复议", "件", {
    "2019": (("s4.review.total",),), "2021": (("s4.review.total",),), "legacy": (("legacy.review.total",),)})
M_SUIT = Metric("suit", "行政诉讼", "件", {
    "2019": (("s4.suit_direct.total", "s4.suit_after_review.total"),),
    "2021": (("s4.suit_direct.total", "s4.suit_after_review.total"),),
    "legacy": (("legacy.suit.total",),)})

_RECEIVED = re.compile(rf"(?:收到|受理|接到|接收)(?P<ctx>[^{_STOP}]{{0,24}}?){N}{_UNIT}")
_RECEIVED_NONE = re.compile(rf"(?:未|没有)(?:收到|受理|接到|接收|发生)(?P<ctx>[^{_STOP},]{{0,20}}?)申请")
_PUBLISHED = re.compile(rf"公开(?:政府)?信息(?:共|共计|合计|总计|达)?\s*{N}\s*条")
_REVIEW = re.compile(rf"行政复议(?:案件|申请)?(?:共|共计|合计)?\s*{N}{_UNIT}")
_SUIT = re.compile(rf"行政诉讼(?:案件)?(?:共|共计|合计)?\s*{N}{_UNIT}")
_NONE_RS = re.compile(rf"(?:未|没有)(?:发生|收到|出现|产生|接到)(?P<ctx>[^{_STOP}]{{0,30}}?)行政复议(?P<suit>[^{_STOP}]{{0,6}}行政诉讼)?")
_PART = re.compile(r"其中|区直|县直|市直|乡镇|街道|各部门|本级|部门|分别")


@dataclass(frozen=True)
class Mention:
    metric: Metric
    value: Number
    start: int
    end: int
    quote: str
    part: bool  # may be a part of the whole (其中…, 乡镇…)


def _is_part(nar: Narrative, m: re.Match[str]) -> bool:
    before = nar.sentence(m.start(), 40)
    after = nar.text[m.end():m.end() + 6]
    return bool(_PART.search(before)) or bool(re.match(r"[,,、\s]*占", after))


def mentions(report: Report) -> list[Mention]:
    """Numbers that the narrative states for table quantities."""
    nar = Narrative(report)
    text = nar.text
    out: list[Mention] = []

    def add(metric: Metric, m: re.Match[str], value: Number | None, part: bool | None = None) -> None:
        if value is None or not nar.is_narrative(m.start()):
            return
        clause = re.split(r"[,,;:]", nar.sentence(m.start(), 24))[-1]
        quote = (clause + m.group(0)).strip()
        out.append(Mention(metric, value, m.start(), m.end(), quote,
                           _is_part(nar, m) if part is None else part))

    for m in _RECEIVED.finditer(text):
        ctx = m.group("ctx")
        if "申请" not in ctx + text[m.end():m.end() + 2] or "公开" not in ctx:
            continue
        if re.search(r"复议|诉讼|咨询|信访|热线|答复|办结|转办", ctx):
            continue
        if text[max(0, m.start() - 1):m.start()] in ("未", "没"):
            continue
        add(M_RECEIVED, m, to_number(m.group("n")))
    for m in _RECEIVED_NONE.finditer(text):
        ctx = m.group("ctx")
        if "公开" in ctx and not re.search(r"复议|诉讼|咨询|信访|热线", ctx):
            add(M_RECEIVED, m, 0, False)
    for m in _PUBLISHED.finditer(text):
        clause = nar.sentence(m.start(), 16)
        clause = re.split(r"[,,;]", clause)[-1]
        metric = M_WEBSITE if re.search(r"网站|门户网", clause) else M_ACTIVE
        if metric is M_ACTIVE and "主动" not in clause + m.group(0) and "共" not in clause:
            continue
        add(metric, m, to_number(m.group("n")))
    for rx, metric in ((_REVIEW, M_REVIEW), (_SUIT, M_SUIT)):
        for m in rx.finditer(text):
            if "公开" not in nar.sentence(m.start(), 60):
                continue
            add(metric, m, to_number(m.group("n")))
    for m in _NONE_RS.finditer(text):
        if "公开" not in m.group("ctx") + nar.sentence(m.start(), 30):
            continue
        add(M_REVIEW, m, 0, False)
        if m.group("suit"):
            add(M_SUIT, m, 0, False)
    return out


def _table_values(report: Report, metric: Metric) -> list[tuple[Number, tuple[str, ...]]] | None:
    alts = metric.cells.get(report.edition or "")
    if not alts:
        return None
    vals = report.values()
    out = []
    for ids in alts:
        if all(i in report.cells for i in ids):
            out.append((sum((vals.get(i) or 0) for i in ids), ids))
    return out or None


@rule("GK401", "warning", "正文数字与表格不一致", aliases=("M4", "E16"))
def narrative_vs_table(report: Report) -> Iterator[Finding]:
    """正文(表格以外的文字)中写明的数量应与表格一致(M4、E16)。检查的说法:
    "收到/受理……政府信息公开申请 X 件"(对应 三 表 本年新收·总计,或新收+上年结转;旧版
    附表 收到申请数)、"未收到……申请"(0)、"主动公开政府信息 X 条""通过政府网站公开信息
    X 条"(旧版附表)、"行政复议 X 件/起""行政诉讼 X 件/起"(四 表总计,只取同一句提到
    "公开"的说法)、"未发生……行政复议和行政诉讼"(0)。数字可写作 1,234 或 一百。带"其中""区直"
    "乡镇""占 x%"等字样、小于表格数的说法视为部分数,不报。

    例:正文"2016年,我委收到依申请公开1件",附表"(一)收到申请数"为 0 →
    "正文“收到依申请公开1件”为 1 件,表格 收到申请数 为 0"。
    """
    ms = mentions(report)
    if not ms:
        return
    seen: set[tuple[str, Number]] = set()
    for mt in ms:
        tv = _table_values(report, mt.metric)
        if tv is None:
            continue
        if any(abs(v - mt.value) < 1e-6 for v, _ in tv):
            continue
        v0, ids = tv[0]
        if mt.part and mt.value < v0:
            continue
        key = (mt.metric.key, mt.value)
        if key in seen:
            continue
        seen.add(key)
        names = "+".join(cell_name(report, i).split(" · ")[0] for i in ids)
        yield finding(report, "GK401", "warning",
                      f"正文“{mt.quote}”为 {fmt(mt.value)} {mt.metric.unit},表格 {names} 为 {fmt(v0)}",
                      ids, where=span(mt.start, mt.end))


_OTHER_HEAD = re.compile(r"六\s*[、.,]\s*其他需要报告的事项")


@rule("GK402", "info", "未说明信息处理费收取情况", aliases=("M5", "E19"))
def fee_silent(report: Report) -> Iterator[Finding]:
    """2021 年度起,《政府信息公开信息处理费管理办法》(国办函〔2020〕109号)施行,年度报告
    第六部分"其他需要报告的事项"应说明信息处理费的收取情况(发出收费通知件数、金额,或未收取,
    M5)。报告中找不到"信息处理费"(或"处理费")字样时提示。

    例:2021 年度报告第六部分只写"无" → "第六部分未说明信息处理费的收取情况"。
    """
    year = year_of(report)
    if not report.text or not ((year or 0) >= 2021 or report.edition == "2021"):
        return
    text = report.text
    sec = next((s for s in report.sections if s.key == "other"), None)
    if sec is not None:
        part = text[sec.start:sec.end]
        where = span(sec.start, sec.end)
    else:
        m = _OTHER_HEAD.search(text)
        part = text[m.start():] if m else text
        where = span(m.start(), m.end()) if m else None
    if "处理费" in part or "处理费" in text:
        return
    yield finding(report, "GK402", "info", "第六部分未说明信息处理费的收取情况(2021 年起应说明)", where=where)


# official sentences with a slot that holds a short common word
_SLOTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"本列(?P<x>[^。()()]{1,60}?)的勾稽关系"), "数据"),
    (re.compile(r"所列(?P<x>[^。()()]{1,60}?)的?统计(?:期限|时限)"), "数据"),
)


def _list_like(s: str) -> bool:
    return len(s) >= 8 and s.count("、") >= 2


@rule("GK403", "warning", "正文疑似被整词替换(文本损坏)", aliases=())
def text_damage(report: Report) -> Iterator[Finding]:
    """转载网站有时把某个常用词全局替换成一长串名称(如衡阳市网站把每个"数据"换成
    "中共衡阳市委、衡阳市人大、衡阳市政府、衡阳市政协")。检查官方固定句子中本应是短词的
    位置:"本列数据的勾稽关系为"、"本报告中所列数据的统计期限"。若该位置是一串用"、"分隔的
    名称,并在全文重复出现,即报告文本损坏,数字虽可能无误,但正文需对照原件。

    例:"本列中共衡阳市委、衡阳市人大、衡阳市政府、衡阳市政协的勾稽关系为" →
    "“数据”疑似被全局替换为“中共衡阳市委、衡阳市人大、衡阳市政府、衡阳市政协”(全文 4 处)"。
    """
    text = report.text or ""
    found: dict[str, tuple[str, int, int]] = {}
    for rx, word in _SLOTS:
        for m in rx.finditer(text):
            x = m.group("x").strip()
            if x == word or not _list_like(x) or x in found:
                continue
            found[x] = (word, m.start("x"), m.end("x"))
    for x, (word, a, b) in found.items():
        n = text.count(x)
        yield finding(report, "GK403", "warning",
                      f"“{word}”疑似被全局替换为“{x}”(全文 {n} 处),正文需对照原件核对", where=span(a, b))

