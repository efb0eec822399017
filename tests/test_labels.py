"""Damaged row labels: a lost character, a variant character, numbering dropped or restyled.

The statutory rows come in a fixed order, so a label that no variant matches is still found
between its neighbours when the printed text resembles it; the deviation is reported (GK204).
"""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import parse_text
from gongkai.editions import EDITIONS
from layouts import consistent_cells, render

_NUM = re.compile(r"^(?:\d+[.、]|[(（][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、)")


def _damage(text: str, label: str, rng: random.Random) -> tuple[str, str]:
    core = _NUM.sub("", label)
    i = rng.choice([j for j in range(1, len(core) - 1) if "\u4e00" <= core[j] <= "\u9fff"])
    bad = label.replace(core, core[:i] + core[i + 1:])
    assert text.count(label + " |") == 1
    return text.replace(label + " |", bad + " |"), bad


@pytest.mark.parametrize("edition", ["2021", "2019"])
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_a_label_that_lost_a_character_is_still_its_row(edition: str, seed: int) -> None:
    rng = random.Random(seed)
    cells = consistent_cells(edition, rng)
    text = render(edition, cells, "pipe")
    ed = EDITIONS[edition]
    rows = [r for t in ed.tables if t.key in ("s3",) or t.prefix == "s2" for r in t.rows
            if len(_NUM.sub("", r.label)) >= 6 and text.count(r.label + " |") == 1]
    row = rng.choice(rows)
    text, bad = _damage(text, row.label, rng)
    report = parse_text(text)
    got = report.values()
    assert {k: got.get(k) for k in cells} == cells, bad
    assert any(f.rule == "GK204" and bad.replace(" ", "") in f.message for f in report.findings), bad


def test_variant_character_and_unnumbered_short_label() -> None:
    rng = random.Random(3)
    cells = consistent_cells("2021", rng)
    text = render("2021", cells, "pipe")
    text = text.replace("2.其他法律行政法规禁止公开 |", "2.其它法律行政法规禁止公开 |")
    text = text.replace("3.其他 |", "其他 |")
    got = parse_text(text).values()
    assert {k: got.get(k) for k in cells} == cells


def test_unrelated_text_is_not_taken_for_a_damaged_label() -> None:
    """A row that is really absent stays absent: nothing resembling it, nothing read."""
    rng = random.Random(5)
    cells = consistent_cells("2021", rng)
    text = render("2021", cells, "pipe")
    line = next(ln for ln in text.split("\n") if ln.startswith("4.保护第三方合法权益"))
    text = text.replace(line, "备注:本表数据由各单位汇总 | 1 | 2 | 3 | 4 | 5 | 6 | 21 |")
    report = parse_text(text)
    assert all(report.value(f"s3.denied.third_party.{c}") is None for c in ("natural", "total"))


def test_legacy_parent_row_is_not_read_from_a_damaged_sub_row() -> None:
    """`其中:主要负同志参加政府网站在线访谈次数` holds the words of the parent row
    `2.政府网站在线访谈次数`; when the parent's own label is damaged, the sub-row's number must
    not be taken for it."""
    cells = consistent_cells("legacy", random.Random(9))
    text = render("legacy", cells, "pipe")
    text = text.replace("2.政府网站在线访谈次数 |", "2.政府网在线访谈次数 |")
    text = text.replace("其中:主要负责同志参加政府网站在线访谈次数 |", "其中:主要负同志参加政府网站在线访谈次数 |")
    got = parse_text(text).values()
    assert got.get("legacy.response.interviews") in (None, cells["legacy.response.interviews"])
