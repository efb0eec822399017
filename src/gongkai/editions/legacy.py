"""Legacy edition: the 统计表 of 国办发〔2014〕32号 (statistics years 2014–2018), plus the
rows of older local tables whose meaning is the same (see the shared spec legacy_fields.md)."""

from __future__ import annotations

from .base import Col, Edition, Relation, Row, Table


def R(key: str, label: str, unit: str, *keys: str, after: str = "", not_with: tuple[str, ...] = ()) -> Row:  # noqa: N802
    return Row(key, label, (label, *keys), unit=unit, after=after, not_with=not_with)


ROWS = (
    R("active.total", "(一)主动公开政府信息数(不同渠道和方式公开相同信息计1条)", "条", "主动公开政府信息数", "主动公开文件数"),
    R("active.normative_published", "其中:主动公开规范性文件数", "条", "主动公开规范性文件数"),
    R("active.normative_issued", "制发规范性文件总数", "件", "制发规范性文件"),
    R("active.channel.gazette", "1.政府公报公开政府信息数", "条", "政府公报公开政府信息数", "政府公报公开数"),
    R("active.channel.website", "2.政府网站公开政府信息数", "条", "政府网站公开政府信息数", "政府网站公开数"),
    R("active.channel.weibo", "3.政务微博公开政府信息数", "条", "政务微博公开政府信息数", "政务微博公开数"),
    R("active.channel.wechat", "4.政务微信公开政府信息数", "条", "政务微信公开政府信息数", "政务微信公开数"),
    R("active.channel.other", "5.其他方式公开政府信息数", "条", "其他方式公开政府信息数"),
    R("response.hotspots", "(一)回应公众关注热点或重大舆情数(不同方式回应同一热点或舆情计1次)", "次",
      "回应公众关注热点或重大舆情数"),
    R("response.press_conf", "1.参加或举办新闻发布会总次数", "次", "参加或举办新闻发布会总次数", "举办新闻发布会"),
    R("response.press_conf_chief", "其中:主要负责同志参加新闻发布会次数", "次", "主要负责同志参加新闻发布会次数"),
    R("response.interviews", "2.政府网站在线访谈次数", "次", "政府网站在线访谈次数"),
    R("response.interviews_chief", "其中:主要负责同志参加政府网站在线访谈次数", "次", "主要负责同志参加政府网站在线访谈次数"),
    R("response.interpretations", "3.政策解读稿件发布数", "篇", "政策解读稿件发布数"),
    R("response.weibo_wechat", "4.微博微信回应事件数", "次", "微博微信回应事件数"),
    R("response.other", "5.其他方式回应事件数", "次", "其他方式回应事件数"),
    R("apply.received.total", "(一)收到申请数", "件", "收到申请数", "受理依申请公开信息总数", "受理政府信息依申请公开总数",
      "依申请公开信息总数", "申请总数"),
    R("apply.received.in_person", "1.当面申请数", "件", "当面申请数"),
    R("apply.received.fax", "2.传真申请数", "件", "传真申请数", not_with=("信函",)),
    R("apply.received.online", "3.网络申请数", "件", "网络申请数", "网上申请数", not_with=("当面", "信函")),
    R("apply.received.letter", "4.信函申请数", "件", "信函申请数", not_with=("传真",)),
    R("apply.closed.total", "(二)申请办结数", "件", "申请办结数"),
    R("apply.closed.on_time", "1.按时办结数", "件", "按时办结数"),
    R("apply.closed.extended", "2.延期办结数", "件", "延期办结数"),
    R("apply.replied.total", "(三)申请答复数", "件", "申请答复数", "对申请的答复总数", "答复总数"),
    R("apply.replied.already_public", "1.属于已主动公开范围数", "件", "属于已主动公开范围数"),
    R("apply.replied.granted", "2.同意公开答复数", "件", "同意公开答复数"),
    R("apply.replied.partial", "3.同意部分公开答复数", "件", "同意部分公开答复数"),
    R("apply.replied.denied.total", "4.不同意公开答复数", "件", "不同意公开答复数", "不予公开答复数"),
    R("apply.replied.denied.state_secret", "其中:涉及国家秘密", "件", "涉及国家秘密"),
    R("apply.replied.denied.trade_secret", "涉及商业秘密", "件"),
    R("apply.replied.denied.privacy", "涉及个人隐私", "件"),
    R("apply.replied.denied.safety", "危及国家安全、公共安全、经济安全和社会稳定", "件", "危及国家安全"),
    R("apply.replied.denied.not_gov_info", "不是《条例》所指政府信息", "件", "所指政府信息"),
    R("apply.replied.denied.other_law", "法律法规规定的其他情形", "件"),
    R("apply.replied.not_this_organ", "5.不属于本行政机关公开数", "件", "不属于本行政机关公开数"),
    R("apply.replied.not_exist", "6.申请信息不存在数", "件", "申请信息不存在数"),
    R("apply.replied.correction", "7.告知作出更改补充数", "件", "告知作出更改补充数"),
    R("apply.replied.other_channel", "8.告知通过其他途径办理数", "件", "告知通过其他途径办理数"),
    R("review.total", "四、行政复议数量", "件", "行政复议数量", "行政复议数"),
    R("review.upheld", "(一)维持具体行政行为数", "件", "维持具体行政行为数", after="review.total"),
    R("review.corrected", "(二)被依法纠错数", "件", "被依法纠错数", after="review.total"),
    R("review.other", "(三)其他情形数", "件", "其他情形数", after="review.total"),
    R("suit.total", "五、行政诉讼数量", "件", "行政诉讼数量", "行政诉讼数"),
    R("suit.upheld", "(一)维持具体行政行为或者驳回原告诉讼请求数", "件", "驳回原告诉讼请求数", "维持具体行政行为数",
      after="suit.total"),
    R("suit.corrected", "(二)被依法纠错数", "件", "被依法纠错数", after="suit.total"),
    R("suit.other", "(三)其他情形数", "件", "其他情形数", after="suit.total"),
    R("complaints", "六、举报投诉数量", "件", "举报投诉数量"),
    R("fees", "七、依申请公开信息收取的费用", "万元", "依申请公开信息收取的费用"),
    R("org.units", "(一)政府信息公开工作专门机构数", "个", "政府信息公开工作专门机构数"),
    R("org.reading_points", "(二)设置政府信息公开查阅点数", "个", "设置政府信息公开查阅点数", "查阅点数"),
    R("org.staff.total", "(三)从事政府信息公开工作人员数", "人", "从事政府信息公开工作人员数"),
    R("org.staff.full_time", "1.专职人员数(不包括政府公报及政府网站工作人员数)", "人", "专职人员数"),
    R("org.staff.part_time", "2.兼职人员数", "人", "兼职人员数"),
    R("org.budget", "(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)", "万元",
      "政府信息公开专项经费"),
    R("training.meetings", "(一)召开政府信息公开工作会议或专题会议数", "次", "召开政府信息公开工作会议或专题会议数"),
    R("training.classes", "(二)举办各类培训班数", "次", "举办各类培训班数"),
    R("training.trainees", "(三)接受培训人员数", "人次", "接受培训人员数"),
)

TABLE = Table("legacy", "legacy", "政府信息公开情况统计表", ROWS, (Col("value", "数量", ("数量", "统计数")),),
              ("指标", "统计指标", "指标名称"), layout="indicator")


def _sum(code: str, total: str, parts: list[str], sev: str = "error", title: str = "") -> Relation:
    return Relation(code, (f"legacy.{total}",), tuple(f"legacy.{p}" for p in parts), "=", sev, title or total, title)


_D = "apply.replied.denied."
RELATIONS = (
    _sum("L1", "apply.received.total", [f"apply.received.{k}" for k in ("in_person", "fax", "online", "letter")],
         title="收到申请数 = 当面+传真+网络+信函"),
    _sum("L2", "apply.closed.total", ["apply.closed.on_time", "apply.closed.extended"], title="申请办结数 = 按时+延期"),
    _sum("L3", "apply.replied.total", [f"apply.replied.{k}" for k in (
        "already_public", "granted", "partial", "denied.total", "not_this_organ", "not_exist", "correction",
        "other_channel")], title="申请答复数 = 各类答复之和"),
    _sum("L4", "apply.replied.denied.total", [_D + k for k in (
        "state_secret", "trade_secret", "privacy", "safety", "not_gov_info", "other_law")], "warning",
        title="不同意公开答复数 = 其中各项之和"),
    _sum("L5", "review.total", ["review.upheld", "review.corrected", "review.other"], title="行政复议数量 = 维持+纠错+其他"),
    _sum("L6", "suit.total", ["suit.upheld", "suit.corrected", "suit.other"], title="行政诉讼数量 = 维持+纠错+其他"),
    _sum("L7", "org.staff.total", ["org.staff.full_time", "org.staff.part_time"], title="工作人员数 = 专职+兼职"),
    Relation("L8", ("legacy.active.normative_published",), ("legacy.active.total",), "<=", "error",
             "主动公开规范性文件数", "主动公开规范性文件数 ≤ 主动公开政府信息数"),
    Relation("L9", ("legacy.active.total",), tuple(f"legacy.active.channel.{k}" for k in (
        "gazette", "website", "weibo", "wechat", "other")), "<=", "warning", "主动公开政府信息数",
        "主动公开政府信息数 ≤ 各渠道之和"),
    *(Relation("L9", (f"legacy.active.channel.{k}",), ("legacy.active.total",), "<=", "warning", f"渠道 {k}",
               "单一渠道 ≤ 主动公开政府信息数") for k in ("gazette", "website", "weibo", "wechat", "other")),
    Relation("L10", ("legacy.response.press_conf_chief",), ("legacy.response.press_conf",), "<=", "error",
             "新闻发布会", "主要负责同志参加次数 ≤ 总次数"),
    Relation("L10", ("legacy.response.interviews_chief",), ("legacy.response.interviews",), "<=", "error",
             "在线访谈", "主要负责同志参加次数 ≤ 总次数"),
    Relation("L11", ("legacy.apply.replied.total",), ("legacy.apply.closed.total",), "=", "warning",
             "申请答复数", "申请答复数 = 申请办结数"),
)

EDITION = Edition(
    "legacy", "政府信息公开情况统计表(国办发〔2014〕32号)", (2008, 2018), (TABLE,), RELATIONS,
    {"收到申请数": 3, "申请办结数": 3, "申请答复数": 3, "主动公开政府信息数": 3, "主动公开文件数": 2,
     "计量单位": 1, "对申请的答复总数": 2, "同意公开答复数": 2, "行政复议数量": 1},
)
