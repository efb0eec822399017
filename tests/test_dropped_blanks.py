"""Rows whose blank cells a copy dropped: put back only where the relations fix the places."""

from __future__ import annotations

import random
import re

import pytest

from gongkai import parse_text
from gongkai.synth import make_report


def _drop_zero_cells(text: str, rng: random.Random, rate: float, limit: int = 99) -> tuple[str, set[str]]:
    """Drop the zero cells among the six applicant columns of some section 三 rows (pipe layout);
    returns the text and the labels of the rows changed."""
    out, changed, inside = [], set(), False
    for line in text.split("\n"):
        if "三、收到和处理" in line:
            inside = True
        elif "行政复议" in line:
            inside = False
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        vals = cells[-7:]
        if inside and len(cells) >= 8 and all(re.fullmatch(r"\d+", v) for v in vals) and "0" in vals[:6] \
                and any(v != "0" for v in vals[:6]) and len(changed) < limit and rng.random() < rate:
            kept = [v for v in vals[:6] if v != "0"] + [vals[6]]
            line = "| " + " | ".join(cells[:-7] + kept) + " |"
            changed.add(cells[-8])
        out.append(line)
    return "\n".join(out), changed


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_placed_blanks_never_wrong(edition: str) -> None:
    rng = random.Random(f"drop{edition}")
    placed = 0
    for _ in range(25):
        s = make_report(edition, "pipe", rng)
        text, changed = _drop_zero_cells(s.text, rng, 0.3)
        rep = parse_text(text)
        for k, v in s.gold["cells"].items():
            if not k.startswith("s3."):
                continue
            c = rep.cells[k]
            if c.how == "placed":
                placed += 1
                assert c.value == v or (c.value is None and v == 0), (k, v, c.value)
            else:
                assert c.value is None or c.value == v, (k, v, c.value, c.how)
        if changed:
            assert any(f.rule in ("GK006", "GK001", "GK003") for f in rep.findings)
    assert placed > 50


def test_one_dropped_row_is_placed_and_reported() -> None:
    rng = random.Random(11)
    for _ in range(20):
        s = make_report("2021", "pipe", rng)
        text, changed = _drop_zero_cells(s.text, rng, 1.0, limit=1)
        if len(changed) != 1:
            continue
        rep = parse_text(text)
        notes = [f for f in rep.findings if f.rule == "GK006"]
        assert len(notes) == 1 and "空白" in notes[0].message
        for cid in notes[0].cells:
            gold = s.gold["cells"][cid]
            assert rep.value(cid) == gold or (rep.value(cid) is None and gold == 0)
        return
    pytest.fail("no report with exactly one droppable row")


def test_closing_bar_is_not_a_cell() -> None:
    rng = random.Random(2)
    s = make_report("2021", "pipe", rng)
    # a row with one value fewer than columns must never be read one to one with a blank total
    text = re.sub(r"(四、结转下年度继续办理 \|(?: \d+ \|){5}) \d+ \|", r"\1", s.text)
    assert text != s.text
    rep = parse_text(text)
    for cid, gold in s.gold["cells"].items():
        if cid.startswith("s3.carried_over."):
            got = rep.value(cid)
            assert got is None or got == gold or (got is None and gold == 0), (cid, gold, got)
    assert any(f.rule in ("GK001", "GK003") for f in rep.findings)
