"""Metadata: organ (with abbreviations expanded), region from the division table, year, dates."""

from __future__ import annotations

import pytest

from conftest import gold_pairs
from gongkai import parse_path
from gongkai.extract.metadata import extract_meta, region_of
from gongkai.normalize import normalize_text


def _accept(gold, got) -> bool:
    if isinstance(gold, list) and not (gold and str(gold[0])[:2].isdigit()):
        return got in gold  # several accepted names
    return got == gold


@pytest.mark.parametrize("folder", ["seeds", "real"])
def test_corpus_meta(corpus, folder) -> None:
    for src, gold in gold_pairs(folder):
        meta = parse_path(src).meta
        for key in ("agency", "year", "dated", "posted", "report_kind", "stat_period"):
            if key in gold["meta"] and (gold["meta"][key] is not None or key == "dated"):
                assert _accept(gold["meta"][key], meta.get(key)), (src.name, key, meta.get(key))


def test_abbreviation_expanded_with_place_from_text() -> None:
    text = normalize_text("(2021年2月1日)\n一、总体情况\n2020年,市人社局在衡阳市委领导下……衡阳市人民政府……\n")
    assert extract_meta(text)["agency"] == "衡阳市人力资源和社会保障局"


def test_title_signature_and_chinese_numeral_date() -> None:
    text = normalize_text("某某区人民政府2022年政府信息公开工作年度报告\n正文\n某某区人民政府\n二〇二三年一月二十日\n")
    m = extract_meta(text)
    assert m["year"] == 2022 and m["dated"] == "2023-01-20" and m["report_kind"] == "government"


def test_same_county_name_resolved_by_context() -> None:
    code, path = region_of(["城中区"], "柳州市城中区……柳州")
    assert path[-2:] == ["柳州市", "城中区"]
    code, path = region_of(["城中区"], "西宁市城中区……西宁")
    assert path[-2:] == ["西宁市", "城中区"]
    assert region_of(["城中区"], "没有其他地名")[1] == []


def test_township_kind() -> None:
    text = "某某镇人民政府2021年政府信息公开工作年度报告\n"
    assert extract_meta(text)["report_kind"] == "township"


@pytest.mark.parametrize("title,agency,region", [
    ("2021年北京市东城区政府信息公开工作年度报告", "北京市东城区人民政府", "北京市/东城区"),
    ("2021年度北京市东城区人民政府信息公开工作年度报告", "北京市东城区人民政府", "北京市/东城区"),
    ("2022年重庆市万州区民政局政府信息公开工作年度报告", "重庆市万州区民政局", "重庆市/万州区"),
    ("北京市东城区2021年政务公开工作年度报告", "北京市东城区人民政府", "北京市/东城区"),
    ("关于湖南省衡阳市衡山县人民政府2021年政府信息公开工作年度报告", "湖南省衡阳市衡山县人民政府", "湖南省/衡阳市/衡山县"),
    ("北京市东城区人民政府办公室关于2021年政府信息公开工作年度报告的公告", "北京市东城区人民政府办公室",
     "北京市/东城区"),
    ("长沙县人民政府关于2023年度政府信息公开工作的年度报告", "长沙县人民政府", "湖南省/长沙市/长沙县"),
    # a short form inside a longer name is part of that name, not the organ
    ("浙江省人民政府办公厅2020年政府信息公开工作年度报告", "浙江省人民政府办公厅", "浙江省"),
    ("株洲市公安局交通警察支队2021年政府信息公开工作年度报告", "株洲市公安局交通警察支队", "湖南省/株洲市"),
])
def test_title_variants(title: str, agency: str, region: str) -> None:
    m = extract_meta(normalize_text(title + "\n一、总体情况\n2021年,本机关……\n"))
    assert (m["agency"], m["region"]) == (agency, region)
    assert m["year"] == int(title[title.index("20"):][:4])


def test_narrative_sentence_is_not_an_organ() -> None:
    m = extract_meta(normalize_text("现将2021年本机关政府信息公开工作年度报告公布如下。\n一、总体情况\n"))
    assert m["agency"] is None


@pytest.mark.parametrize("agency,kind", [
    ("教育部", "department"), ("株洲市公安局交通警察支队", "department"), ("浙江省人民政府办公厅", "department"),
    ("衡山县开云镇人民政府", "township"), ("长沙县人民政府", "government"),
])
def test_report_kind(agency: str, kind: str) -> None:
    assert extract_meta(agency + "2021年政府信息公开工作年度报告\n")["report_kind"] == kind


@pytest.mark.parametrize("head,agency", [
    # the title inside the opening sentence
    ("根据《中华人民共和国政府信息公开条例》规定,现将衡山县开云镇2022年政府信息公开工作年度报告公布如下。",
     "衡山县开云镇"),
    ("根据有关规定,编制衡山县开云镇2024年政府信息公开工作年度报告,所列数据统计期限为2024年。", "衡山县开云镇"),
    # the organ on the line above a bare title, below a page header that repeats the bare title
    ("2022年政府信息公开工作年度报告\n衡山县开云镇人民政府\n2022年政府信息公开工作年度报告", "衡山县开云镇人民政府"),
    # a page address in front of the title is not part of the name
    ("http://www.example.gov.cn/art/2022/index.htm\n衡山县民政局2022年政府信息公开工作年度报告", "衡山县民政局"),
    # a short form with its own place is expanded where it stands
    ("2020年衡山县政数局政府信息公开工作年度报告", "衡山县政务服务数据管理局"),
])
def test_title_in_sentence_or_split(head: str, agency: str) -> None:
    m = extract_meta(normalize_text(head + "\n一、总体情况\n2022年,本机关……\n衡山县人民政府\n"))
    assert m["agency"] == agency


def test_cited_notice_is_not_the_title() -> None:
    text = ("根据省政府办公厅转发的《湖南省人民政府办公厅关于做好2020年政府信息公开工作年度报告编制和发布工作的通知》"
            "要求,现将我局2020年度政府信息公开情况报告如下。\n一、总体情况\n")
    m = extract_meta(normalize_text(text))
    assert m["agency"] is None and m["title"] is None and m["year"] == 2020
