"""Edition 2021: 国办公开办函〔2021〕30号, statistics years 2021 on."""

from __future__ import annotations

from .base import Col, Edition, Ratio, Relation, Row, Table
from .common import OTHER_2021, S4_TABLE, outcome_keys, s3_relations, s3_table, s4_relations

DECISIONS = (Col("decisions", "本年处理决定数量", ("本年处理决定数量", "处理决定数量"), "件", mag=(2.5, 1.5)),)

TABLES = (
    Table("s2.doc", "s2", "第二十条第(一)项",
          (Row("rules", "规章", ("规章",)),
           Row("normative", "行政规范性文件", ("行政规范性文件", "规范性文件"))),
          (Col("issued", "本年制发件数", ("本年制发件数", "制发件数"), mag=(1.5, 1.0)),
           Col("repealed", "本年废止件数", ("本年废止件数", "废止件数"), mag=(1.0, 1.0)),
           Col("in_force", "现行有效件数", ("现行有效件数", "有效件数"), mag=(2.5, 1.0))),
          ("第二十条第(一)项", "本年制发件数"),
          # documents stay in force for years (most provinces: 有效期不超过5年), so the stock is a
          # few years' issues: 现行有效 ≈ 2–10 × 本年制发
          ratios=(Ratio("in_force", "issued", 0.6, 0.5, num_zero=-1.0),)),
    Table("s2.license", "s2", "第二十条第(五)项", (Row("license", "行政许可", ("行政许可",)),), DECISIONS,
          ("第二十条第(五)项",)),
    Table("s2.enforce", "s2", "第二十条第(六)项",
          (Row("punishment", "行政处罚", ("行政处罚",)), Row("coercion", "行政强制", ("行政强制",))),
          DECISIONS, ("第二十条第(六)项",)),
    Table("s2.fees", "s2", "第二十条第(八)项", (Row("fees", "行政事业性收费", ("行政事业性收费",)),),
          (Col("amount", "本年收费金额(单位:万元)", ("本年收费金额",), "万元", "money", (3.0, 2.0)),),
          ("第二十条第(八)项", "本年收费金额")),
    s3_table(OTHER_2021),
    S4_TABLE,
)

_a7 = tuple(
    Relation("A7", (f"s2.{r}.issued",), (f"s2.{r}.in_force", f"s2.{r}.repealed"), "<=", "warning",
             f"{'规章' if r == 'rules' else '行政规范性文件'} 行", "本年制发 ≤ 现行有效+本年废止")
    for r in ("rules", "normative")
)

EDITION = Edition(
    "2021", "2021年格式(国办公开办函〔2021〕30号)", (2021, 9999), TABLES,
    s3_relations(outcome_keys(OTHER_2021)) + s4_relations() + _a7,
    {"本年制发件数": 3, "本年废止件数": 3, "现行有效件数": 3, "本年处理决定数量": 2, "本年收费金额": 3,
     "逾期未按收费通知": 2, "逾期不补正": 2, "行政规范性文件": 1},
)
