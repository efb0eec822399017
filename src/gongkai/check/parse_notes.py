"""GK0xx: notes the extractor emits while parsing. Documented here so that `gongkai explain`
works and `--select/--ignore` apply; `run_checks` keeps these findings and never re-creates them."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Finding, Report
from .registry import rule


@rule("GK001", "warning", "数字连写无法唯一拆分,该格置空", parse_time=True)
def ambiguous_digits(report: Report) -> Iterator[Finding]:
    """网页抓取的文本常把一行的各格数字连在一起(如"640020470"= 64、0、0、2、0、4、70)。
    提取器利用表格的勾稽关系拆分;若有多种拆法都满足全部关系,无法确定哪一种正确,该行(或
    该格)置为空白,并给出本提示,请对照原件填写。

    例:"(七)总计"一行印作"1100011",可拆为 1/1/0/0/0/1/1 或 11/0/0/0/1/1 … → 置空并提示。
    """
    return iter(())


@rule("GK002", "error", "表格未找到", parse_time=True)
def table_not_found(report: Report) -> Iterator[Finding]:
    """报告格式规定的表格(如 三 收到和处理政府信息公开申请情况表)在文档中没有找到:可能
    被删去、以图片形式发布、或被"无"代替。该表的单元格全部缺失,相关算术检查无法进行。

    例:2021 年格式报告中找不到"四、政府信息公开行政复议、行政诉讼情况"表 → "表格未找到: s4"。
    """
    return iter(())


@rule("GK003", "warning", "单元格内容无法识别为数字", parse_time=True)
def not_a_number(report: Report) -> Iterator[Finding]:
    """单元格里是文字或多个数字(如"见附件""3(其中1件转办)"),无法确定数值,该格置空。

    例:"予以公开 · 自然人"印作"3件(含1件部分)" → 提示并置空。
    """
    return iter(())


@rule("GK004", "info", "数字经拆分恢复", parse_time=True)
def split_recovered(report: Report) -> Iterator[Finding]:
    """连写的数字串按表格勾稽关系唯一地拆分成了各格数值(例如"640020470"在总计列约束下只能
    拆为 64、0、0、2、0、4、70)。结果可信,但并非直接读自分隔的单元格,提示以便抽查。

    例:"一、本年新收…"一行"21000021" → 拆为 21/0/0/0/0/0/21。
    """
    return iter(())


@rule("GK005", "info", "连写数字按同一机关相邻年度报告唯一确定", parse_time=True)
def settled_by_series(report: Report) -> Iterator[Finding]:
    """同时解析同一机关相邻年度的报告时(`gongkai parse --series`,或导入数据库时),
    本报告内无法唯一拆分的连写数字(GK001)可用跨年关系确定:
    2019 年格式"上一年项目数量 = 上年报告的上一年项目数量 + 本年增/减"(X3),
    2021 年格式"现行有效件数 = 上年现行有效件数 + 本年制发 − 本年废止"(X2)。
    只有满足关系的全部拆法都给出同一数值时才填入;
    两份报告间已知数据本身违反该关系的,不用它推定。

    例:2019 年报告"其他对外管理服务事项100153"可拆为 10/0/153、100/1/53 等;
    2020 年报告该行上一年项目数量只能是 1、10、107 或 1071 → 唯一相符的是 10 + 0 = 10,填入 10/0/153。
    """
    return iter(())


@rule("GK006", "info", "空白格被删去,数值位置按勾稽关系唯一确定", parse_time=True)
def blanks_placed(report: Report) -> Iterator[Finding]:
    """复制或抓取表格时,空白单元格常被整个删去,一行只剩下几个数值(如"64|2|4|70",应有 7 列)。
    提取器把这些数值按原顺序放回各列的每一种方式都列出来,用表内的行、列勾稽关系(总计列、
    一+二=三+四、办理结果合计)挑选;只有唯一满足全部关系的放法才采用,其余列记为空白(null)。
    放法不唯一时该行置空并给出 GK001。

    例:"(二)部分公开"一行印作"5|1|6" → 只有 5/空/1/空/空/空/6 同时满足各列合计 → 采用并提示。
    """
    return iter(())


@rule("GK007", "info", "总计列印在最前,已按各行合计移回", parse_time=True)
def total_column_moved(report: Report) -> Iterator[Finding]:
    """有的网页把"三、收到和处理政府信息公开申请情况"表的"总计"列放在"自然人"之前。
    提取器检查各行:只有当非零行都满足"第一列 = 其余各列之和",
    且没有一行满足"最后一列 = 其余各列之和"时,才认定总计在前,
    把它移回官方位置(最后一列),并给出本提示。

    例:"一、本年新收…"一行印作"12|10|2|0|0|0|0" → 读作 自然人 10、商业企业 2、总计 12。
    """
    return iter(())
