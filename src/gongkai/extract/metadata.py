"""Report metadata: organ, region, statistics year, dates, statistics period, kind of organ.

The organ's name comes from the title, the signature or the 信息来源 line, whichever is the
fullest; abbreviations (市人社局) are expanded from a table, with the place supplied by the
report itself. Regions come from the bundled national division table (data/divisions.tsv),
never from guesses: an ambiguous county name is settled by other places the text names.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

# short form -> official department name (the part after the place name)
ABBREV = {
    "人社局": "人力资源和社会保障局", "人力社保局": "人力资源和社会保障局", "国资委": "人民政府国有资产监督管理委员会",
    "发改委": "发展和改革委员会", "发改局": "发展和改革局", "住建局": "住房和城乡建设局", "住建委": "住房和城乡建设委员会",
    "自然资源局": "自然资源局", "自规局": "自然资源和规划局", "市场监管局": "市场监督管理局", "生态环境局": "生态环境局",
    "环保局": "环境保护局", "卫健委": "卫生健康委员会", "卫健局": "卫生健康局", "卫计委": "卫生和计划生育委员会",
    "教育局": "教育局", "教体局": "教育和体育局", "公安局": "公安局", "财政局": "财政局", "民政局": "民政局",
    "司法局": "司法局", "交通局": "交通运输局", "交通运输局": "交通运输局", "农业农村局": "农业农村局",
    "农业局": "农业局", "文旅局": "文化和旅游局", "文广旅局": "文化广电和旅游局", "应急局": "应急管理局",
    "应急管理局": "应急管理局", "医保局": "医疗保障局", "统计局": "统计局", "审计局": "审计局", "税务局": "税务局",
    "城管局": "城市管理局", "水利局": "水利局", "水务局": "水务局", "林业局": "林业局", "商务局": "商务局",
    "科技局": "科学技术局", "工信局": "工业和信息化局", "退役军人局": "退役军人事务局", "退役军人事务局": "退役军人事务局",
    "政数局": "政务服务数据管理局", "大数据局": "大数据管理局", "行政审批局": "行政审批局", "审批局": "行政审批局",
    "信访局": "信访局", "档案局": "档案局", "粮食局": "粮食和物资储备局", "体育局": "体育局", "民宗局": "民族宗教事务局",
    "侨办": "人民政府侨务办公室", "外事办": "人民政府外事办公室", "政府办": "人民政府办公室", "政府办公室": "人民政府办公室",
}
_ABBR_RX = re.compile("(" + "|".join(sorted(map(re.escape, ABBREV), key=len, reverse=True)) + ")")
# a short form names the organ only at the end of a name: 市人社局, not 人民政府办公厅 or 公安局交警支队
_ABBR_END = re.compile(_ABBR_RX.pattern + "$")
_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_DATE = re.compile(r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*"
                   r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日")
_ISO = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
# the name before the year stops at sentence punctuation and quotes: "根据《条例》规定,现将北坡镇2022年…报告"
_TITLE = re.compile(r"([^\n|,，。;；:：《》“”\"!！?？/]{0,60}?)\s*(\d{4})\s*年\s*度?\s*(?:(?:政府|政务)?\s*信\s*息|政\s*务)\s*公\s*开\s*(?:工作)?"
                    r"\s*(?:情况\s*)?(?:的\s*)?年\s*度?\s*报\s*告")
# "2021年北京市东城区政府信息公开工作年度报告": the organ between the year and 信息公开
_TITLE_YEAR_FIRST = re.compile(r"(\d{4})\s*年\s*度?\s*([\u4e00-\u9fff()]{2,40}?)\s*(?:(?:政府|政务)?\s*信\s*息|政\s*务)\s*"
                               r"公\s*开\s*(?:工作)?\s*年\s*度?\s*报\s*告")
_PERIOD = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:起)?\s*(?:至|到|-|—|~)\s*(\d{4})年(\d{1,2})月(\d{1,2})日")
_POSTED = re.compile(r"(?:发布日期|发布时间|发布于|发文日期|时间)\s*[::]?\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})")
_SOURCE = re.compile(r"(?:信息来源|来源|发布机构)\s*[::]\s*([\u4e00-\u9fff()]{4,40})")
_ORGAN_END = re.compile(r"(人民政府办公室|人民政府|管理委员会|管委会|委员会|办公室|局|委|办|厅|院|署|中心|政府|街道办事处|办事处|镇|乡|部|支队|大队)$")
_NOISE = re.compile(r"^(?:标题|主题|名称)\s*[::]\s*")
# site navigation a crawler keeps in front of the title: 首页 > 政务公开 > 年报 > …
_CRUMB_SEP = re.compile(r"\s*(?:>|＞|›|»|→|/|\|)\s*|\s+")
_CRUMB = re.compile(r"^(?:当前位置|您的位置|您现在的位置|所在位置|位置|首页|网站首页|政务公开|政府信息公开|信息公开|"
                    r"法定主动公开内容|主动公开|公开年报|政府信息公开年报|信息公开年报|工作年报|年度报告|年报|"
                    r"专题专栏|栏目|正文|[::])+")
# page furniture after a signature date: 【打印本页】【关闭窗口】 分享到 …
_FURNITURE = re.compile(r"打印本页|打印|关闭窗口|关闭本页|关闭|分享到|分享至|分享|收藏|返回顶部|返回|字号|[大中小]|扫一扫|"
                        r"在手机上查看|手机看|纠错|(?:责任编辑|编辑|校对|审核)[::]?\S{0,8}|[【】\[\]()《》|:：\s]")


def _cn_num(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(ch in _CN_DIGIT for ch in s):
        return int("".join(str(_CN_DIGIT[ch]) for ch in s))
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGIT.get(a, 1) if a else 1) * 10 + (_CN_DIGIT.get(b, 0) if b else 0)
    return _CN_DIGIT.get(s, 0)


def _iso(y: str, m: str, d: str) -> str | None:
    try:
        yy, mm, dd = _cn_num(y), _cn_num(m), _cn_num(d)
    except (KeyError, ValueError):
        return None
    if not (1990 <= yy <= 2100 and 1 <= mm <= 12 and 1 <= dd <= 31):
        return None
    return f"{yy:04d}-{mm:02d}-{dd:02d}"


@lru_cache(maxsize=1)
def divisions() -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """code -> (name, parent); name and short name -> codes."""
    by_code: dict[str, tuple[str, str]] = {}
    by_name: dict[str, list[str]] = {}
    text = resources.files("gongkai").joinpath("data/divisions.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        code, name, parent = (line.split("\t") + ["", ""])[:3]
        by_code[code] = (name, parent)
        for n in _short_names(name):
            by_name.setdefault(n, []).append(code)
    return by_code, by_name


_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "自治县", "自治旗", "省", "市",
             "地区", "盟", "县", "区", "旗")


def _short_names(name: str) -> list[str]:
    out = [name]
    m = re.match(r"^(.{2,}?)(?:[\u4e00-\u9fff]{1,8}族)+(自治州|自治县|自治旗)$", name)
    e = re.match(r"^([\u4e00-\u9fff]{2,4}?)族自治(县|旗)$", name)
    if e:  # 东乡族自治县 is also called 东乡县
        out.append(e.group(1) + e.group(2))
    if m:
        kind = {"自治州": "州", "自治县": "县", "自治旗": "旗"}[m.group(2)]
        out += [m.group(1) + kind, m.group(1)]
    for suf in _SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            out.append(name[: -len(suf)])
            break
    return out


def _path(code: str) -> list[str]:
    by_code, _ = divisions()
    names = []
    while code and code in by_code:
        name, parent = by_code[code]
        names.append(name)
        if parent and parent not in by_code and parent[:2] + "0000" in by_code:
            parent = parent[:2] + "0000"  # districts of 北京/天津/上海/重庆 hang under a 市辖区 code the table omits
        code = parent
    return names[::-1]


def region_of(names: list[str], context: str) -> tuple[str | None, list[str]]:
    """The division a name denotes, choosing among same-named ones by the places the text names."""
    by_code, by_name = divisions()
    for name in reversed(names):  # the most specific place first
        codes = by_name.get(name) or []
        if not codes:
            continue
        if len(codes) == 1:
            return codes[0], _path(codes[0])
        scored = []
        for c in codes:
            path = _path(c)
            score = sum(context.count(_short_names(p)[-1]) for p in path[:-1])
            scored.append((score, c, path))
        scored.sort(reverse=True)
        if scored[0][0] > scored[1][0]:
            return scored[0][1], scored[0][2]
    return None, []


@lru_cache(maxsize=1)
def _name_set() -> frozenset[str]:
    by_code, _ = divisions()
    return frozenset(n for n, _p in by_code.values() if len(n) >= 2)


_END = re.compile(r"[省市州盟县区旗]")


def _places(s: str) -> list[str]:
    """Division names the text mentions (full official names), in order: found by looking back
    from every character that can end one, longest name first."""
    names = _name_set()
    out = []
    for m in _END.finditer(s):
        e = m.end()
        for k in range(min(e, 12), 1, -1):
            if s[e - k:e] in names:
                out.append(s[e - k:e])
                break
    return out


def _expand(name: str, text: str) -> str:
    """市人社局 -> 衡阳市人力资源和社会保障局, using the report's most frequent city/county name."""
    name = re.sub(r"\s+", "", name)
    m = _ABBR_END.search(name)
    if not m:
        return name
    head = name[: m.start()]
    full = ABBREV[m.group(1)]
    if name.endswith(full):
        return name  # 人民政府办公室 already in full
    if head in ("", "市", "县", "区", "州", "旗", "我"):
        level = head or "市"
        cands = Counter(p for p in _places(text) if p.endswith(level) and len(p) >= 3
                        and not any(w in p for w in ("我市", "全市", "本市", "该市", "我县", "全县", "全区", "我区")))
        if cands:
            head = cands.most_common(1)[0][0]
    return head + full


# what a sentence puts before a title it names: "现将北坡镇2022年…报告如下", "编制万源市玉带乡2024年…报告"
_TITLE_VERB = re.compile(r"^[\x21-\x7e]*(?:现将|现就|现把|现予|现|特将|兹将|特此)?(?:做好|编制(?:完成|形成)?了?|形成了?|公布|发布|印发|报送|报告)?")


_NOTICE_AFTER = re.compile(r"[ \t]*(?:编制|制作|和发布|发布工作|发布等|公布工作|有关事项|相关工作|工作的?通知|的通知|格式|模板|填报|报送)")
_NOTICE_IN = re.compile(r"关于(?:做好|编制|印发|报送|开展)")


def _cand_org(m: re.Match) -> str:
    """The organ a title candidate names: before its year, or alone on the line above it
    ("桃江县松木塘镇人民政府⏎2022年政府信息公开工作年度报告")."""
    if m.re is not _TITLE:
        return re.sub(r"\s+", "", m.group(2))
    org = _title_org(m.group(1))
    lines = [ln.strip(" |") for ln in m.string[:m.start()].split("\n")]
    if not org and len(lines) > 1 and not lines[-1]:
        above = re.sub(r"\s+", "", next((ln for ln in reversed(lines[:-1]) if ln), ""))
        if len(above) <= 30 and _ORGAN_END.search(above) and not re.search(r"[,，。;；]", above):
            org = above
    return org


def _title_org(prefix: str) -> str:
    """The organ named before a title's year, without a sentence's verb or a 我局/本机关."""
    s = _TITLE_VERB.sub("", re.sub(r"\s+", "", prefix))
    return "" if s.startswith(("我", "本", "全", "该", "根据", "按照")) else s


def _clean_org(s: str) -> str:
    s = _NOISE.sub("", s.strip(" |:,。、"))
    s = re.sub(r"^关于|关于$", "", s.strip())
    parts = [p for p in _CRUMB_SEP.split(s) if p]
    if len(parts) > 1 and _ORGAN_END.search(parts[-1]) and len(parts[-1]) >= 4:
        s = parts[-1]  # the last crumb names the organ; the ones before are the site's menu
    s = re.sub(r"\s+", "", s)
    return _CRUMB.sub("", s) or s


def _signature(tail: str) -> tuple[str | None, str | None]:
    """(date, organ) of a signature that a crawler ran into one line with the text before it
    and the page furniture after it: '…无。 某某局 2020年1月28日 【打印本页】'."""
    for m in reversed(list(_DATE.finditer(tail))):
        after = tail[m.end():m.end() + 120].split("\n")[0]
        if _FURNITURE.sub("", after):
            continue  # the date sits inside a sentence
        before = tail[max(0, m.start() - 60):m.start()]
        if re.search(r"(?:发布|时间|日期|更新)\s*[::]?\s*$", before):
            continue
        chunk = re.split(r"[。;；!！?？\n]", before)[-1].strip()
        if not chunk:
            return _iso(*m.groups()), None
        org = _CRUMB_SEP.split(chunk)[-1] if _CRUMB_SEP.search(chunk) else chunk
        org = _clean_org(org)
        if _ORGAN_END.search(org) and 2 <= len(org) <= 40:
            return _iso(*m.groups()), org
        return None, None
    return None, None


def extract_meta(text: str, *, title: str | None = None, posted: str | None = None) -> dict:
    head = text[:3000]
    tail = text[-2500:]
    meta: dict = {"agency": None, "region": None, "year": None, "dated": None, "posted": None,
                  "stat_period": None, "report_kind": None, "title": None}
    # title and year
    cands = []
    for src in (title or "", head):
        # anchor on "报告" and look back: cheaper than trying the pattern at every position
        pos = src.find("报告")
        while pos >= 0:
            win = src[max(0, pos - 100):pos + 2]
            # the match that ends at this 报告 (an earlier title may fall inside the window too)
            m = next((x for x in reversed(list(_TITLE.finditer(win))) if x.end() == len(win)), None) \
                or next((x for x in reversed(list(_TITLE_YEAR_FIRST.finditer(win))) if x.end() == len(win)), None)
            # a notice about reports is cited, not this report's title: 《…关于做好2020年…年度报告编制和发布工作的通知》
            if m and not _NOTICE_AFTER.match(src, pos + 2) and not _NOTICE_IN.search(m.group(0)):
                cands.append(m)
            pos = src.find("报告", pos + 2)
    if cands:
        m = cands[0]
        meta["year"] = int(m.group(2) if m.re is _TITLE else m.group(1))
        # the title names the organ: prefer a candidate that does (a bare one may be a page header)
        named = [(c, org) for c in cands if (org := _cand_org(c))]
        best, org = named[0] if named else (m, "")
        t = re.sub(r"\s+", "", best.group(0)).strip("|")
        if best.re is _TITLE:
            t = t[len(re.sub(r"\s+", "", best.group(1))):]
        if org and org not in t:
            t = org + t
        meta["title"] = t
    pm = _PERIOD.search(text[:6000])
    if pm:
        a = _iso(pm.group(1), pm.group(2), pm.group(3))
        b = _iso(pm.group(4), pm.group(5), pm.group(6))
        if a and b:
            meta["stat_period"] = [a, b]
            if meta["year"] is None:
                meta["year"] = int(pm.group(4))
    if meta["year"] is None:
        ym = re.search(r"(\d{4})\s*年\s*度?\s*(?:政府信息公开|本机关|我)", head)
        if ym:
            meta["year"] = int(ym.group(1))
    # posted: the page's date line
    mp = _POSTED.search(text[:1500]) or _POSTED.search(tail)
    meta["posted"] = (_iso(*mp.groups()) if mp else None) or posted
    # dated: a date line in parentheses near the top, or a signature date at the end
    dated = None
    for m in _DATE.finditer(text[:600]):
        before = text[max(0, m.start() - 3):m.start()]
        after = text[m.end():m.end() + 3]
        if "(" in before and ")" in after:
            dated = _iso(*m.groups())
            break
    sig_org = None
    if dated is None:
        lines = [ln.strip() for ln in tail.split("\n")]
        for i in range(len(lines) - 1, -1, -1):
            ln = lines[i]
            m = _DATE.fullmatch(re.sub(r"\s+", "", ln)) if ln else None
            if m and not _POSTED.search(ln):
                dated = _iso(*m.groups())
                prev = [x for x in lines[max(0, i - 3):i] if x]
                if prev and _ORGAN_END.search(re.sub(r"\s+", "", prev[-1])):
                    sig_org = _clean_org(prev[-1])
                break
        if dated is None:
            dated, sig_org = _signature(tail)
    meta["dated"] = dated
    # organ
    names = []
    if meta["title"]:
        t0 = _TITLE.search(meta["title"])
        org = _clean_org(t0.group(1)) if t0 else ""
        if len(org) < 2:
            t1 = _TITLE_YEAR_FIRST.search(meta["title"])
            if t1 and t1.group(2) not in ("政府", "政务"):
                org = _clean_org(t1.group(2))
                if org.endswith("人民"):
                    org += "政府"  # "…人民政府信息公开": the 政府 belongs to both
        if org and not org.startswith(("我", "本", "全", "现", "该", "根据", "按照")):
            names.append(_government_of(org))
    if sig_org:
        names.append(sig_org)
    first = next((ln.strip() for ln in head.split("\n") if ln.strip()), "")
    if _ORGAN_END.search(re.sub(r"\s+", "", first)) and len(re.sub(r"\s+", "", first)) <= 30:
        names.append(_clean_org(first))
    sm = _SOURCE.search(head)
    if sm:
        names.append(_clean_org(sm.group(1)))
    names = [n for n in names if 2 <= len(n) <= 40]
    # a short form with its place (西塞山区政数局) is as good as the full name: expand it in place
    names = [_expand(n, text) if (a := _ABBR_END.search(n)) and len(n[:a.start()]) >= 2 else n for n in names]
    full = [n for n in names if not _ABBR_END.search(n) and len(n) >= 4]
    if full:
        agency = full[0]  # title first, then signature, first line, source line
    elif names:
        agency = _expand(names[0], text)
    else:
        m = re.search(r"([市县区])(" + _ABBR_RX.pattern[1:-1] + ")", text[:8000])
        agency = _expand(m.group(0), text) if m else None
    if agency and re.search(r"(实验区|开发区|新区|高新区|示范区)$", agency):
        agency += "管理委员会"
    meta["agency"] = agency
    # region
    if agency:
        places = _places(agency)
        context = text[:8000]
        code, path = region_of(places, context)
        if not path:
            zone = re.match(r"(.{2,}?(?:实验区|开发区|新区|高新区|示范区))", agency)
            if zone:
                # a zone under a province: the province the text names most
                provs = Counter(p for p in _places(context) if p.endswith("省"))
                base = zone.group(1)[:2]
                _c, p2 = region_of([base], context)
                prov = p2[0] if p2 else (provs.most_common(1)[0][0] if provs else None)
                meta["region"] = "/".join(x for x in (prov, zone.group(1)) if x)
        else:
            meta["region"] = "/".join(path)
    meta["report_kind"] = _kind(agency or "")
    return meta


def _government_of(org: str) -> str:
    """A title that names only a place (北京市东城区2021年…报告) is that place's government's report."""
    places = _places(org)
    if places and "".join(places) == org:
        return org + "人民政府"
    return org


def _kind(agency: str) -> str | None:
    if not agency:
        return None
    if re.search(r"(街道|镇|乡)(人民政府|办事处)?$", agency):
        return "township"
    if re.search(r"(人民政府|管理委员会|管委会)$", agency) and not re.search(r"(委员会).*(委员会)$", agency):
        if re.search(r"(国有资产监督管理委员会|发展和改革委员会|卫生健康委员会)$", agency):
            return "department"
        return "government"
    if re.search(r"(局|委|办|办公室|厅|委员会|中心|署|院|部|支队|大队|分局)$", agency):
        return "department"
    return "other"
