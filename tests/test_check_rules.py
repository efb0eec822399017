"""Single rules on small synthetic reports (meta, dates, units, narrative numbers)."""

from __future__ import annotations

from gongkai.check import run_checks
from gongkai.check.util import cn_to_int, to_number
from gongkai.model import Cell, Finding, Report
from test_check_gold import gold_path, report_from_gold


def rules_of(fs: list[Finding], code: str) -> list[Finding]:
    return [f for f in fs if f.rule == code]


def seed(prefix: str) -> Report:
    return report_from_gold(gold_path(prefix))


def test_chinese_numerals() -> None:
    assert cn_to_int("一百") == 100
    assert cn_to_int("十五") == 15
    assert cn_to_int("二十一") == 21
    assert cn_to_int("一千二百三十四") == 1234
    assert cn_to_int("三万零五") == 30005
    assert to_number("1,234") == 1234
    assert to_number("两") == 2


def test_m1_edition_vs_year() -> None:
    rep = seed("002_")
    rep.meta["year"] = 2020
    fs = rules_of(run_checks(rep), "GK201")
    assert fs and fs[0].severity == "error" and "2019 年格式" in fs[0].message


def test_m2_statistics_period_from_text() -> None:
    rep = seed("002_")
    rep.meta["year"] = 2024  # the report states 2023
    rep.meta["dated"] = "2025-01-20"
    fs = rules_of(run_checks(rep, select=["GK3"]), "GK301")
    assert fs and "2023-01-01" in fs[0].message and fs[0].where


def test_deadlines_by_report_kind() -> None:
    rep = seed("003_")  # department, 2021
    rep.meta["dated"] = "2022-02-15"
    fs = rules_of(run_checks(rep), "GK303")
    assert fs and "2022-01-31" in fs[0].message
    rep.meta["report_kind"] = "government"
    assert not rules_of(run_checks(rep), "GK303")
    rep.meta["dated"] = "2022-04-02"
    assert rules_of(run_checks(rep), "GK303")
    legacy = seed("004_")
    legacy.meta["dated"] = "2017-03-31"
    assert not rules_of(run_checks(legacy), "GK303")
    legacy.meta["dated"] = "2017-04-01"
    assert rules_of(run_checks(legacy), "GK303")


def test_fee_amount_in_yuan_and_missing_procurement_unit() -> None:
    rep = seed("002_")
    c = rep.cells["s2.fees.amount"]
    c.value, c.unit, c.raw = 12000, "元", "12000元"
    assert any("万元" in f.message for f in rules_of(run_checks(rep), "GK206"))


def test_a8_negative_items() -> None:
    rep = seed("000_")
    rep.cells["s2.fees.change"].value = -9
    assert any("< 0" in f.message for f in rules_of(run_checks(rep), "GK106"))


def test_missing_section_and_table() -> None:
    rep = seed("002_")
    i = rep.text.find("六、其他需要报告的事项")
    assert i > 0
    rep.text = rep.text[:i]
    for cid in [c for c in rep.cells if c.startswith("s4.")]:
        del rep.cells[cid]
    fs = run_checks(rep)
    assert any("第六部分" in f.message for f in rules_of(fs, "GK202"))
    t = rules_of(fs, "GK203")
    assert t and t[0].severity == "error" and "s4.review.total" in t[0].cells
    rep.findings = [Finding("GK002", "error", "表格未找到: s4")]
    assert not [f for f in rules_of(run_checks(rep), "GK203") if f.severity == "error"]


def test_narrative_numbers_written_in_chinese_and_with_separators() -> None:
    rep = seed("002_")
    total = rep.value("s3.new.total")
    assert total == 21
    rep.text += "\n全年共收到政府信息公开申请二十一件。因政府信息公开引发行政复议1,234件。"
    fs = rules_of(run_checks(rep), "GK401")
    assert len(fs) == 1 and "1234" in fs[0].message and "s4.review.total" in fs[0].cells
    rep.text += "\n全年共收到政府信息公开申请一百件。"
    fs = rules_of(run_checks(rep), "GK401")
    assert any("为 100 件" in f.message for f in fs)


def test_narrative_ignores_table_rows_and_parts() -> None:
    rep = seed("004_")
    rep.text = "(一)收到申请数 | 件 | 5 |\n其中,区直部门收到政府信息公开申请0件。"
    rep.cells["legacy.apply.received.total"].value = 3
    rep.cells["legacy.apply.received.letter"].value = 3
    fs = rules_of(run_checks(rep), "GK401")
    assert fs == []


def test_text_damage_generic_phrase() -> None:
    rep = Report("2021", meta={"year": 2022}, text=(
        "本报告所列甲局、乙局、丙局、丁局的统计期限自2022年1月1日起至2022年12月31日止。\n"
        "(本列甲局、乙局、丙局、丁局的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"))
    fs = rules_of(run_checks(rep, select=["GK403"]), "GK403")
    assert len(fs) == 1 and "甲局、乙局、丙局、丁局" in fs[0].message and "2 处" in fs[0].message


def test_fee_silence_only_from_2021() -> None:
    assert rules_of(run_checks(seed("003_")), "GK402")
    assert not rules_of(run_checks(seed("002_")), "GK402")
    assert not rules_of(run_checks(seed("001_")), "GK402")


def test_fractional_count_and_money() -> None:
    rep = seed("002_")
    rep.cells["s3.granted.natural"] = Cell("s3.granted.natural", 1.5)
    rep.cells["s2.fees.amount"].value = 1.25
    fs = rules_of(run_checks(rep), "GK111")
    assert [f.cells for f in fs] == [["s3.granted.natural"]]


def test_doubtful_ocr_digit_named_when_its_relation_fails() -> None:
    rep = seed("002_")  # consistent 2019 report
    cid = "s3.granted.natural"
    good = rep.cells[cid].value
    assert not rules_of(run_checks(rep), "GK112")  # born-digital cells are never doubtful
    rep.cells["s3.partial.legal"].confidence = 0.4  # doubtful, but the table adds up
    fs = rules_of(run_checks(rep), "GK112")
    assert [(f.severity, f.cells) for f in fs] == [("info", ["s3.partial.legal"])]
    rep.cells[cid].value = good + 5  # an OCR misread that breaks the row and the column
    rep.cells[cid].confidence = 0.41
    fs = {f.cells[0]: f for f in rules_of(run_checks(rep), "GK112")}
    assert fs[cid].severity == "warning" and "很可能识别有误" in fs[cid].message and "0.41" in fs[cid].message
    assert fs["s3.partial.legal"].severity == "info"  # its row and column still add up
