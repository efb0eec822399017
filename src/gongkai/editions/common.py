"""Tables shared by the 2019 and 2021 editions: section 三 (applications) and 四 (review/suit)."""

from __future__ import annotations

from .base import Col, Relation, Row, Table

# section 二 rows that carry over between years: documents in force (2021 edition, X2) and
# item counts (2019 edition, X3)
DOC_ROWS = ("rules", "normative")
ITEM_ROWS = ("license", "other_services", "punishment", "coercion", "fees")

S3_COLS = (
    Col("natural", "自然人", ("自然人",)),
    Col("commercial", "商业企业", ("商业企业",)),
    Col("research", "科研机构", ("科研机构",)),
    Col("ngo", "社会公益组织", ("社会公益组织",)),
    Col("legal", "法律服务机构", ("法律服务机构",)),
    Col("other_org", "其他", ("其他",)),
    Col("total", "总计", ("总计",)),
)

S3_HEAD = (
    Row("new", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请", "本年新收", "新收政府信息公开申请"), "一、"),
    Row("carried_in", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请", "上年结转"), "二、"),
    Row("granted", "(一)予以公开", ("予以公开",), "(一)", "三、本年度办理结果"),
    Row("partial", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", ("部分公开",), "(二)"),
    Row("denied.secret", "1.属于国家秘密", ("属于国家秘密", "国家秘密"), "1.", "(三)不予公开"),
    Row("denied.law", "2.其他法律行政法规禁止公开", ("其他法律行政法规禁止公开", "法律行政法规禁止公开", "禁止公开"), "2."),
    Row("denied.safety", "3.危及“三安全一稳定”", ("危及“三安全一稳定”", "三安全一稳定", "危及"), "3."),
    Row("denied.third_party", "4.保护第三方合法权益", ("保护第三方合法权益", "第三方合法权益"), "4."),
    Row("denied.internal", "5.属于三类内部事务信息", ("属于三类内部事务信息", "内部事务信息", "内部事务"), "5."),
    Row("denied.process", "6.属于四类过程性信息", ("属于四类过程性信息", "过程性信息"), "6."),
    Row("denied.enforcement", "7.属于行政执法案卷", ("属于行政执法案卷", "行政执法案卷"), "7."),
    Row("denied.inquiry", "8.属于行政查询事项", ("属于行政查询事项", "行政查询事项"), "8."),
    Row("unable.not_held", "1.本机关不掌握相关政府信息", ("本机关不掌握相关政府信息", "不掌握相关政府信息", "不掌握"), "1.", "(四)无法提供"),
    Row("unable.need_create", "2.没有现成信息需要另行制作", ("没有现成信息需要另行制作", "没有现成信息", "另行制作"), "2."),
    Row("unable.unclear", "3.补正后申请内容仍不明确", ("补正后申请内容仍不明确", "仍不明确"), "3."),
    Row("rejected.petition", "1.信访举报投诉类申请", ("信访举报投诉类申请", "信访举报类申请", "信访举报"), "1.", "(五)不予处理"),
    Row("rejected.repeat", "2.重复申请", ("重复申请",), "2."),
    Row("rejected.publication", "3.要求提供公开出版物", ("要求提供公开出版物", "公开出版物"), "3."),
    Row("rejected.excessive", "4.无正当理由大量反复申请", ("无正当理由大量反复申请", "大量反复申请"), "4."),
    Row("rejected.confirm", "5.要求行政机关确认或重新出具已获取信息", ("要求行政机关确认或重新出具已获取信息", "确认或重新出具", "重新出具"), "5."),
)

S3_TAIL = (
    Row("processed_total", "(七)总计", ("(七)总计", "总计"), "(七)"),
    Row("carried_over", "四、结转下年度继续办理", ("结转下年度继续办理", "结转下年度", "下年度继续办理"), "四、"),
)

OTHER_2019 = (Row("other", "(六)其他处理", ("其他处理",), "(六)"),)
OTHER_2021 = (
    Row("other.no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("申请人无正当理由逾期不补正", "逾期不补正"), "1.", "(六)其他处理"),
    Row("other.no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("逾期未按收费通知要求缴纳费用", "收费通知", "缴纳费用"), "2."),
    Row("other.other", "3.其他", ("3.其他",), "3."),
)

S3_CUES = ("本列数据的勾稽关系", "申请人情况", "收到和处理政府信息公开申请情况")


def s3_table(other_rows: tuple[Row, ...]) -> Table:
    return Table("s3", "s3", "三、收到和处理政府信息公开申请情况", S3_HEAD + other_rows + S3_TAIL, S3_COLS, S3_CUES)


S4_GROUPS = (("review", "行政复议"), ("suit_direct", "行政诉讼·未经复议直接起诉"), ("suit_after_review", "行政诉讼·复议后起诉"))
S4_RESULTS = (("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计"))
S4_TABLE = Table(
    "s4", "s4", "四、政府信息公开行政复议、行政诉讼情况",
    (Row("all", "行政复议、行政诉讼情况", ("行政复议",)),),
    tuple(Col(f"{g}.{r}", f"{gl}·{rl}", (rl,)) for g, gl in S4_GROUPS for r, rl in S4_RESULTS),
    ("行政复议、行政诉讼情况", "行政复议", "行政诉讼"),
    layout="single_row",
)

S3_LABEL = {r.key: r.label for r in S3_HEAD + OTHER_2019 + OTHER_2021 + S3_TAIL}
S3_COL_LABEL = {c.key: c.label for c in S3_COLS}


def _short(row: str) -> str:
    return S3_LABEL[row].split(".", 1)[-1].split(")", 1)[-1].split("、", 1)[-1].split("(区分")[0]


def s3_relations(outcome_rows: list[str]) -> tuple[Relation, ...]:
    """A1 (一+二=三+四), A2 (row total = applicant columns), A3 (总计 = outcome rows), per column."""
    rels: list[Relation] = []
    rows = ["new", "carried_in", *outcome_rows, "processed_total", "carried_over"]
    for c in S3_COLS:
        rels.append(Relation(
            "A1", (f"s3.new.{c.key}", f"s3.carried_in.{c.key}"),
            (f"s3.processed_total.{c.key}", f"s3.carried_over.{c.key}"),
            where=f"{c.label} 列", title="本年新收+上年结转 = 办理结果总计+结转下年度"))
    for r in rows:
        parts = tuple(f"s3.{r}.{c.key}" for c in S3_COLS[:-1])
        rels.append(Relation("A2", (f"s3.{r}.total",), parts, where=f"{_short(r)} 行",
                             title="总计 = 各申请人合计"))
    for c in S3_COLS:
        rels.append(Relation(
            "A3", (f"s3.processed_total.{c.key}",), tuple(f"s3.{r}.{c.key}" for r in outcome_rows),
            where=f"{c.label} 列", title="(七)总计 = 各办理结果之和"))
    return tuple(rels)


def s4_relations() -> tuple[Relation, ...]:
    return tuple(
        Relation("A4", (f"s4.{g}.total",), tuple(f"s4.{g}.{r}" for r, _ in S4_RESULTS[:-1]),
                 where=f"{gl}", title="总计 = 维持+纠正+其他+尚未审结")
        for g, gl in S4_GROUPS
    )


def outcome_keys(other_rows: tuple[Row, ...]) -> list[str]:
    return [r.key for r in S3_HEAD[2:] + other_rows]
