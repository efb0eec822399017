"""Edition 2019: 格式(试行), 国办公开办函〔2019〕60号, statistics years 2019–2020."""

from __future__ import annotations

from .base import Col, Edition, Ratio, Relation, Row, SumHint, Table
from .common import OTHER_2019, S4_TABLE, outcome_keys, s3_relations, s3_table, s4_relations

# fitted on the filled rows of real published tables: log10 magnitude (mean, sd) and how often
# each column is 0 (上一年 8%, 增/减 43%, 处理决定 19%)
ITEM_COLS = (
    Col("prev_items", "上一年项目数量", ("上一年项目数量", "上年项目数量"), "项", mag=(1.4, 0.8), zero=-0.9),
    Col("change", "本年增/减", ("本年增/减", "本年增减", "增/减"), "项", "signed", (1.3, 0.8), zero=1.25),
    Col("decisions", "处理决定数量", ("处理决定数量",), "件", mag=(2.1, 1.0), zero=0.3),
)

# about one real table in four fills 处理决定数量 with this year's item count
ITEM_SUMS = (SumHint(("prev_items", "change"), "decisions", 2.5),)

TABLES = (
    Table("s2.doc", "s2", "第二十条第(一)项",
          (Row("rules", "规章", ("规章",)), Row("normative", "规范性文件", ("规范性文件",))),
          (Col("made", "本年新制作数量", ("本年新制作数量", "新制作数量"), mag=(1.5, 1.0)),
           Col("published", "本年新公开数量", ("本年新公开数量", "新公开数量"), mag=(1.5, 1.0)),
           Col("total", "对外公开总数量", ("对外公开总数量", "对外公开数量"), mag=(2.0, 1.0))),
          ("第二十条第(一)项", "本年新制作数量")),
    Table("s2.license", "s2", "第二十条第(五)项",
          (Row("license", "行政许可", ("行政许可",)),
           Row("other_services", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务事项"))),
          ITEM_COLS, ("第二十条第(五)项",), sums=ITEM_SUMS),
    Table("s2.enforce", "s2", "第二十条第(六)项",
          (Row("punishment", "行政处罚", ("行政处罚",)), Row("coercion", "行政强制", ("行政强制",))),
          ITEM_COLS, ("第二十条第(六)项",), sums=ITEM_SUMS),
    Table("s2.fees", "s2", "第二十条第(八)项",
          (Row("fees", "行政事业性收费", ("行政事业性收费",)),), ITEM_COLS[:2], ("第二十条第(八)项",)),
    Table("s2.procurement", "s2", "第二十条第(九)项",
          (Row("procurement", "政府集中采购", ("政府集中采购",)),),
          (Col("items", "采购项目数量", ("采购项目数量",), "项", mag=(2.0, 1.0)),
           Col("amount", "采购总金额", ("采购总金额",), None, "money", (5.0, 4.0))),  # judged per item
          ("第二十条第(九)项", "采购项目数量"),
          ratios=(Ratio("amount", "items", 1.0, 1.0, money=True, num_zero=-3.0, den_zero=-3.0),)),
    s3_table(OTHER_2019),
    S4_TABLE,
)

_s2_rel = tuple(
    rel
    for r in ("rules", "normative")
    for rel in (
        Relation("A9", (f"s2.{r}.published",), (f"s2.{r}.total",), "<=", "warning",
                 f"{'规章' if r == 'rules' else '规范性文件'} 行", "本年新公开数量 ≤ 对外公开总数量"),
    )
)

EDITION = Edition(
    "2019", "2019年格式(试行)(国办公开办函〔2019〕60号)", (2019, 2020), TABLES,
    s3_relations(outcome_keys(OTHER_2019)) + s4_relations() + _s2_rel,
    {"本年新制作数量": 3, "本年新公开数量": 3, "对外公开总数量": 2, "上一年项目数量": 3, "本年增/减": 3,
     "政府集中采购": 2, "采购总金额": 2, "其他对外管理服务事项": 1},
)
