"""GK3xx: statistics period, report date, publication deadline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ..model import Finding, Report
from .registry import rule
from .util import finding, parse_date, span, year_of

_PERIOD_RE = re.compile(
    r"统计(?:期限|时限|时间|区间|周期)[^0-9。]{0,6}?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
    r"[^0-9。]{0,6}?(?:至|到|-|~|—)\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")


def _stated_period(report: Report) -> tuple[date, date, dict[str, int] | None] | None:
    sp = report.meta.get("stat_period")
    if isinstance(sp, list | tuple) and len(sp) == 2:
        a, b = parse_date(sp[0]), parse_date(sp[1])
        if a and b:
            return a, b, None
    m = _PERIOD_RE.search(report.text or "")
    if m:
        try:
            a = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            b = date(int(m.group(4)), int(m.group(5)), int(m.group(6)))
        except ValueError:
            return None
        return a, b, span(m.start(), m.end())
    return None


@rule("GK301", "error", "统计期限不是统计年度的 1 月 1 日至 12 月 31 日", aliases=("M2", "E3"))
def stat_period(report: Report) -> Iterator[Finding]:
    """年度报告的统计期限是统计年度的整个自然年(1 月 1 日至 12 月 31 日,M2)。报告写明的统计
    期限与标题年度不符,常见于照抄上一年报告(E3)。

    例:2020 年度报告写"本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止" →
    "统计期限 2019-01-01 至 2019-12-31 与统计年度 2020 不符(应为 2020-01-01 至 2020-12-31)"。
    """
    year = year_of(report)
    got = _stated_period(report)
    if year is None or got is None:
        return
    a, b, where = got
    if a != date(year, 1, 1) or b != date(year, 12, 31):
        yield finding(report, "GK301", "error",
                      f"统计期限 {a.isoformat()} 至 {b.isoformat()} 与统计年度 {year} 不符"
                      f"(应为 {year}-01-01 至 {year}-12-31)", where=where)


@rule("GK302", "error", "报告日期早于统计年度结束", aliases=("M3", "E2"))
def dated_in_year(report: Report) -> Iterator[Finding]:
    """报告只能在统计年度结束后形成和发布:落款日期(meta.dated)和发布日期(meta.posted)都应
    不早于次年 1 月 1 日(M3、E2)。早于此日期,多半是落款年份笔误(写成统计年度本身)。

    例:2020 年度报告落款"2020年1月29日"(网页发布日期 2021-01-29) →
    "落款日期 2020-01-29 在统计年度 2020 之内(报告应在 2021-01-01 之后形成)"。
    """
    year = year_of(report)
    if year is None:
        return
    start = date(year + 1, 1, 1)
    for key, name in (("dated", "落款日期"), ("posted", "发布日期")):
        d = parse_date(report.meta.get(key))
        if d is not None and d < start:
            yield finding(report, "GK302", "error",
                          f"{name} {d.isoformat()} 在统计年度 {year} 之内或之前"
                          f"(报告应在 {start.isoformat()} 之后形成和发布)")


KIND_ZH = {"department": "政府部门", "government": "本级人民政府", "township": "乡镇(街道)", "other": "其他机关"}


def deadline(year: int, kind: str | None) -> tuple[date, str]:
    """Publication deadline for a report on statistics year `year` (format-spec §1.2)."""
    if year <= 2018:
        return date(year + 1, 3, 31), "旧条例第三十一条:每年 3 月 31 日前"
    if kind == "government":
        return date(year + 1, 3, 31), "条例第四十九条:本级政府年度报告 3 月 31 日前"
    if kind in ("department", "township"):
        return date(year + 1, 1, 31), "条例第四十九条:政府部门年度报告 1 月 31 日前"
    return date(year + 1, 3, 31), "条例第四十九条:3 月 31 日前(机关类型未知,按较晚期限)"


@rule("GK303", "warning", "发布晚于法定期限", aliases=("E1",))
def late(report: Report) -> Iterator[Finding]:
    """发布日期(有网页发布日期时用它,否则用落款日期)晚于法定期限(E1):2018 年度及以前的报告
    3 月 31 日前;2019 年度起,县级以上人民政府部门 1 月 31 日前,本级人民政府 3 月 31 日前
    (条例第四十九条)。乡镇(街道)条例未列明,按 1 月 31 日提示。机关类型(meta.report_kind)
    影响期限,所以为警告。

    例:某局 2021 年度报告于 2022-02-15 发布 → "发布日期 2022-02-15 晚于期限 2022-01-31
    (政府部门,条例第四十九条:政府部门年度报告 1 月 31 日前)"。
    """
    year = year_of(report)
    if year is None:
        return
    kind = report.meta.get("report_kind")
    posted = parse_date(report.meta.get("posted"))
    dated = parse_date(report.meta.get("dated"))
    d, name = (posted, "发布日期") if posted else (dated, "落款日期")
    if d is None or d < date(year + 1, 1, 1):
        return  # no date, or already reported by GK302
    limit, why = deadline(year, kind)
    if d > limit:
        kind_zh = KIND_ZH.get(kind or "", "机关类型未知")
        sev = "info" if kind == "township" else "warning"
        yield finding(report, "GK303", sev, f"{name} {d.isoformat()} 晚于期限 {limit.isoformat()}({kind_zh},{why})")


@rule("GK304", "warning", "落款日期与发布日期不一致", aliases=("E2",))
def dated_vs_posted(report: Report) -> Iterator[Finding]:
    """报告落款日期与网页发布日期年份不同,或落款日期晚于发布日期 7 天以上,通常是落款年份
    笔误或报告发布后被改动(E2、E18)。

    例:落款"2020年1月29日",网页发布日期 2021-01-29 → "落款日期 2020-01-29 与发布日期
    2021-01-29 年份不同,疑似落款年份笔误"。
    """
    dated = parse_date(report.meta.get("dated"))
    posted = parse_date(report.meta.get("posted"))
    if dated is None or posted is None:
        return
    if dated.year != posted.year:
        yield finding(report, "GK304", "warning",
                      f"落款日期 {dated.isoformat()} 与发布日期 {posted.isoformat()} 年份不同,疑似落款年份笔误")
    elif (dated - posted).days > 7:
        yield finding(report, "GK304", "warning",
                      f"落款日期 {dated.isoformat()} 晚于发布日期 {posted.isoformat()}")
