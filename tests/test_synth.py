"""Synthetic reports: consistent, official labels, every layout parses back to the gold cells."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from gongkai import parse_text
from gongkai.editions import EDITIONS
from gongkai.synth import (
    EDITION_NAMES,
    LAYOUTS,
    make_report,
    random_meta,
    random_report,
    render,
    write_corpus,
)


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_random_reports_satisfy_every_relation(edition: str) -> None:
    rng = random.Random(edition)
    ed = EDITIONS[edition]
    for _ in range(200):
        d = random_report(edition, rng)
        assert list(d["cells"]) == ed.cell_ids
        assert all(v is not None and v >= 0 or k.endswith(".change") for k, v in d["cells"].items())
        broken = [r for r in ed.relations if r.holds(d["cells"]) is False]
        assert not broken


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_official_labels_are_printed(edition: str) -> None:
    rng = random.Random(1)
    d = random_report(edition, rng)
    text = render(d["cells"], edition, "pipe", random_meta(edition, rng), d["units"])
    for t in EDITIONS[edition].tables:
        for r in t.rows:
            assert r.label in text
        if t.layout == "rows":
            for c in t.cols:
                assert c.label in text


@pytest.mark.parametrize("layout", [x for x in LAYOUTS if x != "crawl"])
@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_layouts_parse_back_exactly(edition: str, layout: str) -> None:
    rng = random.Random(f"{edition}{layout}")
    for _ in range(3):
        s = make_report(edition, layout, rng)
        rep = parse_text(s.text)
        assert rep.edition == edition
        got = rep.values()
        wrong = {k: (v, got.get(k)) for k, v in s.gold["cells"].items() if got.get(k) != v}
        assert not wrong


@pytest.mark.parametrize("edition", EDITION_NAMES)
def test_crawl_layout_mostly_recovered(edition: str) -> None:
    rng = random.Random(edition)
    ok = total = 0
    for _ in range(5):
        s = make_report(edition, "crawl", rng)
        got = parse_text(s.text).values()
        ok += sum(1 for k, v in s.gold["cells"].items() if got.get(k) == v)
        total += len(s.gold["cells"])
    assert ok / total >= 0.9


def test_controlled_errors_break_relations() -> None:
    rng = random.Random(5)
    hit = 0
    for i in range(60):
        ed = EDITION_NAMES[i % 3]
        s = make_report(ed, "pipe", rng, errors=1.0)
        assert s.gold["known_findings"]
        cells = s.gold["cells"]
        if any(v is None for v in cells.values()) or any(r.holds(cells) is False for r in EDITIONS[ed].relations):
            hit += 1
    assert hit == 60


def test_write_corpus(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 18, seed=3)
    assert len(paths) == 18
    assert {p.suffix for p in paths} == {".txt", ".html"}
    gold = json.loads((tmp_path / "synth-000000.gold.json").read_text(encoding="utf-8"))
    assert gold["edition"] in EDITION_NAMES and gold["cells"]
    again = write_corpus(tmp_path / "b", 18, seed=3)
    assert [p.read_text(encoding="utf-8") for p in paths] == [p.read_text(encoding="utf-8") for p in again]
