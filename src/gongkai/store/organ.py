"""Organ identity: one key per reporting organ, so that a renamed or abbreviated organ still matches.

`organ_key(agency, region)` returns the key and, when an abbreviation has more than one known
expansion (文旅局: 文化和旅游局 or 文化广电和旅游局), the candidate keys: the cross-report checks
then look for each candidate and report an ambiguous match instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# abbreviation -> known expansions (more than one: ambiguous)
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "人社局": ("人力资源和社会保障局",),
    "人力社保局": ("人力资源和社会保障局",),
    "发改委": ("发展和改革委员会",),
    "发改局": ("发展和改革局",),
    "住建局": ("住房和城乡建设局",),
    "住建委": ("住房和城乡建设委员会",),
    "卫健委": ("卫生健康委员会",),
    "卫健局": ("卫生健康局",),
    "卫计委": ("卫生健康委员会",),
    "市监局": ("市场监督管理局",),
    "市场监管局": ("市场监督管理局",),
    "资规局": ("自然资源和规划局",),
    "环保局": ("生态环境局",),
    "生态环境局": ("生态环境局",),
    "国资委": ("国有资产监督管理委员会",),
    "交通局": ("交通运输局",),
    "农业农村局": ("农业农村局",),
    "文旅局": ("文化和旅游局", "文化广电和旅游局", "文化旅游局"),
    "文广旅局": ("文化广电和旅游局",),
    "文广新局": ("文化广电新闻出版局",),
    "城管局": ("城市管理局", "城市管理综合执法局", "城市管理和综合执法局"),
    "城管执法局": ("城市管理综合执法局",),
    "应急局": ("应急管理局",),
    "医保局": ("医疗保障局",),
    "退役军人局": ("退役军人事务局",),
    "工信局": ("工业和信息化局",),
    "经信局": ("经济和信息化局",),
    "科技局": ("科学技术局",),
    "教体局": ("教育和体育局",),
    "民宗局": ("民族宗教事务局",),
    "政数局": ("政务服务数据管理局",),
    "政务服务局": ("政务服务管理局",),
    "行政审批局": ("行政审批服务局",),
    "商务局": ("商务局",),
    "政府办": ("办公室",),
}

# historical renames (institutional reform): old name -> the name the organ carries now
RENAMES: dict[str, str] = {
    "国土资源局": "自然资源局",
    "环境保护局": "生态环境局",
    "卫生和计划生育委员会": "卫生健康委员会",
    "卫生计生委": "卫生健康委员会",
    "人力资源社会保障局": "人力资源和社会保障局",
    "农业局": "农业农村局",
    "安全生产监督管理局": "应急管理局",
    "民政和退役军人事务局": "民政局",
    "规划局": "自然资源和规划局",
}

_SPACE = re.compile(r"[\s\u3000·•()（）\[\]【】〔〕<>《》\"“”'‘’,，.。、:：;；-]+")
_GOV = re.compile(r"人民政府|人民政府")
_ZONE_SUFFIX = re.compile(r"(区|园|城|港)(?:管理委员会|管委会)$")
_AUTONOMOUS = re.compile(r"族?自治(县|旗)")
_LEVEL_PREFIX = re.compile(r"^(市|县|区|旗|州|镇|乡)(?=\w)")


@dataclass(frozen=True)
class OrganKey:
    key: str
    candidates: tuple[str, ...] = field(default_factory=tuple)  # several: the name is ambiguous

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def _clean(name: str) -> str:
    name = unicodedata.normalize("NFKC", name)
    return _SPACE.sub("", name)


def _local_place(region: str | None) -> str:
    if not region:
        return ""
    return region.split("/")[-1]


def _apply_tables(name: str) -> list[str]:
    """All readings of `name` with abbreviations expanded and old names replaced by current ones."""
    readings = [name]
    for abbr, expansions in sorted(ABBREVIATIONS.items(), key=lambda kv: -len(kv[0])):
        nxt = []
        for r in readings:
            if abbr in r and not any(e in r for e in expansions):
                nxt.extend(r.replace(abbr, e) for e in expansions)
            else:
                nxt.append(r)
        readings = nxt
    out = []
    for r in readings:
        for old, new in sorted(RENAMES.items(), key=lambda kv: -len(kv[0])):
            if old in r and new not in r:
                r = r.replace(old, new)
        out.append(r)
    return list(dict.fromkeys(out))


def _base(name: str, region: str | None) -> str:
    n = _clean(name)
    n = _GOV.sub("", n)
    n = re.sub(r"(?<=[市县区旗州镇乡])政府$", "", n)
    n = _ZONE_SUFFIX.sub(r"\1", n)
    n = _AUTONOMOUS.sub(r"\1", n)
    place = _AUTONOMOUS.sub(r"\1", _clean(_local_place(region)))
    if place:
        m = _LEVEL_PREFIX.match(n)
        if m and not n.startswith(place):
            n = place + n[1:] if place.endswith(m.group(1)) else place + n
        elif not n:
            n = place
    return n


def organ_key(agency: str | None, region: str | None = None) -> OrganKey | None:
    """The identity key of the organ named `agency` (in `region`), or None without a name."""
    if not agency or not agency.strip():
        return None
    base = _base(agency, region)
    if not base:
        return None
    readings = _apply_tables(base)
    if len(readings) == 1:
        return OrganKey(readings[0], ())
    # ambiguous: the key keeps the abbreviation; the candidates are every expansion
    return OrganKey(base, tuple(readings))


def same_organ(a: str, b: str, region: str | None = None) -> bool:
    ka, kb = organ_key(a, region), organ_key(b, region)
    return bool(ka and kb and (ka.key == kb.key or kb.key in ka.candidates or ka.key in kb.candidates))
