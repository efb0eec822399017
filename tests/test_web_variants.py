"""Table layouts and wording that real sites serve beyond the statutory template.

Each case is a small table written for the test in the shape a site produces (blank cells on
lines of their own, the 总计 column printed first, labels from a Taiwan-phrase mirror, rows cut
short), parsed the way a user would: `parse_text` on the page's text.
"""

from __future__ import annotations

from gongkai import parse_text

S2_2021 = ("二、主动公开政府信息情况\n第二十条第(一)项 |\n信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
           "规章 | 0 | 0 | 0 |\n行政规范性文件 | 3 | 1 | 40 |\n")
S3_HEAD = ("三、收到和处理政府信息公开申请情况\n(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 |\n"
           "自然人 | 法人或其他组织 | 总计 |\n商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |\n")


def _gk001(rep, cid: str) -> list[str]:
    """The GK001 messages about one cell."""
    return [f.message for f in rep.findings if f.rule == "GK001" and f.cells == [cid]]


def test_blank_cells_on_lines_of_their_own() -> None:
    # "a | 25 |⏎|⏎|⏎|⏎|⏎| 25 |": the blank cells of a row continue on the next lines
    row = "一、本年新收政府信息公开申请数量 | 25 |\n|\n|\n|\n|\n| 25 |\n二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
    v = parse_text(S2_2021 + S3_HEAD + row).values()
    assert [v[f"s3.new.{c}"] for c in ("natural", "commercial", "other_org", "total")] == [25, None, None, 25]
    assert v["s3.carried_in.total"] == 0


def test_total_column_printed_first_is_moved_back() -> None:
    head = S3_HEAD.replace("自然人 | 法人或其他组织 | 总计 |", "总计 | 自然人 | 法人或其他组织 |")
    rows = ("一、本年新收政府信息公开申请数量 | 12 | 10 | 2 | 0 | 0 | 0 | 0 |\n"
            "二、上年结转政府信息公开申请数量 | 1 | 1 | 0 | 0 | 0 | 0 | 0 |\n"
            "三、本年度办理结果 | (一)予以公开 | 5 | 4 | 0 | 0 | 0 | 1 | 0 |\n")
    rep = parse_text(S2_2021 + head + rows)
    v = rep.values()
    assert (v["s3.new.natural"], v["s3.new.commercial"], v["s3.new.total"]) == (10, 2, 12)
    assert (v["s3.granted.natural"], v["s3.granted.legal"], v["s3.granted.total"]) == (4, 1, 5)
    assert any(f.rule == "GK007" for f in rep.findings)


def test_total_column_last_stays() -> None:
    # a row whose first column happens to equal the sum of the rest (0 = 0 …) proves nothing
    rows = ("一、本年新收政府信息公开申请数量 | 12 | 0 | 0 | 0 | 0 | 0 | 12 |\n"
            "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n")
    rep = parse_text(S2_2021 + S3_HEAD + rows)
    assert rep.values()["s3.new.total"] == 12
    assert not any(f.rule == "GK007" for f in rep.findings)


def test_taiwan_phrase_mirror_label() -> None:
    # s2twp turns 文件 into 檔案; back in simplified characters the row reads 规范性档案
    text = ("二、主动公开政府信息情况\n第二十条第(一)項 |\n信息內容 | 本年新製作數量 | 本年新公開數量 | 對外公開總數量 |\n"
            "規章 | 0 | 0 | 0 |\n規範性檔案 | 2 | 2 | 19 |\n")
    v = parse_text(text).values()
    assert (v["s2.normative.made"], v["s2.normative.total"]) == (2, 19)


def test_row_short_of_cells_is_null_with_a_reason() -> None:
    rows = ("一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |\n"
            "二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n"
            "三、本年度办理结果 | (一)予以公开 | 1 | 0 | 0 | 0 | 0 | 1 |\n")
    rep = parse_text(S2_2021 + S3_HEAD + rows)
    assert rep.values()["s3.granted.natural"] is None
    msgs = _gk001(rep, "s3.granted.natural")
    assert msgs and "只印出 6 个数值" in msgs[0]


def test_blank_rows_run_together_keep_their_labels_apart() -> None:
    # a crawled 2019 table whose middle rows were left blank: their labels run into each other
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年新制作数量本年新公开数量对外公开总数量规章000"
            "规范性文件222222第二十条第(五)项信息内容上一年项目数量本年增/减处理决定数量行政许可其他对外管理服务事项"
            "第二十条第(六)项信息内容上一年项目数量本年增/减处理决定数量行政处罚行政强制第二十条第(八)项信息内容"
            "上一年项目数量本年增/减行政事业性收费第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购00"
            "三、收到和处理政府信息公开申请情况")
    v = parse_text(text).values()
    assert (v["s2.procurement.items"], v["s2.procurement.amount"]) == (0, 0)
    assert (v["s2.normative.made"], v["s2.normative.total"]) == (22, 22)
    assert v.get("s2.license.decisions") is None


def test_purchase_run_cut_by_amount_per_purchase() -> None:
    # 13|575394432.52, 135|75394432.52, 1357|5394432.52 …: only one gives a usual amount per purchase
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年新制作数量本年新公开数量对外公开总数量规章000"
            "规范性文件444第二十条第(九)项信息内容采购项目数量采购总金额政府集中采购24631002288.40元"
            "三、收到和处理政府信息公开申请情况")
    v = parse_text(text).values()
    assert (v["s2.procurement.items"], v["s2.procurement.amount"]) == (246, 31002288.40)


def test_lost_character_parts_run_together_cells() -> None:
    # a no-break space turned "?" by a lossy re-encoding, then the cells run together: "0? 00"
    text = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数"
            "规章0? 00行政规范性文件2? 07第二十条第(五)项信息内容本年处理决定数量行政许可0"
            "三、收到和处理政府信息公开申请情况")
    v = parse_text(text).values()
    assert [v[f"s2.rules.{c}"] for c in ("issued", "repealed", "in_force")] == [0, 0, 0]
    assert [v[f"s2.normative.{c}"] for c in ("issued", "repealed", "in_force")] == [2, 0, 7]


def test_short_run_says_why_it_stays_open() -> None:
    # the page ends in the middle of section 三: a row with two digits for seven cells
    text = S2_2021 + S3_HEAD + "一、本年新收政府信息公开申请数量00\n"
    rep = parse_text(text)
    assert rep.values()["s3.new.total"] is None
    msgs = _gk001(rep, "s3.new.total")
    assert msgs and "“00”" in msgs[0] and "空白格" in msgs[0] and "7 格" in msgs[0]
