"""Cross-year settlement of digit runs (`--series`): fills only what the relations force, never wrong."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from conftest import gold_pairs
from gongkai import parse_path, parse_text
from gongkai.cli import app
from gongkai.extract.series import settle_series
from gongkai.synth import chain_values, random_meta, random_report, render


def _pair(edition: str, rng: random.Random):
    place = ("福建省", "福州市", "鼓楼区")
    a = random_report(edition, rng)
    b = random_report(edition, rng)
    chain_values(a["cells"], b["cells"], edition, edition)
    y = 2019 if edition == "2019" else 2021
    ma = random_meta(edition, rng, y, place, "教育局")
    mb = random_meta(edition, rng, y + 1, place, "教育局")
    ra = parse_text(render(a["cells"], edition, "crawl", ma, a["units"]))
    rb = parse_text(render(b["cells"], edition, "crawl", mb, b["units"]))
    return (ra, a["cells"]), (rb, b["cells"])


@pytest.mark.parametrize("edition", ["2019", "2021"])
def test_settled_cells_are_always_right(edition: str) -> None:
    rng = random.Random(f"series{edition}")
    filled = 0
    for _ in range(60):
        (ra, ga), (rb, gb) = _pair(edition, rng)
        nulls = {id(r): {k for k, v in r.values().items() if v is None} for r in (ra, rb)}
        settle_series([rb, ra])  # order of the inputs does not matter
        for rep, gold in ((ra, ga), (rb, gb)):
            for k in nulls[id(rep)]:
                got = rep.value(k)
                if got is not None:
                    filled += 1
                    assert got == gold[k], (k, got, gold[k])
                    assert rep.cells[k].how == "series"
                    assert any(f.rule == "GK005" and f.cells == [k] for f in rep.findings)
                    assert not any(f.rule == "GK001" and f.cells == [k] for f in rep.findings)
    assert filled > 0  # the relation does settle some runs


def test_organ_that_breaks_the_relation_is_not_used() -> None:
    rng = random.Random(3)
    for _ in range(40):
        (ra, _ga), (rb, _gb) = _pair("2019", rng)
        # last year's fees row fully known and inconsistent with this year: X3 proves nothing here
        for rep, val in ((ra, (5, 1)), (rb, (99, 0))):
            rep.cells["s2.fees.prev_items"].value, rep.cells["s2.fees.change"].value = val
        before = [dict(r.values()) for r in (ra, rb)]
        assert settle_series([ra, rb]) == 0
        assert [dict(r.values()) for r in (ra, rb)] == before


def test_different_organs_are_never_paired() -> None:
    rng = random.Random(4)
    (ra, _), (rb, _) = _pair("2019", rng)
    rb.meta["agency"] = "福州市鼓楼区民政局"
    assert settle_series([ra, rb]) == 0


def test_real_series_reaches_the_bar(corpus) -> None:
    pairs = gold_pairs("real")
    reps = [parse_path(src) for src, _ in pairs]
    settle_series(reps)
    ok = total = 0
    for rep, (_src, gold) in zip(reps, pairs, strict=True):
        for k, v in gold["cells"].items():
            got = rep.value(k)
            assert got is None or got == v, (rep.path, k, got, v)
            ok += got == v
            total += 1
    assert ok / total >= 0.985


def test_cli_series_option(corpus) -> None:
    files = [str(corpus / "real" / f) for f in ("pt001.txt", "pt011.txt")]
    runner = CliRunner()
    plain = json.loads(runner.invoke(app, ["parse", *files]).stdout)
    done = runner.invoke(app, ["parse", "--series", *files])
    assert done.exit_code == 0, done.output
    settled = json.loads(done.stdout)
    assert "跨年度互证" in done.stderr
    gained_any = False
    for a, b in zip(plain, settled, strict=True):
        nulls = [k for k, v in a["cells"].items() if v is None]
        gained = [k for k in nulls if b["cells"][k] is not None]
        gained_any = gained_any or bool(gained)
        # the open 2020 rows (pt011) are settled with the 2019 report's 上一年项目数量
        assert all(f["rule"] == "GK005" for f in b["findings"] if set(f["cells"]) & set(gained))
        assert all(b["cells"][k] == v for k, v in a["cells"].items() if v is not None)
    assert gained_any
