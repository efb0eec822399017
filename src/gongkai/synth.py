"""Synthetic 政府信息公开工作年度报告 for tests, demos and scale benchmarks.

`random_report(edition, rng)` draws an internally consistent set of cell values (every
relation A1–A4, A7/A9 and L1–L11 of the edition holds); `render(cells, edition, layout, meta)`
prints them as a whole report in one of the text layouts real reports arrive in. Labels come
from the edition definitions (`Row.label`, `Col.label`), never from here.

`make_report` puts the two together, optionally with controlled errors, and returns the text
and its gold (the format of the shared corpus: edition, meta, cells, units, known_findings).
"""

from __future__ import annotations

import html as _html
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .editions import EDITIONS, Edition, Table
from .editions.common import S3_COLS, S4_GROUPS, S4_RESULTS

Number = int | float
Cells = dict[str, Number | None]

LAYOUTS = ("pipe", "lines", "tab", "markdown", "html", "crawl")
EDITION_NAMES = ("2021", "2019", "legacy")

# (province, city, county or None) — real administrative divisions, for realistic metadata
PLACES: tuple[tuple[str, str, str | None], ...] = (
    ("湖南省", "衡阳市", None), ("湖南省", "衡阳市", "衡山县"), ("湖南省", "衡阳市", "衡东县"),
    ("湖南省", "长沙市", None), ("湖南省", "长沙市", "浏阳市"), ("湖南省", "株洲市", "醴陵市"),
    ("广西壮族自治区", "柳州市", None), ("广西壮族自治区", "柳州市", "城中区"),
    ("广西壮族自治区", "南宁市", "青秀区"), ("甘肃省", "兰州市", None), ("甘肃省", "兰州市", "城关区"),
    ("四川省", "成都市", None), ("四川省", "成都市", "武侯区"), ("四川省", "绵阳市", "涪城区"),
    ("浙江省", "杭州市", None), ("浙江省", "杭州市", "西湖区"), ("浙江省", "宁波市", "鄞州区"),
    ("江苏省", "南京市", None), ("江苏省", "苏州市", "昆山市"), ("福建省", "厦门市", "思明区"),
    ("河南省", "郑州市", None), ("河南省", "洛阳市", "偃师区"), ("山东省", "青岛市", "黄岛区"),
)

DEPARTMENTS = (
    "人力资源和社会保障局", "发展和改革委员会", "财政局", "教育局", "民政局", "司法局", "自然资源局",
    "生态环境局", "住房和城乡建设局", "交通运输局", "农业农村局", "水利局", "商务局", "卫生健康委员会",
    "应急管理局", "市场监督管理局", "统计局", "医疗保障局", "审计局", "退役军人事务局",
)


@dataclass
class Synth:
    text: str
    gold: dict[str, Any]


# ---------------------------------------------------------------- values


def _small(rng: random.Random, p_zero: float = 0.6, scale: float = 3.0) -> int:
    if rng.random() < p_zero:
        return 0
    return int(rng.expovariate(1 / scale)) + 1


def _big(rng: random.Random, lo: float, hi: float) -> int:
    """Log-uniform integer in [10**lo, 10**hi)."""
    return int(10 ** rng.uniform(lo, hi))


def _s3(ed: Edition, rng: random.Random, cells: Cells) -> None:
    table = ed.table("s3")
    outcome = [r.key for r in table.rows if r.key not in ("new", "carried_in", "processed_total", "carried_over")]
    scale = 10 ** rng.uniform(0.3, 2.8)
    cols = [c.key for c in S3_COLS[:-1]]
    for ci, col in enumerate(cols):
        col_scale = scale if ci == 0 else scale * rng.choice((0.0, 0.0, 0.02, 0.05, 0.1))
        per: dict[str, int] = {}
        for row in outcome:
            weight = {"granted": 0.45, "partial": 0.1, "unable.not_held": 0.2}.get(row, 0.02)
            lam = col_scale * weight
            p_nonzero = 0.9 if row in ("granted", "partial", "unable.not_held") else 0.2
            per[row] = int(rng.expovariate(1 / lam)) if lam > 0.05 and rng.random() < p_nonzero else 0
        processed = sum(per.values())
        carried_over = _small(rng, 0.7, 1 + col_scale * 0.05)
        carried_in = rng.randint(0, min(processed + carried_over, _small(rng, 0.7, 1 + col_scale * 0.05)))
        new = processed + carried_over - carried_in
        for row, v in per.items():
            cells[f"s3.{row}.{col}"] = v
        cells[f"s3.processed_total.{col}"] = processed
        cells[f"s3.carried_over.{col}"] = carried_over
        cells[f"s3.carried_in.{col}"] = carried_in
        cells[f"s3.new.{col}"] = new
    for r in table.rows:
        cells[f"s3.{r.key}.total"] = sum(int(cells[f"s3.{r.key}.{c}"] or 0) for c in cols)


def _s4(rng: random.Random, cells: Cells) -> None:
    for g, _ in S4_GROUPS:
        parts = [_small(rng, 0.75, 2) for _ in S4_RESULTS[:-1]]
        for (r, _), v in zip(S4_RESULTS[:-1], parts, strict=True):
            cells[f"s4.{g}.{r}"] = v
        cells[f"s4.{g}.total"] = sum(parts)


def _s2_2021(rng: random.Random, cells: Cells) -> None:
    for r in ("rules", "normative"):
        in_force = _big(rng, 0, 2.5) if r == "normative" else _small(rng, 0.8, 3)
        issued = rng.randint(0, in_force)
        repealed = _small(rng, 0.6, 3)
        cells[f"s2.{r}.issued"], cells[f"s2.{r}.repealed"], cells[f"s2.{r}.in_force"] = issued, repealed, in_force
    for r in ("license", "punishment", "coercion"):
        cells[f"s2.{r}.decisions"] = _big(rng, 0, 4.5) if rng.random() < 0.8 else 0
    cells["s2.fees.amount"] = round(10 ** rng.uniform(0, 4), rng.choice((0, 2, 2, 4))) if rng.random() < 0.7 else 0


def _s2_2019(rng: random.Random, cells: Cells) -> str | None:
    for r in ("rules", "normative"):
        total = _big(rng, 0, 2.5) if r == "normative" else _small(rng, 0.8, 3)
        published = rng.randint(0, total)
        made = rng.randint(published, published + _small(rng, 0.7, 2))
        cells[f"s2.{r}.made"], cells[f"s2.{r}.published"], cells[f"s2.{r}.total"] = made, published, total
    for r in ("license", "other_services", "punishment", "coercion", "fees"):
        cells[f"s2.{r}.prev_items"] = _big(rng, 0, 3) if rng.random() < 0.8 else 0
        cells[f"s2.{r}.change"] = rng.choice((0, 0, 0, 1, -1, 2, -3, 35, 6980 // rng.randint(1, 100)))
        if r != "fees":
            cells[f"s2.{r}.decisions"] = _big(rng, 0, 4) if rng.random() < 0.8 else 0
    cells["s2.procurement.items"] = _big(rng, 0, 3)
    unit = rng.choice((None, "万元", "元"))
    amount = round(10 ** rng.uniform(1, 4), 2) if unit != "元" else _big(rng, 4, 8)
    cells["s2.procurement.amount"] = amount
    return unit


def _legacy(rng: random.Random, cells: Cells) -> None:
    def put(key: str, v: Number | None) -> None:
        cells[f"legacy.{key}"] = v

    channels = {k: _big(rng, 0, 3) if rng.random() < 0.7 else 0 for k in ("gazette", "website", "weibo", "wechat", "other")}
    hi = sum(channels.values())
    lo = max(channels.values())
    total = rng.randint(lo, hi) if hi else 0
    put("active.total", total)
    put("active.normative_published", rng.randint(0, min(total, 20)))
    put("active.normative_issued", _small(rng, 0.5, 5))
    for k, v in channels.items():
        put(f"active.channel.{k}", v)
    put("response.hotspots", _small(rng, 0.4, 5))
    pc = _small(rng, 0.5, 4)
    put("response.press_conf", pc)
    put("response.press_conf_chief", rng.randint(0, pc))
    iv = _small(rng, 0.6, 3)
    put("response.interviews", iv)
    put("response.interviews_chief", rng.randint(0, iv))
    for k in ("interpretations", "weibo_wechat", "other"):
        put(f"response.{k}", _small(rng, 0.5, 8))
    ways = {k: _small(rng, 0.5, 10) for k in ("in_person", "fax", "online", "letter")}
    received = sum(ways.values())
    put("apply.received.total", received)
    for k, v in ways.items():
        put(f"apply.received.{k}", v)
    on_time = rng.randint(0, received)
    extended = rng.randint(0, received - on_time)
    closed = on_time + extended
    put("apply.closed.total", closed)
    put("apply.closed.on_time", on_time)
    put("apply.closed.extended", extended)
    reasons = ["state_secret", "trade_secret", "privacy", "safety", "not_gov_info", "other_law"]
    kinds = ["already_public", "granted", "partial", "denied.total", "not_this_organ", "not_exist", "correction",
             "other_channel"]
    # split `closed` replies over the kinds
    left = closed
    parts: dict[str, int] = {}
    for k in kinds[:-1]:
        v = rng.randint(0, left // 2) if left else 0
        parts[k] = v
        left -= v
    parts[kinds[-1]] = left
    put("apply.replied.total", closed)
    for k in kinds:
        put(f"apply.replied.{k}", parts[k])
    left = parts["denied.total"]
    for k in reasons[:-1]:
        v = rng.randint(0, left)
        put(f"apply.replied.denied.{k}", v)
        left -= v
    put(f"apply.replied.denied.{reasons[-1]}", left)
    for g in ("review", "suit"):
        ps = [_small(rng, 0.8, 1.5) for _ in range(3)]
        put(f"{g}.total", sum(ps))
        for k, v in zip(("upheld", "corrected", "other"), ps, strict=True):
            put(f"{g}.{k}", v)
    put("complaints", _small(rng, 0.7, 2))
    put("fees", 0 if rng.random() < 0.9 else round(rng.uniform(0.01, 2), 2))
    put("org.units", rng.randint(0, 2))
    put("org.reading_points", rng.randint(0, 5))
    ft, pt = rng.randint(0, 3), rng.randint(0, 5)
    put("org.staff.total", ft + pt)
    put("org.staff.full_time", ft)
    put("org.staff.part_time", pt)
    put("org.budget", 0 if rng.random() < 0.6 else round(rng.uniform(0.5, 30), 1))
    put("training.meetings", _small(rng, 0.3, 3))
    put("training.classes", _small(rng, 0.4, 2))
    put("training.trainees", _small(rng, 0.4, 40))


def random_report(edition: str, rng: random.Random) -> dict[str, Any]:
    """Consistent cell values of one report: {"cells": {id: value}, "units": {id: unit}}.

    Every cell ID of the edition is present; every statutory relation holds.
    """
    ed = EDITIONS[edition]
    cells: Cells = {}
    units: dict[str, str] = {}
    if edition == "legacy":
        _legacy(rng, cells)
        for k in ("fees", "org.budget"):
            units[f"legacy.{k}"] = "万元"
    else:
        if edition == "2021":
            _s2_2021(rng, cells)
            units["s2.fees.amount"] = "万元"
        else:
            unit = _s2_2019(rng, cells)
            if unit:
                units["s2.procurement.amount"] = unit
        _s3(ed, rng, cells)
        _s4(rng, cells)
    ordered = {cid: cells[cid] for cid in ed.cell_ids}
    return {"cells": ordered, "units": units}


def random_meta(edition: str, rng: random.Random, year: int | None = None,
                place: tuple[str, str, str | None] | None = None, department: str | None = None) -> dict[str, Any]:
    """Metadata of a plausible reporting organ: agency, region, year, dates, kind."""
    lo, hi = {"2021": (2021, 2024), "2019": (2019, 2020), "legacy": (2014, 2018)}[edition]
    year = year if year is not None else rng.randint(lo, hi)
    prov, city, county = place or rng.choice(PLACES)
    local = f"{city}{county}" if county and county.endswith("区") else (county or city)
    region = "/".join(p for p in (prov, city, county) if p)
    if department is None and rng.random() < 0.3:
        department = ""
    elif department is None:
        department = rng.choice(DEPARTMENTS)
    if department:
        agency = f"{local}{department}"
        kind = "department"
    else:
        agency = f"{local}人民政府"
        kind = "government"
    month = 1 if (kind == "department" and year >= 2019) else rng.choice((1, 2, 3))
    day = rng.randint(5, 28)
    dated = f"{year + 1}-{month:02d}-{day:02d}"
    posted = f"{year + 1}-{month:02d}-{min(day + rng.randint(0, 2), 28):02d}"
    return {"agency": agency, "region": region, "year": year, "dated": dated, "posted": posted,
            "stat_period": [f"{year}-01-01", f"{year}-12-31"], "report_kind": kind}


# ---------------------------------------------------------------- rendering


@dataclass
class Grid:
    """A table as printed: header rows and body rows of (text, rowspan, colspan) cells."""

    title: str
    rows: list[list[tuple[str, int, int]]]


def _fmt(v: Number | None) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.10g}" if v != int(v) else f"{v:.1f}"
    return str(v)


def _fmt_cell(cid: str, v: Number | None, units: dict[str, str], style: int) -> str:
    """A value as a report prints it: signed changes in words, units where the report adds them."""
    if v is None:
        return ""
    if cid.endswith(".change"):
        if v == 0:
            return "0"
        if style % 3 == 0:
            return f"增{v}项" if v > 0 else f"减{-v}项"
        if style % 3 == 1:
            return f"+{v}" if v > 0 else f"-{-v}"
        return f"{v}"
    if cid.endswith(".prev_items") and style % 2 == 1:
        return f"{v}项"
    if cid == "s2.procurement.amount" and cid in units:
        return f"{_fmt(v)}{units[cid]}"
    return _fmt(v)


def _one(text: str) -> tuple[str, int, int]:
    return (text, 1, 1)


def _grids(cells: Cells, edition: str, units: dict[str, str], style: int) -> list[tuple[str, Grid]]:
    """The report's tables as grids, keyed by the section they belong to (s2, s3, s4, legacy)."""
    ed = EDITIONS[edition]
    out: list[tuple[str, Grid]] = []
    for t in ed.tables:
        if t.prefix == "s2":
            out.append(("s2", _s2_grid(t, cells, units, style)))
        elif t.key == "s3":
            out.append(("s3", _s3_grid(t, cells, units, style)))
        elif t.key == "s4":
            out.append(("s4", _s4_grid(t, cells)))
        elif t.key == "legacy":
            out.append(("legacy", _legacy_grid(t, cells, units, style)))
    return out


def _s2_grid(t: Table, cells: Cells, units: dict[str, str], style: int) -> Grid:
    rows = [[_one("信息内容"), *(_one(c.label) for c in t.cols)]]
    for r in t.rows:
        rows.append([_one(r.label), *(_one(_fmt_cell(t.cell_id(r, c), cells.get(t.cell_id(r, c)), units, style))
                                      for c in t.cols)])
    return Grid(t.title, rows)


def _s3_grid(t: Table, cells: Cells, units: dict[str, str], style: int) -> Grid:
    """Three label columns (三、本年度办理结果 · (三)不予公开 · 1.属于国家秘密), then the seven value columns."""
    n = len(t.cols)
    rows: list[list[tuple[str, int, int]]] = [
        [("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", 3, 3), ("申请人情况", 1, n)],
        [("自然人", 2, 1), ("法人或其他组织", 1, n - 2), ("总计", 2, 1)],
        [_one(c.label) for c in S3_COLS[1:-1]],
    ]
    plain = ("new", "carried_in", "carried_over")
    n_outcome = sum(1 for r in t.rows if r.key not in plain)
    span: dict[str, int] = {}
    group_label: dict[str, str] = {}
    for r in t.rows:
        if "." in r.key:
            p = r.key.split(".")[0]
            span[p] = span.get(p, 0) + 1
            if r.group:
                group_label.setdefault(p, r.group)
    seen: set[str] = set()
    for r in t.rows:
        row: list[tuple[str, int, int]] = []
        if r.key in plain:
            row.append((r.label, 1, 3))
        else:
            if r.key == "granted":
                row.append(("三、本年度办理结果", n_outcome, 1))
            if "." in r.key:
                p = r.key.split(".")[0]
                if p not in seen:
                    seen.add(p)
                    row.append((group_label.get(p, ""), span[p], 1))
                row.append((r.label, 1, 1))
            else:
                row.append((r.label, 1, 2))
        for c in t.cols:
            cid = t.cell_id(r, c)
            row.append(_one(_fmt_cell(cid, cells.get(cid), units, style)))
        rows.append(row)
    return Grid(t.title, rows)


def _s4_grid(t: Table, cells: Cells) -> Grid:
    res = [rl for _, rl in S4_RESULTS]
    head = [
        [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
        [*((x, 2, 1) for x in res), ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
        [_one(x) for x in res * 2],
    ]
    vals = [_one(_fmt(cells.get(t.cell_id(t.rows[0], c)))) for c in t.cols]
    return Grid(t.title, [*head, vals])


LEGACY_HEADINGS = {
    "active.total": "一、主动公开情况",
    "active.channel.gazette": "(二)通过不同渠道和方式公开政府信息的情况",
    "response.hotspots": "二、回应解读情况",
    "response.press_conf": "(二)通过不同渠道和方式回应解读的情况",
    "apply.received.total": "三、依申请公开情况",
    "org.units": "八、机构建设和保障经费情况",
    "training.meetings": "九、政府信息公开会议和培训情况",
}


def _legacy_grid(t: Table, cells: Cells, units: dict[str, str], style: int) -> Grid:
    rows = [[_one("指标"), _one("单位"), _one("数量")]]
    for r in t.rows:
        if r.key in LEGACY_HEADINGS:
            rows.append([_one(LEGACY_HEADINGS[r.key]), _one("—"), _one("")])
        cid = t.cell_id(r, None)
        rows.append([_one(r.label), _one(r.unit or ""), _one(_fmt_cell(cid, cells.get(cid), units, style))])
    return Grid(t.title, rows)


def _flat(grid: Grid) -> list[list[str]]:
    """Text layouts print each physical cell once, in reading order (spans are not repeated)."""
    return [[c[0] for c in row] for row in grid.rows]


def _render_rows(rows: list[list[str]], layout: str) -> str:
    if layout == "pipe":
        return "\n".join(" | ".join(r) + " |" for r in rows)
    if layout == "tab":
        return "\n".join("\t".join(r) for r in rows)
    if layout == "markdown":
        width = max(len(r) for r in rows)
        lines = []
        for i, r in enumerate(rows):
            padded = r + [""] * (width - len(r))
            lines.append("| " + " | ".join(padded) + " |")
            if i == 0:
                lines.append("|" + "---|" * width)
        return "\n".join(lines)
    if layout == "lines":
        # one cell per line, a blank line after each; an empty cell leaves an empty line
        return "\n".join(f"{c}\n" for r in rows for c in r)
    if layout == "crawl":
        return "".join("".join(r) for r in rows)
    raise ValueError(layout)


def _render_html_table(grid: Grid) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse">', "<tbody>"]
    for row in grid.rows:
        out.append("<tr>")
        for text, rs, cs in row:
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            inner = _html.escape(text) if text else "&nbsp;"
            out.append(f'<td{attrs} valign="center"><p style="text-align:center">{inner}</p></td>')
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


SECTION_TITLES_NEW = {
    "overview": "一、总体情况",
    "s2": "二、主动公开政府信息情况",
    "s3": "三、收到和处理政府信息公开申请情况",
    "s4": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}


def _cn_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"


def render(cells: Cells, edition: str, layout: str, meta: dict[str, Any], units: dict[str, str] | None = None,
           style: int = 0) -> str:
    """A whole report (title, date, narrative, tables) in `layout`; see LAYOUTS."""
    if layout not in LAYOUTS:
        raise ValueError(f"未知版式: {layout}")
    units = units or {}
    agency, year = meta["agency"], meta["year"]
    title = f"{agency}{year}年政府信息公开工作年度报告"
    blocks: list[tuple[str, str]] = []  # (kind, text): kind para | heading | table:<html>
    blocks.append(("heading", title))
    if meta.get("posted"):
        blocks.append(("para", f"信息来源:{agency} 发布日期:{meta['posted']} 09:30"))
    period = (f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
              if meta.get("stat_period") else "")
    intro = (f"本报告根据《中华人民共和国政府信息公开条例》要求编制,由{agency}编制。{period}"
             "本报告电子版可在本机关门户网站下载。如对本报告有疑问,请与本机关办公室联系。")
    blocks.append(("para", intro))
    grids = _grids(cells, edition, units, style)
    if edition == "legacy":
        v = cells
        blocks.append(("heading", "一、概述"))
        blocks.append(("para", f"{year}年,我单位认真贯彻落实《中华人民共和国政府信息公开条例》,扎实推进政府信息公开工作。"))
        blocks.append(("heading", "二、主动公开政府信息情况"))
        blocks.append(("para", f"全年主动公开政府信息{_fmt(v.get('legacy.active.total'))}条。"))
        blocks.append(("heading", "三、依申请公开政府信息情况"))
        blocks.append(("para", "依申请公开工作按照规定程序办理,答复及时。"))
        blocks.append(("heading", "四、政府信息公开的收费及减免情况"))
        blocks.append(("para", "本年度未收取任何费用。"))
        blocks.append(("heading", "五、存在的主要问题和改进措施"))
        blocks.append(("para", "信息公开的及时性和规范性有待进一步提高,下一步将加强培训。"))
        blocks.append(("heading", "六、附表"))
        blocks.append(("heading", "政府信息公开情况统计表"))
        for _, g in grids:
            blocks.append(("table", g))  # type: ignore[arg-type]
    else:
        blocks.append(("heading", SECTION_TITLES_NEW["overview"]))
        blocks.append(("para", f"{year}年,{agency}坚持以公开为常态、不公开为例外,持续推进政府信息公开工作,"
                               "(一)主动公开方面,及时公开各类政府信息。(二)依申请公开方面,依法规范办理。"))
        done: set[str] = set()
        for sec, g in grids:
            if sec not in done:
                blocks.append(("heading", SECTION_TITLES_NEW[sec]))
                done.add(sec)
            if sec == "s2":
                blocks.append(("heading", g.title))
            blocks.append(("table", g))  # type: ignore[arg-type]
        blocks.append(("heading", SECTION_TITLES_NEW["problems"]))
        blocks.append(("para", "存在的主要问题:政策解读形式不够丰富。改进措施:丰富解读形式,提升公开质效。"))
        blocks.append(("heading", SECTION_TITLES_NEW["other"]))
        blocks.append(("para", f"{year}年未向申请人收取信息处理费。" if edition == "2021" else "无。"))
    blocks.append(("para", agency))
    blocks.append(("para", _cn_date(meta["dated"]) if meta.get("dated") else ""))

    if layout == "html":
        body = []
        for kind, b in blocks:
            if kind == "table":
                body.append(_render_html_table(b))  # type: ignore[arg-type]
            elif kind == "heading":
                body.append(f"<p><strong>{_html.escape(b)}</strong></p>")
            elif b:
                body.append(f"<p>{_html.escape(b)}</p>")
        return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + _html.escape(title) +
                "</title></head><body><div class=\"nav\">首页 &gt; 政务公开 &gt; 政府信息公开年报</div>"
                "<div class=\"tools\">分享至: 微信 微博 【字号:大 中 小】</div><div class=\"content\">" +
                "\n".join(body) + "</div><div class=\"footer\">主办单位:" + _html.escape(agency) +
                "</div></body></html>\n")
    parts: list[str] = []
    for kind, b in blocks:
        if kind == "table":
            parts.append(_render_rows(_flat(b), layout))  # type: ignore[arg-type]
        elif b:
            parts.append(b)
    if layout == "crawl":
        return "首页 政务公开 政府信息公开年报 " + " ".join(parts) + " 【打印本页】 【关闭窗口】\n"
    sep = "\n\n" if layout == "lines" else "\n"
    return sep.join(parts) + "\n"


# ---------------------------------------------------------------- controlled errors


def _break(cells: Cells, edition: str, rng: random.Random) -> str:
    """Damage one printed value so that exactly one kind of check should fire; returns a description."""
    ed = EDITIONS[edition]
    kind = rng.choice(("arith", "arith", "blank"))
    if edition == "legacy":
        totals = ["legacy.apply.received.total", "legacy.review.total", "legacy.org.staff.total",
                  "legacy.apply.closed.total"]
    else:
        totals = [f"s3.{r}.total" for r in ("new", "granted", "processed_total")] + ["s4.review.total"]
    if kind == "blank":
        cands = [c for c in ed.cell_ids if cells.get(c) is not None]
        cid = rng.choice(cands)
        cells[cid] = None
        return f"blank cell {cid}"
    cid = rng.choice(totals)
    old = int(cells[cid] or 0)
    cells[cid] = old + rng.choice((1, 2, 3, 10))
    return f"{cid} printed {cells[cid]} != {old} (relation fails)"


def make_report(edition: str, layout: str, rng: random.Random, errors: float = 0.0,
                meta: dict[str, Any] | None = None, ident: str = "synth") -> Synth:
    data = random_report(edition, rng)
    cells: Cells = data["cells"]
    units: dict[str, str] = data["units"]
    meta = meta or random_meta(edition, rng)
    known: list[str] = []
    if errors and rng.random() < errors:
        known.append(_break(cells, edition, rng))
    style = rng.randint(0, 5)
    text = render(cells, edition, layout, meta, units, style)
    gold_meta = {k: meta.get(k) for k in ("agency", "region", "year", "dated", "posted", "stat_period", "report_kind")}
    gold = {"id": ident, "edition": edition, "layout": layout, "meta": gold_meta, "cells": cells, "units": units,
            "known_findings": known}
    return Synth(text, gold)


def iter_reports(n: int, rng: random.Random, editions: tuple[str, ...] = EDITION_NAMES,
                 layouts: tuple[str, ...] = LAYOUTS, errors: float = 0.0) -> Iterator[Synth]:
    for i in range(n):
        ed = editions[i % len(editions)]
        lay = layouts[(i // len(editions)) % len(layouts)]
        yield make_report(ed, lay, rng, errors, ident=f"synth-{i:06d}")


def write_corpus(out: Path, n: int, seed: int = 0, editions: tuple[str, ...] = EDITION_NAMES,
                 layouts: tuple[str, ...] = LAYOUTS, errors: float = 0.0, gold: bool = True) -> list[Path]:
    """Write `n` synthetic reports (and gold JSON beside each) into `out`; returns the report paths."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for s in iter_reports(n, rng, editions, layouts, errors):
        ext = "html" if s.gold["layout"] == "html" else "txt"
        p = out / f"{s.gold['id']}.{ext}"
        p.write_text(s.text, encoding="utf-8")
        if gold:
            (out / f"{s.gold['id']}.gold.json").write_text(json.dumps(s.gold, ensure_ascii=False, indent=1),
                                                           encoding="utf-8")
        paths.append(p)
    return paths


def chain_values(prev: Cells, cur: Cells, prev_edition: str, edition: str) -> None:
    """Make `cur` continue `prev` (the same organ's previous year): 上年结转 = last 结转下年度 (X1),
    现行有效件数 carried forward (X2), 2019 item counts (X3). Keeps every in-report relation."""
    if prev_edition in ("2019", "2021") and edition in ("2019", "2021"):
        for c in S3_COLS[:-1]:
            want = prev.get(f"s3.carried_over.{c.key}")
            if want is None:
                continue
            delta = int(want) - int(cur[f"s3.carried_in.{c.key}"] or 0)
            cur[f"s3.carried_in.{c.key}"] = want
            # keep 一+二=三+四: 本年新收 absorbs the difference where it can, else 结转下年度 grows
            new = int(cur[f"s3.new.{c.key}"] or 0) - delta
            if new >= 0:
                cur[f"s3.new.{c.key}"] = new
            else:
                cur[f"s3.new.{c.key}"] = 0
                cur[f"s3.carried_over.{c.key}"] = int(cur[f"s3.carried_over.{c.key}"] or 0) - new
        _row_totals(cur)
    if prev_edition == edition == "2021":
        for row in ("rules", "normative"):
            base = int(prev.get(f"s2.{row}.in_force") or 0)
            rep = min(int(cur[f"s2.{row}.repealed"] or 0), base)
            cur[f"s2.{row}.repealed"] = rep
            cur[f"s2.{row}.in_force"] = base + int(cur[f"s2.{row}.issued"] or 0) - rep
    if prev_edition == edition == "2019":
        for row in ("license", "other_services", "punishment", "coercion", "fees"):
            cur[f"s2.{row}.prev_items"] = max(0, int(prev.get(f"s2.{row}.prev_items") or 0)
                                              + int(prev.get(f"s2.{row}.change") or 0))


def _row_totals(cells: Cells) -> None:
    for row in ("new", "carried_in", "carried_over"):
        cells[f"s3.{row}.total"] = sum(int(cells[f"s3.{row}.{c.key}"] or 0) for c in S3_COLS[:-1])


def write_samples(out: Path, seed: int = 2024) -> list[Path]:
    """The bundled demo set: one organ over several years and editions (cross-year checks have
    something to compare, with one deliberate 上年结转 break), plus other organs in every layout."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths: list[Path] = []
    place = ("湖南省", "衡阳市", None)
    series = [(2017, "legacy", "pipe"), (2019, "2019", "lines"), (2020, "2019", "html"), (2021, "2021", "tab"),
              (2022, "2021", "markdown"), (2023, "2021", "pipe")]
    prev: tuple[Cells, str] | None = None
    for i, (year, ed, lay) in enumerate(series):
        data = random_report(ed, rng)
        cells = data["cells"]
        if prev is not None:
            chain_values(prev[0], cells, prev[1], ed)
        known = []
        if year == 2022:  # deliberate X1 break: carried in does not match 2021's carried over
            cells["s3.carried_in.natural"] = int(cells["s3.carried_in.natural"] or 0) + 2
            cells["s3.carried_over.natural"] = int(cells["s3.carried_over.natural"] or 0) + 2
            _row_totals(cells)
            known.append("GK501: 上年结转 does not equal 2021's 结转下年度继续办理")
        meta = random_meta(ed, rng, year=year, place=place, department="人力资源和社会保障局")
        text = render(cells, ed, lay, meta, data["units"], style=i)
        ident = f"sample-{i:02d}-{year}-{ed}-{lay}"
        p = out / f"{ident}.{'html' if lay == 'html' else 'txt'}"
        p.write_text(text, encoding="utf-8")
        gold = {"id": ident, "edition": ed, "layout": lay, "meta": {k: meta.get(k) for k in (
            "agency", "region", "year", "dated", "posted", "stat_period", "report_kind")},
            "cells": cells, "units": data["units"], "known_findings": known}
        (out / f"{ident}.gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(p)
        prev = (cells, ed)
    for j, lay in enumerate(LAYOUTS):
        ed = EDITION_NAMES[j % 3]
        s = make_report(ed, lay, rng, errors=0.5, ident=f"sample-{len(series) + j:02d}-{ed}-{lay}")
        p = out / f"{s.gold['id']}.{'html' if lay == 'html' else 'txt'}"
        p.write_text(s.text, encoding="utf-8")
        (out / f"{s.gold['id']}.gold.json").write_text(json.dumps(s.gold, ensure_ascii=False, indent=1),
                                                       encoding="utf-8")
        paths.append(p)
    return paths
