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
