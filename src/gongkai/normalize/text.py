"""Text normalisation: one canonical form before any matching.

Order matters: NFKC first (full-width digits/punctuation become ASCII, NBSP becomes a space),
then 繁→简 with OpenCC when the text is in traditional script, then removal of artefacts that
conversion sites leave behind (pinyin after characters such as `據(jù)`, doubled punctuation
`,、`, `@@`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# characters that exist only in traditional script and are frequent in these reports
_TRAD = set("國會這個們來說時對發開關與實經當點體從還過學問題書長門間東車馬業報務處數據統計區縣機義權術聯號條類辦結轉審議確認復訴訟總應現場專導環節構設簽衛變歷廣廳齊劃線營屬費產價")
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_TONED = re.compile(rf"(?<=[\u4e00-\u9fff])\((?=[a-zü{_TONE}]*[{_TONE}])[a-zü{_TONE}]{{1,7}}\)")
_PINYIN_PLAIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü]{1,6}\)")
_DOUBLE_PUNCT = re.compile(r",(?=[、。,;:!?])|、(?=[,。])")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_AT_JUNK = re.compile(r"(?<=[\u4e00-\u9fff])@@")
_DASHES = str.maketrans({"－": "-", "−": "-", "‐": "-", "‑": "-", "‒": "-", "﹣": "-", "–": "-",
                         "〇": "〇", "\u3000": " ", "\r": ""})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def is_traditional(text: str) -> bool:
    """True when the text is (mostly) in traditional script."""
    sample = text[:20000]
    return sum(1 for ch in sample if ch in _TRAD) >= 5


def has_pinyin_junk(text: str) -> bool:
    return len(_PINYIN_TONED.findall(unicodedata.normalize("NFKC", text[:50000]))) >= 3


class Normalizer:
    """Normalises many pieces of one document consistently (script and junk decided once)."""

    def __init__(self, sample: str) -> None:
        self.traditional = is_traditional(sample)
        self.pinyin = has_pinyin_junk(sample)

    def __call__(self, text: str) -> str:
        text = unicodedata.normalize("NFKC", text).translate(_DASHES)
        text = _ZERO_WIDTH.sub("", text)
        if self.traditional:
            text = _t2s().convert(text)
        text = _PINYIN_TONED.sub("", text)
        if self.pinyin:
            text = _PINYIN_PLAIN.sub("", text)
        text = _AT_JUNK.sub("", text)
        text = _DOUBLE_PUNCT.sub("", text)
        return text


def normalize_text(text: str) -> str:
    """Normalise one whole text (convenience for callers that have a single string)."""
    return Normalizer(text)(text)
