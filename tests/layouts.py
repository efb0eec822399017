"""Render a table of an edition in the text layouts real reports use (test helper).

The parser must read every layout back to the same cells: pipe rows, one cell per line
(single- and double-spaced, blanks as empty lines), tab-separated, markdown, an HTML table
with rowspan/colspan, and the crawler's run-together text.
"""

from __future__ import annotations

import html
import random
import unicodedata

from gongkai.editions import EDITIONS

LAYOUTS = ("pipe", "lines", "lines2", "tabs", "markdown", "html", "spaces_marks", "aligned", "runtogether",
           "runtogether_marks")
# layouts that lose information: blank cells vanish (space-separated, run together row by row)
LOSSY_LAYOUTS = ("spaces_dropped", "rowlines")


def consistent_cells(edition: str, rng: random.Random, blank_rate: float = 0.0) -> dict[str, int | None]:
    """Random cells for which every exact relation of the edition holds."""
    ed = EDITIONS[edition]
    cells: dict[str, int | None] = {}
    small = lambda: rng.choice([0, 0, 0, 0, 1, 2, 3, rng.randint(0, 30), rng.randint(0, 300)])  # noqa: E731
    if edition == "legacy":
        t = ed.tables[0]
        for r in t.rows:
            cells[t.cell_id(r, None)] = small()
        def fix(total: str, parts: list[str]) -> None:
            cells["legacy." + total] = sum(cells["legacy." + p] or 0 for p in parts)
        fix("apply.received.total", [f"apply.received.{k}" for k in ("in_person", "fax", "online", "letter")])
        fix("apply.closed.total", ["apply.closed.on_time", "apply.closed.extended"])
        fix("apply.replied.denied.total", [f"apply.replied.denied.{k}" for k in (
            "state_secret", "trade_secret", "privacy", "safety", "not_gov_info", "other_law")])
        fix("apply.replied.total", [f"apply.replied.{k}" for k in (
            "already_public", "granted", "partial", "denied.total", "not_this_organ", "not_exist", "correction",
            "other_channel")])
        fix("review.total", ["review.upheld", "review.corrected", "review.other"])
        fix("suit.total", ["suit.upheld", "suit.corrected", "suit.other"])
        fix("org.staff.total", ["org.staff.full_time", "org.staff.part_time"])
        return cells
    s3 = ed.table("s3")
    cols = [c.key for c in s3.cols]
    outcome = [r.key for r in s3.rows if r.key not in ("new", "carried_in", "processed_total", "carried_over")]
    for r in outcome:
        for c in cols[:-1]:
            cells[f"s3.{r}.{c}"] = small() if c in ("natural", "commercial") else rng.choice([0, 0, 0, 1])
    for c in cols[:-1]:
        cells[f"s3.processed_total.{c}"] = sum(cells[f"s3.{r}.{c}"] or 0 for r in outcome)
        cells[f"s3.carried_over.{c}"] = rng.choice([0, 0, 1, 2])
        cells[f"s3.carried_in.{c}"] = rng.choice([0, 0, 1])
        cells[f"s3.new.{c}"] = (cells[f"s3.processed_total.{c}"] + cells[f"s3.carried_over.{c}"]
                                - cells[f"s3.carried_in.{c}"])
        if cells[f"s3.new.{c}"] < 0:
            cells[f"s3.carried_in.{c}"] += cells[f"s3.new.{c}"]
            cells[f"s3.new.{c}"] = 0
    for r in ["new", "carried_in", *outcome, "processed_total", "carried_over"]:
        cells[f"s3.{r}.total"] = sum(cells[f"s3.{r}.{c}"] or 0 for c in cols[:-1])
    for g in ("review", "suit_direct", "suit_after_review"):
        parts = [small() for _ in range(4)]
        for k, v in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells[f"s4.{g}.{k}"] = v
        cells[f"s4.{g}.total"] = sum(parts)
    for t in ed.tables:
        if t.prefix == "s2":
            for cid in t.cell_ids():
                cells[cid] = small()
    if blank_rate:
        for k in list(cells):
            if k.startswith("s3.") and rng.random() < blank_rate and cells[k] == 0:
                cells[k] = None
    return cells


def _v(v: int | float | None) -> str:
    return "" if v is None else str(v)


def table_rows(edition: str, cells: dict) -> list[list[str]]:
    """The official tables as rows of strings (header rows included)."""
    ed = EDITIONS[edition]
    rows: list[list[str]] = []
    for t in ed.tables:
        if t.layout == "indicator":
            rows.append(["指标", "单位", "数量"])
            for r in t.rows:
                rows.append([r.label, r.unit or "", _v(cells.get(t.cell_id(r, None)))])
        elif t.layout == "single_row":
            rows.append(["四、政府信息公开行政复议、行政诉讼情况"])
            rows.append(["行政复议", "行政诉讼"])
            rows.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"])
            rows.append([_v(cells.get(t.cell_id(t.rows[0], c))) for c in t.cols])
        elif t.key == "s3":
            rows.append(["三、收到和处理政府信息公开申请情况"])
            rows.append(["(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", "申请人情况"])
            rows.append([c.label for c in t.cols])
            for r in t.rows:
                rows.append([r.label] + [_v(cells.get(t.cell_id(r, c))) for c in t.cols])
        else:
            if t.key == "s2.doc":
                rows.append(["二、主动公开政府信息情况"])
            rows.append([t.title])
            rows.append(["信息内容"] + [c.label for c in t.cols])
            for r in t.rows:
                rows.append([r.label] + [_v(cells.get(t.cell_id(r, c))) for c in t.cols])
    return rows


INTRO = "某某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n本年度依法推进政府信息公开工作。\n"
OUTRO = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def render(edition: str, cells: dict, layout: str) -> str:
    rows = table_rows(edition, cells)
    if layout == "pipe":
        body = "\n".join(" | ".join(r) + " |" for r in rows)
    elif layout == "lines":
        body = "\n".join("\n".join(r) for r in rows)
    elif layout == "lines2":
        # double-spaced: every cell followed by a blank line; an empty cell adds one blank line
        body = "".join((c + "\n\n") if c else "\n" for r in rows for c in r)
    elif layout == "tabs":
        body = "\n".join("\t".join(r) for r in rows)
    elif layout == "markdown":
        out = []
        for r in rows:
            out.append("| " + " | ".join(r) + " |")
            if len(r) > 2:
                out.append("|" + "---|" * len(r))
        body = "\n".join(out)
    elif layout == "spaces_marks":
        # cells separated by single spaces, a blank cell printed as a dash or slash
        body = "\n".join(" ".join(c or ("—", "/", "-")[i % 3] for i, c in enumerate(r)) for r in rows)
    elif layout == "aligned":
        # fixed-width columns as `pdftotext -layout` or a typewriter table prints them
        lw = max(_width(r[0]) for r in rows if len(r) > 1) + 4
        body = "\n".join(r[0] if len(r) == 1 else
                         r[0] + " " * (lw - _width(r[0])) + "".join(c + " " * (12 - _width(c)) for c in r[1:])
                         for r in rows)
    elif layout == "spaces_dropped":
        body = "\n".join(" ".join(c for c in r if c) for r in rows)
    elif layout == "rowlines":
        body = "\n".join("".join(r) for r in rows)
    elif layout == "runtogether":
        body = "".join("".join(r) for r in rows)
    elif layout == "runtogether_marks":
        # a crawl of a page that prints blank cells as a dash or a slash: the marks run on too
        mark = "—" if len(rows) % 2 else "/"
        body = "".join("".join(c or (mark if len(r) > 1 else "") for c in r) for r in rows)
    elif layout == "html":
        trs = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        return (f"<html><head><title>报告</title></head><body><div class='nav'>首页 &gt; 信息公开</div>"
                f"<p>{html.escape(INTRO)}</p><table>{trs}</table><p>{html.escape(OUTRO)}</p>"
                "<div>分享至: 微信</div></body></html>")
    else:
        raise ValueError(layout)
    return INTRO + body + "\n" + OUTRO
