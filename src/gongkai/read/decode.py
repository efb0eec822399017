"""Bytes to text for the encodings Chinese government sites actually serve."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from ..model import GongkaiError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_GB_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb18030": "gb18030"}


def _norm_codec(name: str) -> str | None:
    name = name.lower().strip()
    name = _GB_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, name: str = "") -> str:
    """Decode reliably: BOM, then strict UTF-8, then a declared HTML charset, then detection.

    GB2312/GBK are decoded as GB18030 (a superset), so characters outside GB2312 survive.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace")
    # UTF-16 without BOM: NUL bytes never occur in UTF-8/GB text but do in UTF-16 (ASCII halves)
    if len(data) >= 4 and len(data) % 2 == 0 and 0 in data:
        best_u: tuple[float, str] | None = None
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            score = _cjk_score(text) + text.count("\n") / max(len(text), 1)
            if best_u is None or score > best_u[0]:
                best_u = (score, text)
        if best_u is not None and best_u[0] > 0.2:
            return best_u[1]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(data[:4096])
    if m:
        codec = _norm_codec(m.group(1).decode("ascii", "ignore"))
        if codec and codec not in ("utf-8",):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    # Chinese text is usually GB18030 or Big5: try them strictly and pick the one with more
    # common CJK characters; fall back to charset-normalizer's guess.
    candidates: list[tuple[float, str]] = []
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        candidates.append((_cjk_score(text), text))
    if candidates:
        return max(candidates, key=lambda t: t[0])[1]
    best = from_bytes(data).best()
    if best is None:
        raise GongkaiError(f"{name or '文件'}: 无法识别文本编码")
    return str(best)


# frequent characters of report text, in both scripts
_COMMON = set("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞")


def _cjk_score(text: str) -> float:
    cjk = [ch for ch in text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(ch in _COMMON for ch in cjk) / len(cjk)
