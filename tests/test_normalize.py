"""Normalisers and decoding: script, conversion junk, full-width forms, encodings."""

from __future__ import annotations

import codecs

import pytest

from gongkai.normalize import normalize_text
from gongkai.read import read_bytes
from gongkai.read.decode import decode_bytes

SAMPLE = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 27 | 4 |"


def test_traditional_to_simplified_and_pinyin_junk() -> None:
    t = "本年度報告根據(jù)國、省,、市政府信息公開相關(guān)法律,、法規(guī)的規(guī)定編制,內(nèi)容包括:總體情況"
    assert normalize_text(t) == "本年度报告根据国、省、市政府信息公开相关法律、法规的规定编制,内容包括:总体情况"


def test_full_width_forms_and_nbsp() -> None:
    assert normalize_text("（一）予以公开　２７，４") == "(一)予以公开 27,4"
    assert normalize_text("规章\u00a0０") == "规章 0"


def test_simplified_text_untouched() -> None:
    t = "柳州市城中区人民政府2020年政府信息公开工作年度报告"
    assert normalize_text(t) == t


def test_parenthesised_latin_kept_in_simplified_text() -> None:
    assert normalize_text("政府与社会资本合作(PPP)项目") == "政府与社会资本合作(PPP)项目"


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16"])
def test_encodings(enc: str) -> None:
    text = SAMPLE if enc != "big5" else "三、收到和處理政府信息公開申請情況 本年新收"
    data = text.encode(enc)
    assert decode_bytes(data) == text


def test_utf16_without_bom() -> None:
    data = SAMPLE.encode("utf-16-le")
    assert decode_bytes(data) == SAMPLE
    assert not data.startswith(codecs.BOM_UTF16_LE)


def test_html_declared_charset() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>政府信息公开</p></body></html>'
    doc = read_bytes(page.encode("gb18030"), "x.html")
    assert doc.form == "html" and doc.blocks[0].text == "政府信息公开"


def test_html_chrome_scripts_and_spans() -> None:
    page = ("<html><body><script>var a='行政许可 9';</script><nav>首页</nav><table><tr><td rowspan=2>规章</td>"
            "<td><span>1</span><span>2</span></td></tr><tr><td>本年新<br>制作数量</td></tr></table></body></html>")
    doc = read_bytes(page.encode(), "p.html")
    t = [b for b in doc.blocks if b.kind == "table"][0]
    assert t.grid() == [["规章", "12"], ["规章", "本年新\n制作数量"]]
    assert all("行政许可" not in b.text for b in doc.blocks if b.kind == "para")
