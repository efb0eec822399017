"""Crawled pages: row values with units and signs run together, page chrome around title and signature."""

from __future__ import annotations

import random

import pytest

from gongkai import parse_text
from gongkai.extract.metadata import extract_meta
from gongkai.normalize import normalize_text
from gongkai.synth import make_report

HEAD = ("平潭综合实验区2020年政府信息公开工作年度报告\n二、主动公开政府信息情况 第二十条第(五)项"
        "信息内容上一年项目数量本年增/减处理决定数量")


def _s2(row_text: str) -> dict:
    text = HEAD + row_text + "三、收到和处理政府信息公开申请情况"
    return {k: v for k, v in parse_text(text).values().items() if k.startswith("s2.")}


def test_sign_starts_the_change_cell() -> None:
    # "-18538" cannot begin in 上一年项目数量 or 处理决定数量: 2648 is the whole first cell
    got = _s2("行政处罚2648-18538行政强制1项0")
    assert got["s2.punishment.prev_items"] == 2648
    assert all(v is None or v >= 0 for k, v in got.items() if not k.endswith(".change"))


@pytest.mark.parametrize("row,expect", [
    ("行政许可0项0172", (0, 0, 172)),
    ("行政许可0增1项469", (0, 1, 469)),
    ("行政许可500增102项2557", (500, 102, 2557)),
    ("行政许可12项减3项40", (12, -3, 40)),
])
def test_units_and_signs_delimit_cells(row: str, expect: tuple) -> None:
    got = _s2(row + "其他对外管理服务事项0项0 0")
    assert (got["s2.license.prev_items"], got["s2.license.change"], got["s2.license.decisions"]) == expect


def test_breadcrumb_before_title_and_furniture_after_signature() -> None:
    text = normalize_text(
        "首页 > 政务公开 > 政府信息公开年报 杭州市交通运输局2019年政府信息公开工作年度报告 发布日期:2020-01-29 "
        "一、总体情况 …… 六、其他需要报告的事项 无。 杭州市交通运输局 2020年1月28日 【打印本页】 【关闭窗口】")
    m = extract_meta(text)
    assert m["agency"] == "杭州市交通运输局"
    assert m["dated"] == "2020-01-28" and m["posted"] == "2020-01-29"


def test_date_inside_a_sentence_is_not_a_signature() -> None:
    text = normalize_text("某某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n"
                          "六、其他需要报告的事项 本机关将于2022年3月1日前完成整改")
    assert extract_meta(text)["dated"] is None


@pytest.mark.parametrize("edition", ["2019", "2021", "legacy"])
def test_crawled_pages_meta_and_no_wrong_outside_section_two(edition: str) -> None:
    rng = random.Random(f"crawl-meta-{edition}")
    for _ in range(8):
        s = make_report(edition, "crawl", rng)
        rep = parse_text(s.text)
        for key in ("agency", "year", "dated"):
            assert rep.meta[key] == s.gold["meta"][key], (key, rep.meta[key])
        got = rep.values()
        wrong = {k: (v, got.get(k)) for k, v in s.gold["cells"].items()
                 if not k.startswith("s2.") and got.get(k) is not None and got.get(k) != v}
        assert not wrong
