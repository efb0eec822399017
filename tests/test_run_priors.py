"""Section 二 runs that no relation decides: the edition's row priors (a zero 本年增/减, a
处理决定数量 filled in as 上一年 + 增减, a stock of 现行有效 documents a few years deep) pick a
cut only when it is clearly likelier than every other; otherwise the cells stay null with GK001.

The numbers are invented in the shapes found in real published tables.
"""

from __future__ import annotations

from gongkai import parse_text
from gongkai.editions import EDITIONS
from gongkai.extract.values import RowPrior
from gongkai.normalize.numbers import parse_number

S2_2019 = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年新制作数量本年新公开数量对外公开总数量规章000"
           "规范性文件444第二十条第(五)项信息内容上一年项目数量本年增/减处理决定数量行政许可{license}"
           "其他对外管理服务事项{other}第二十条第(六)项信息内容上一年项目数量本年增/减处理决定数量行政处罚000行政强制000"
           "三、收到和处理政府信息公开申请情况")
S2_2021 = ("二、主动公开政府信息情况第二十条第(一)项信息内容本年制发件数本年废止件数现行有效件数规章000"
           "行政规范性文件{normative}第二十条第(五)项信息内容本年处理决定数量行政许可2418"
           "三、收到和处理政府信息公开申请情况")
ITEMS = ("prev_items", "change", "decisions")


def _row(values: dict, row: str, cols: tuple[str, ...]) -> tuple:
    return tuple(values[f"s2.{row}.{c}"] for c in cols)


def test_decisions_filled_in_as_this_years_item_count() -> None:
    # 66|126|192 adds up (66 + 126 = 192); 661|26|192, 66|12|6192 … do not
    v = parse_text(S2_2019.format(license="66126192", other="000")).values()
    assert _row(v, "license", ITEMS) == (66, 126, 192)


def test_unchanged_item_list() -> None:
    # 25|0|1635 rather than 250|16|35 or 2501|6|35: the item lists seldom change
    v = parse_text(S2_2019.format(license="000", other="2501635")).values()
    assert _row(v, "other_services", ITEMS) == (25, 0, 1635)


def test_stock_of_documents_in_force() -> None:
    # 41|33|390 rather than 4|13|3390 or 413|3|390: the stock is a few years of issues
    v = parse_text(S2_2021.format(normative="4133390")).values()
    assert _row(v, "normative", ("issued", "repealed", "in_force")) == (41, 33, 390)


def test_run_with_several_likely_cuts_stays_open() -> None:
    # 318|527|245, 3185|27|245, 31|85|27245 …: nothing makes one clearly likelier
    rep = parse_text(S2_2019.format(license="318527245", other="000"))
    assert _row(rep.values(), "license", ITEMS) == (None, None, None)
    assert [f for f in rep.findings if f.rule == "GK001" and "318527245" in f.message]


def test_row_prior_scores() -> None:
    ed = EDITIONS["2019"]
    prior = RowPrior.of(ed.table("s2.license"))
    adds_up = [parse_number(x) for x in ("8249", "-1942", "6307")]
    does_not = [parse_number(x) for x in ("824", "-19", "426307")]
    assert prior.score(adds_up) > prior.score(does_not) + 2  # type: ignore[arg-type]
    zeros = [parse_number("0")] * 3
    assert prior.score(zeros) == 0.0  # type: ignore[arg-type]
    docs = RowPrior.of(EDITIONS["2021"].table("s2.doc"))
    stock = [parse_number(x) for x in ("77", "132", "470")]
    too_deep = [parse_number(x) for x in ("77", "13", "2470")]
    assert docs.score(stock) > docs.score(too_deep) + 1  # type: ignore[arg-type]
