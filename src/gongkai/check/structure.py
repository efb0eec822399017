"""GK2xx: structure and template — edition, sections, tables, labels, units."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..editions import EDITIONS, expected_edition
from ..model import Finding, Report
from .registry import rule
from .util import cell_name, edition_of, finding, fmt, year_of

EDITION_ZH = {"2021": "2021 年格式", "2019": "2019 年格式(试行)", "legacy": "旧版统计表(2014 年 32 号文)"}


@rule("GK201", "error", "报告格式与统计年度不符", aliases=("M1", "E4"))
def edition_vs_year(report: Report) -> Iterator[Finding]:
    """统计年度决定应使用的格式(M1):2018 年及以前用旧版统计表(或无统一表格);2019、2020 年用
    《年度报告格式(试行)》(国办公开办函〔2019〕60号);2021 年起用《年度报告格式》
    (国办公开办函〔2021〕30号)。报告使用的表格与年度不符即为错误(E4)。

    例:2021 年度报告仍使用"本年新制作数量/本年新公开数量"的 2019 年表格 →
    "2021 年度报告应使用 2021 年格式,实际为 2019 年格式(试行)"。
    """
    year = year_of(report)
    exp = expected_edition(year)
    if exp is None or report.edition is None:
        return
    if report.edition != exp:
        yield finding(report, "GK201", "error",
                      f"{year} 年度报告应使用{EDITION_ZH[exp]},实际为{EDITION_ZH.get(report.edition, report.edition)}")


SECTION_HEADS = {
    "overview": ("一", "总体情况", r"总体情况|概述"),
    "active": ("二", "主动公开政府信息情况", r"主动公开政府信息(?:的)?情况"),
    "requests": ("三", "收到和处理政府信息公开申请情况", r"收到和处理政府信息公开申请(?:的)?情况"),
    "review": ("四", "政府信息公开行政复议、行政诉讼情况", r"行政(?:法)?复议[、和及与]?\s*(?:提起)?行政诉讼(?:的)?情况"),
    "problems": ("五", "存在的主要问题及改进情况", r"存在的主要问题(?:及|和)改进情况|主要问题(?:和|及)改进(?:措施|情况)"),
    "other": ("六", "其他需要报告的事项", r"其他需要报告的事项"),
}
# a heading: at a line start or after a numeral such as "六、", not a mention inside a sentence
_HEAD_RE = {k: re.compile(rf"(?:(?:^|\n)\s*|[一二三四五六七八九十]\s*[、.．]\s*)[^\n。,;]{{0,12}}?(?:{v[2]})")
            for k, v in SECTION_HEADS.items()}


@rule("GK202", "warning", "缺少法定部分", aliases=("E15",))
def missing_sections(report: Report) -> Iterator[Finding]:
    """2019、2021 年格式的报告应包含六个部分:一、总体情况;二、主动公开政府信息情况;
    三、收到和处理政府信息公开申请情况;四、政府信息公开行政复议、行政诉讼情况;五、存在的
    主要问题及改进情况;六、其他需要报告的事项(条例第五十条,30号文"不能遗漏")。按解析出的
    章节判断;没有章节信息时在正文中查找标题。旧版报告没有固定标题,不检查。

    例:报告没有"六、其他需要报告的事项" → "缺少第六部分 其他需要报告的事项"。
    """
    if report.edition not in ("2019", "2021"):
        return
    keys = {s.key for s in report.sections}
    if not keys and not report.text:
        return
    for key, (num, title, _) in SECTION_HEADS.items():
        if key in keys:
            continue
        if _HEAD_RE[key].search(report.text):
            continue
        yield finding(report, "GK202", "warning", f"缺少第{num}部分 {title}")


def _table_missing_noted(report: Report) -> bool:
    return any(f.rule == "GK002" for f in report.findings)


@rule("GK203", "error", "缺少法定表格或单元格", aliases=("E15",))
def missing_tables(report: Report) -> Iterator[Finding]:
    """报告格式规定的每张表(第二十条各项、三 申请情况表、四 复议诉讼表)都应填报。整张表
    缺失为错误(提取阶段已报 GK002 时不重复);表在而部分单元格缺失为警告。旧版报告:2014 年
    以后的报告没有统计表(附表)时给出警告;较早的地方表格只有部分指标,不视为缺失。

    例:2021 年格式报告没有"四、政府信息公开行政复议、行政诉讼情况"表 →
    "未找到表格 四、政府信息公开行政复议、行政诉讼情况"。
    """
    ed = edition_of(report)
    year = year_of(report)
    if ed is None:
        if not report.cells and year is not None and year >= 2014 and not _table_missing_noted(report):
            yield finding(report, "GK203", "warning", "未找到任何统计表格")
        return
    if ed.name == "legacy":
        if not any(c.startswith("legacy.") for c in report.cells) and (year or 0) >= 2014 \
                and not _table_missing_noted(report):
            yield finding(report, "GK203", "warning", "未找到政府信息公开情况统计表(附表)")
        return
    noted = _table_missing_noted(report)
    for t in ed.tables:
        ids = t.cell_ids()
        present = [c for c in ids if c in report.cells]
        if not present:
            if not noted:
                yield finding(report, "GK203", "error", f"未找到表格 {t.title}", ids)
            continue
        missing = [c for c in ids if c not in report.cells]
        if missing:
            names = "、".join(cell_name(report, c) for c in missing[:5])
            more = f" 等 {len(missing)} 格" if len(missing) > 5 else ""
            yield finding(report, "GK203", "warning", f"{t.title} 缺少单元格: {names}{more}", missing)


@rule("GK204", "info", "行标签与官方文字不一致", aliases=("E14",))
def label_deviations(report: Report) -> Iterator[Finding]:
    """表格行标签与官方格式文字不一致(编号错误、"、"代替"."、文字改动、截断等,E14)。
    数据已按含义对应到官方行,只作提示,便于报告单位改正模板。

    例:印作"(一) 不予公开"(应为"(三)不予公开"),或"1、信访举报类申请"(应为
    "1.信访举报投诉类申请") → "行标签 "1、信访举报类申请" 与官方 "1.信访举报投诉类申请" 不一致"。
    """
    ed = edition_of(report)
    for row_id, printed, official in report.label_deviations:
        cells: list[str] = []
        for t in ed.tables if ed is not None else ():
            for r in t.rows:
                if row_id in (r.key, f"{t.prefix}.{r.key}"):
                    cols = [None] if t.layout == "indicator" else list(t.cols)
                    cells = [t.cell_id(r, c) for c in cols if t.cell_id(r, c) in report.cells]
                    break
            if cells:
                break
        if not cells:
            cells = [c for c in report.cells if c == row_id or c.startswith(row_id + ".")]
        yield finding(report, "GK204", "info", f"行标签 “{printed}” 与官方 “{official}” 不一致", cells)


_TABLE_ZH = {"s2": "二 主动公开", "s3": "三 申请情况", "s4": "四 复议诉讼", "legacy": "统计表"}


@rule("GK205", "warning", "行标签缺失,按位置对应", aliases=())
def position_mapped(report: Report) -> Iterator[Finding]:
    """表格的行标签丢失(例如网页转换时标签格被数字替换),提取器只能按行的位置把数字对应到
    官方行。行数与官方格式一致时结果通常正确,但仍需人工核对。

    例:三 表 22 行的标签全部变成 0 → "三 申请情况 表有 154 个单元格按位置对应到官方行(行标签缺失),请核对"。
    """
    groups: dict[str, list[str]] = {}
    for cid, c in report.cells.items():
        if c.how == "position":
            groups.setdefault(cid.split(".")[0], []).append(cid)
    for prefix, cids in groups.items():
        yield finding(report, "GK205", "warning",
                      f"{_TABLE_ZH.get(prefix, prefix)} 表有 {len(cids)} 个单元格按位置对应到官方行(行标签缺失),请核对",
                      cids)


def _decimals(raw: str, value: float) -> int:
    m = re.search(r"\d+\.(\d+)", raw or "")
    if m:
        return len(m.group(1))
    s = repr(value)
    return len(s.split(".", 1)[1]) if "." in s and "e" not in s else 0


@rule("GK206", "warning", "金额单位缺失或异常", aliases=("E13",))
def units(report: Report) -> Iterator[Finding]:
    """金额与单位(E13):
    - 2021 年格式"本年收费金额(单位:万元)"的表头已注明万元,单元格却写"元" → 警告;
    - 2019 年格式"采购总金额"模板未印单位,报告须自行注明;未注明 → 警告,注明"元" → 提示
      (多数报告用万元,比较时注意换算);
    - 金额超过 2 位小数(如 24252.311082)多半是两个数字连写 → 警告;
    - 旧版统计表单元格的单位与官方单位不同(如"条"代替"件")→ 提示。

    例:"政府集中采购 · 采购总金额"印作 6154570.0,无单位 → "采购总金额 6154570 未注明单位(元或万元)"。
    """
    ed = edition_of(report)
    if ed is None:
        return
    for t in ed.tables:
        for r in t.rows:
            cols = [None] if t.layout == "indicator" else list(t.cols)
            for col in cols:
                cid = t.cell_id(r, col)
                c = report.cells.get(cid)
                if c is None:
                    continue
                official = col.unit if col is not None else r.unit
                money = (col is not None and col.kind == "money") or official in ("万元", "元")
                name = cell_name(report, cid)
                if money and c.value is not None and isinstance(c.value, float):
                    d = _decimals(c.raw, c.value)
                    if d > 2:
                        yield finding(report, "GK206", "warning",
                                      f"{name} {c.raw or fmt(c.value)} 有 {d} 位小数,疑似两个数字连写,请核对", [cid])
                if money and official == "万元" and c.unit == "元":
                    yield finding(report, "GK206", "warning",
                                  f"{name} 表头单位为万元,单元格写作 {c.raw or fmt(c.value)}(元),请换算", [cid])
                elif money and official is None:
                    if c.unit is None and c.value not in (None, 0):
                        yield finding(report, "GK206", "warning",
                                      f"{name} {fmt(c.value)} 未注明单位(元或万元)", [cid])
                    elif c.unit == "元" and c.value is not None:
                        yield finding(report, "GK206", "info",
                                      f"{name} 以元为单位({fmt(c.value)} 元),比较时注意与万元换算", [cid])
                elif t.layout == "indicator" and c.unit and official and c.unit != official:
                    yield finding(report, "GK206", "info",
                                  f"{name} 单位为“{c.unit}”,官方单位为“{official}”", [cid])


assert set(EDITION_ZH) == set(EDITIONS)
