"""GK1xx: arithmetic. The relations come from the edition definitions (gongkai.editions)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..editions import EDITIONS, Col, Edition, Relation, Table
from ..model import Finding, Number, Report
from .registry import rule
from .util import cell_name, edition_of, finding, fmt, unknown_cells

_ASCII = re.compile(r"[A-Za-z_]")
_SIDES = re.compile(r"\s*(=|≤|≥)\s*")


def _sides(rel: Relation) -> tuple[str, str]:
    parts = _SIDES.split(rel.title, maxsplit=1)
    if len(parts) == 3:
        return parts[0], parts[2]
    return "左边", "右边"


def relation_message(report: Report, rel: Relation) -> str:
    """'予以公开 行: 各申请人合计 4 ≠ 总计 3' — the two sides of a failing relation with values."""
    vals = report.values()
    lv: Number = sum((vals.get(c) or 0) for c in rel.lhs)
    rv: Number = sum((vals.get(c) or 0) for c in rel.rhs)
    lname, rname = _sides(rel)
    where = rel.where
    if not where or where == rel.title or _ASCII.search(where):
        where = cell_name(report, rel.lhs[0]).split(" · ")[0]
    if rel.op == "=" and len(rel.lhs) == 1 and len(rel.rhs) > 1:
        text = f"{rname} {fmt(rv)} ≠ {lname} {fmt(lv)}"
    else:
        sym = {"=": "≠", "<=": ">", ">=": "<"}[rel.op]
        text = f"{lname} {fmt(lv)} {sym} {rname} {fmt(rv)}"
    msg = f"{where}: {text}"
    blanks = [c for c in rel.cells if c in report.cells and vals.get(c) is None]
    if blanks:
        msg += f"(含 {len(blanks)} 个空白格,按 0 计)"
    return msg


def failing_relations(report: Report, rel_code: str | None = None) -> Iterator[Relation]:
    """The relations of the report's edition (all, or those coded `rel_code`) that fail.

    A relation is checked only when all its cells are in the report (a table that lacks a row,
    such as the merged 信函、传真 row of older local tables, cannot be checked — no guessing),
    and none of them is unknown (nulled by the extractor as GK001/GK003; blank cells count as 0).
    """
    ed = edition_of(report)
    if ed is None:
        return
    vals = report.values()
    unknown = unknown_cells(report)
    for rel in ed.relations:
        if rel_code is not None and rel.code != rel_code:
            continue
        if any(c not in report.cells or c in unknown for c in rel.cells):
            continue
        if rel.holds(vals) is False:
            yield rel


def check_relations(report: Report, code: str, rel_code: str) -> Iterator[Finding]:
    """Every relation `rel_code` that fails, as findings of rule `code`."""
    for rel in failing_relations(report, rel_code):
        yield finding(report, code, rel.severity, relation_message(report, rel), rel.cells)


@rule("GK101", "error", "本年新收+上年结转 ≠ 办理结果总计+结转下年度", aliases=("A1", "E5"))
def a1(report: Report) -> Iterator[Finding]:
    """三、收到和处理政府信息公开申请情况 表头注明的勾稽关系(A1),逐列检查:

    第一项(本年新收)加第二项(上年结转)之和,等于第三项(本年度办理结果,即(七)总计)加第四项
    (结转下年度继续办理)之和。

    例:总计 列 本年新收 21、上年结转 0,(七)总计 27、结转下年度 0 →
    "总计 列: 本年新收+上年结转 21 ≠ 办理结果总计+结转下年度 27"。
    """
    return check_relations(report, "GK101", "A1")


@rule("GK102", "error", "行总计 ≠ 各申请人合计", aliases=("A2", "E6"))
def a2(report: Report) -> Iterator[Finding]:
    """三 表每一行的"总计"列应等于自然人、商业企业、科研机构、社会公益组织、法律服务机构、
    其他 六列之和(A2)。

    例:予以公开 行 自然人 3、社会公益组织 1,总计 3 → "予以公开 行: 各申请人合计 4 ≠ 总计 3"。
    """
    return check_relations(report, "GK102", "A2")


@rule("GK103", "error", "(七)总计 ≠ 各办理结果之和", aliases=("A3", "E7"))
def a3(report: Report) -> Iterator[Finding]:
    """三 表每一列的"(七)总计"应等于(一)予以公开、(二)部分公开、(三)不予公开 8 项、
    (四)无法提供 3 项、(五)不予处理 5 项、(六)其他处理 之和(A3;每件申请只计一种结果)。

    例:总计 列 各办理结果之和 100,(七)总计 101 → "总计 列: 各办理结果之和 100 ≠ (七)总计 101"。
    """
    return check_relations(report, "GK103", "A3")


@rule("GK104", "error", "复议/诉讼总计 ≠ 各结果之和", aliases=("A4", "E8"))
def a4(report: Report) -> Iterator[Finding]:
    """四、行政复议、行政诉讼情况 表中,行政复议、未经复议直接起诉、复议后起诉 三组各自的
    "总计"应等于 结果维持+结果纠正+其他结果+尚未审结(A4)。

    例:行政复议 8/6/0/1,总计 16 → "行政复议: 维持+纠正+其他+尚未审结 15 ≠ 总计 16"。
    """
    return check_relations(report, "GK104", "A4")


@rule("GK105", "warning", "本年制发 > 现行有效+本年废止", aliases=("A7", "E10"))
def a7(report: Report) -> Iterator[Finding]:
    """2021 年格式 第二十条第(一)项:本年制发件数 不应超过 现行有效件数+本年废止件数(A7,
    跨年关系 X2 的年内弱形式)。清理、失效未计入废止时可能不成立,故为警告。

    例:行政规范性文件 本年制发 12、本年废止 0、现行有效 10 → "本年制发 12 > 现行有效+本年废止 10"。
    """
    return check_relations(report, "GK105", "A7")


@rule("GK107", "warning", "本年新公开数量 > 对外公开总数量", aliases=("A9",))
def a9(report: Report) -> Iterator[Finding]:
    """2019 年格式(试行)第二十条第(一)项:本年新公开数量 不应超过 对外公开总数量(A9)。

    例:规范性文件 本年新公开 5、对外公开总数量 4 → "本年新公开数量 5 > 对外公开总数量 4"。
    """
    return check_relations(report, "GK107", "A9")


def _legacy_rule(n: int) -> None:
    rel_code = f"L{n}"
    code = f"GK{120 + n}"
    rels = [r for r in EDITIONS["legacy"].relations if r.code == rel_code]
    sev = rels[0].severity if rels else "error"

    def func(report: Report) -> Iterator[Finding]:
        return check_relations(report, code, rel_code)

    titles = sorted({r.title for r in rels})
    func.__doc__ = (
        f"旧版《政府信息公开情况统计表》(国办发〔2014〕32号)的结构关系 {rel_code}:"
        f"{';'.join(titles)}。\n\n"
        "只在关系涉及的全部指标都出现在附表中、且数值可确定时检查(较早的地方表格常把信函、传真"
        "合并为一行,此时无法检查,不作推测;GK001/GK003 置空的格同样跳过)。空白格按 0 计。\n\n"
        f"例:{_LEGACY_EXAMPLES.get(rel_code, '')}"
    )
    func.__name__ = f"legacy_{rel_code.lower()}"
    title = "; ".join(titles).replace(" = ", " ≠ ").replace(" ≤ ", " > ")
    rule(code, sev, title, aliases=(rel_code,))(func)


_LEGACY_EXAMPLES = {
    "L1": "收到申请数 5,当面 1、传真 0、网络 3、信函 0 → \"当面+传真+网络+信函 4 ≠ 收到申请数 5\"。",
    "L2": "申请办结数 6,按时 5、延期 0 → \"按时+延期 5 ≠ 申请办结数 6\"。",
    "L3": "申请答复数 6,各类答复之和 7 → \"各类答复之和 7 ≠ 申请答复数 6\"。",
    "L4": "不同意公开答复数 2,其中各项之和 1 → 警告(其中项可能只列部分理由)。",
    "L5": "行政复议数量 3,维持 1、纠错 1、其他 0 → \"维持+纠错+其他 2 ≠ 行政复议数量 3\"。",
    "L6": "行政诉讼数量 2,维持 0、纠错 0、其他 1 → \"维持+纠错+其他 1 ≠ 行政诉讼数量 2\"。",
    "L7": "工作人员数 3,专职 1、兼职 1 → \"专职+兼职 2 ≠ 工作人员数 3\"。",
    "L8": "主动公开规范性文件数 30 > 主动公开政府信息数 20。",
    "L9": "主动公开政府信息数 300 > 各渠道之和 258(警告:同一信息多渠道只计 1 条,故总数不应超过各渠道之和)。",
    "L10": "主要负责同志参加新闻发布会 3 次 > 新闻发布会总次数 2。",
    "L11": "申请答复数 5 ≠ 申请办结数 6(警告:每件办结的申请应有一次答复)。",
}

for _n in range(1, 12):
    _legacy_rule(_n)


# --- cell kinds (count / signed / money) from the edition declarations ------------------------

@lru_cache(maxsize=8)
def _kinds(ed_name: str) -> dict[str, str]:
    ed: Edition = EDITIONS[ed_name]
    out: dict[str, str] = {}
    for t in ed.tables:
        for r in t.rows:
            if t.layout == "indicator":
                out[t.cell_id(r, None)] = "money" if (r.unit or "") in ("万元", "元") else "count"
            else:
                for c in t.cols:
                    out[t.cell_id(r, c)] = c.kind
    return out


@lru_cache(maxsize=8)
def _related(ed_name: str) -> frozenset[str]:
    return frozenset(c for r in EDITIONS[ed_name].relations for c in r.cells)


def cell_kind(report: Report, cid: str) -> str:
    if report.edition in EDITIONS:
        k = _kinds(report.edition).get(cid)
        if k:
            return k
    unit = report.cells[cid].unit if cid in report.cells else None
    return "money" if unit in ("元", "万元") else "count"


@rule("GK110", "warning", "空白单元格(未填 0)", aliases=("A5", "E12"))
def blank_cells(report: Report) -> Iterator[Finding]:
    """表格单元格空白(或为"—""/""无"),而不是填写 0。统计表应逐格填写数字;空白格在算术
    检查中按 0 计算。参与勾稽关系的空白格为警告,其余为提示。同一张表空白格超过 10 个时合并为
    一条。提取时因数字连写无法拆分(GK001)或内容不是数字(GK003)而置空的格不是空白,不在此报告。

    例:三 表"8.属于行政查询事项 · 法律服务机构"空白 → "8.属于行政查询事项 · 法律服务机构 为空白
    (未填 0),校验时按 0 计"。
    """
    related = _related(report.edition) if report.edition in EDITIONS else frozenset()
    unknown = unknown_cells(report)
    blanks = [cid for cid, c in report.cells.items() if c.value is None and cid not in unknown]
    by_table: dict[str, list[str]] = {}
    for cid in blanks:
        by_table.setdefault(cid.split(".")[0], []).append(cid)
    for prefix, cids in by_table.items():
        if len(cids) > 10:
            sev = "warning" if any(c in related for c in cids) else "info"
            yield finding(report, "GK110", sev,
                          f"{prefix} 表有 {len(cids)} 个空白单元格(未填 0),校验时按 0 计", cids)
            continue
        for cid in cids:
            sev = "warning" if cid in related else "info"
            yield finding(report, "GK110", sev, f"{cell_name(report, cid)} 为空白(未填 0),校验时按 0 计", [cid])


@rule("GK111", "error", "数量为负数或小数", aliases=("L12", "E21"))
def odd_counts(report: Report) -> Iterator[Finding]:
    """件数、条数、人数等计数格必须是非负整数(A5、L12)。"本年增/减"一列允许负数;金额
    (万元、元)允许小数,但不得为负。

    例:三 表"重复申请 · 自然人"为 -2 → "重复申请 · 自然人 为负数 -2";"(一)收到申请数"为
    2.5 → "收到申请数 应为整数,实为 2.5"。
    """
    for cid, c in report.cells.items():
        v = c.value
        if v is None:
            continue
        kind = cell_kind(report, cid)
        if v < 0 and kind != "signed":
            yield finding(report, "GK111", "error", f"{cell_name(report, cid)} 为负数 {fmt(v)}", [cid])
        elif kind != "money" and isinstance(v, float) and not v.is_integer():
            yield finding(report, "GK111", "error", f"{cell_name(report, cid)} 应为整数,实为 {fmt(v)}", [cid])


@rule("GK106", "warning", "处理决定数量疑似填入“本年增/减”", aliases=("A8", "E11"))
def a8(report: Report) -> Iterator[Finding]:
    """2019 年格式(试行)第二十条第(五)(六)(八)项:"本年增/减"是事项(项目)数量的净变化,
    通常远小于"处理决定数量"。若本年增/减 与 处理决定数量 相等或几乎相等(差不超过 1%),多半是把
    处理决定数量填进了本年增/减(A8)。另外,上一年项目数量 + 本年增/减 不应小于 0。各行
    "本年增/减"全为 0 而上一年项目数量很大时,给出提示(可能未填写)。

    例:行政许可 上一年项目数量 0、本年增/减 +6980、处理决定数量 6979 → 警告。
    """
    ed = edition_of(report)
    if ed is None:
        return
    vals = report.values()
    changes: list[str] = []
    prev_total: Number = 0
    for t in ed.tables:
        keys = {c.key for c in t.cols}
        if "change" not in keys or t.layout != "rows":
            continue
        for r in t.rows:
            prev_c, ch_c, dec_c = _col(t, "prev_items"), _col(t, "change"), _col(t, "decisions")
            prev_id = t.cell_id(r, prev_c) if prev_c else ""
            ch_id = t.cell_id(r, ch_c) if ch_c else ""
            dec_id = t.cell_id(r, dec_c) if dec_c else ""
            ch = vals.get(ch_id)
            if ch_id in report.cells:
                changes.append(ch_id)
            prev = vals.get(prev_id)
            prev_total += prev or 0
            dec = vals.get(dec_id) if dec_id else None
            label = r.label
            if ch and dec and dec >= 10 and abs(ch - dec) <= max(1, dec * 0.01):
                yield finding(report, "GK106", "warning",
                              f"{label} 行: 本年增/减 {fmt(ch)} 与 处理决定数量 {fmt(dec)} 几乎相同,"
                              "疑似把处理决定数量填入了本年增/减", [ch_id, dec_id])
            if ch is not None and prev is not None and prev + ch < 0:
                yield finding(report, "GK106", "warning",
                              f"{label} 行: 上一年项目数量 {fmt(prev)} + 本年增/减 {fmt(ch)} = "
                              f"{fmt(prev + ch)} < 0", [prev_id, ch_id])
    if len(changes) >= 3 and all(vals.get(c) == 0 for c in changes) and prev_total >= 100:
        yield finding(report, "GK106", "info",
                      f"第二十条各项 本年增/减 全部为 0,而上一年项目数量合计 {fmt(prev_total)},请确认是否漏填",
                      changes)


def _col(t: Table, key: str) -> Col | None:
    for c in t.cols:
        if c.key == key:
            return c
    return None


_GROUPS = ("denied", "unable", "rejected", "other")
_APPLICANTS = ("commercial", "research", "ngo", "legal", "other_org")


@rule("GK108", "error", "小计 ≠ 其组成部分之和", aliases=("A6",))
def a6(report: Report) -> Iterator[Finding]:
    """部分模板给(三)不予公开、(四)无法提供、(五)不予处理、(六)其他处理 增设小计行,或给
    "法人或其他组织"增设小计列(ID 为 s3.<组>.subtotal.<列>、s3.<行>.org_subtotal)。
    出现时,小计应等于其组成部分之和(A6)。

    例:(四)无法提供 小计 总计 5,三项之和 4 → "无法提供 小计 · 总计 列: 各项之和 4 ≠ 小计 5"。
    """
    ed = edition_of(report)
    if ed is None:
        return
    try:
        s3 = ed.table("s3")
    except KeyError:
        return
    vals = report.values()
    for g in _GROUPS:
        rows = [r.key for r in s3.rows if r.key.startswith(g + ".")]
        if not rows:
            continue
        for c in s3.cols:
            sid = f"s3.{g}.subtotal.{c.key}"
            if sid not in report.cells:
                continue
            parts = [f"s3.{r}.{c.key}" for r in rows if f"s3.{r}.{c.key}" in report.cells]
            total = sum((vals.get(p) or 0) for p in parts)
            if abs((vals.get(sid) or 0) - total) > 1e-6:
                yield finding(report, "GK108", "error",
                              f"{g} 小计 · {c.label} 列: 各项之和 {fmt(total)} ≠ 小计 {fmt(vals.get(sid))}",
                              [sid, *parts])
    for r in s3.rows:
        sid = f"s3.{r.key}.org_subtotal"
        if sid not in report.cells:
            continue
        parts = [f"s3.{r.key}.{a}" for a in _APPLICANTS if f"s3.{r.key}.{a}" in report.cells]
        total = sum((vals.get(p) or 0) for p in parts)
        if abs((vals.get(sid) or 0) - total) > 1e-6:
            yield finding(report, "GK108", "error",
                          f"{r.label} 行: 法人或其他组织各列之和 {fmt(total)} ≠ 小计 {fmt(vals.get(sid))}",
                          [sid, *parts])


# OCR word confidence (0-1) under which a number read from a scan is doubtful
DOUBT = 0.75


@rule("GK112", "warning", "扫描识别存疑的数字")
def doubtful_digits(report: Report) -> Iterator[Finding]:
    """扫描件(图片、扫描 PDF)的数字由文字识别(OCR)读出,识别引擎对某格把握不大(置信度低于
    0.75)时报告此条(提示级)。若该格所在的勾稽关系不成立,很可能正是识别错了(如把 3 认成 8),
    此时升为警告并写明,该关系的算术错误也应先核对这一格。

    例:扫描件"予以公开 · 自然人"识别为 8,置信度 0.41,且"予以公开 行:各申请人合计 8 ≠ 总计 3"
    → "予以公开 · 自然人 = 8 为扫描识别结果,置信度 0.41;所在关系不成立,很可能识别有误"。
    """
    doubtful = {cid: c for cid, c in report.cells.items()
                if c.value is not None and 0.0 < c.confidence < DOUBT}
    if not doubtful:
        return
    failing = {c for rel in failing_relations(report) for c in rel.cells}
    for cid, c in doubtful.items():
        msg = f"{cell_name(report, cid)} = {fmt(c.value)} 为扫描识别结果,置信度 {c.confidence:.2f}"
        if cid in failing:
            msg += ";所在勾稽关系不成立,很可能识别有误,请对照原件"
            yield finding(report, "GK112", "warning", msg, [cid])
        else:
            yield finding(report, "GK112", "info", msg + ";请对照原件核对", [cid])
