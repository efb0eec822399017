"""The shared gold corpus: seeds exact, crawled real pages near-exact and never wrong, HTML forms exact."""

from __future__ import annotations

import pytest

from conftest import gold_pairs
from gongkai import parse_path


def _compare(src, gold):
    report = parse_path(src)
    got = report.values()
    wrong = {k: (v, got.get(k, "<missing>")) for k, v in gold["cells"].items()
             if k not in got or (got[k] != v and not (got[k] is not None and v is not None and abs(got[k] - v) < 1e-6))}
    spurious = [k for k in got if k not in gold["cells"]]
    return report, wrong, spurious


@pytest.mark.parametrize("src,gold", gold_pairs("seeds"), ids=lambda x: getattr(x, "stem", ""))
def test_seed_exact(corpus, src, gold) -> None:
    report, wrong, spurious = _compare(src, gold)
    assert report.edition == gold["edition"]
    assert not wrong and not spurious
    assert report.units() == gold.get("units", {})


def test_real_pages(corpus) -> None:
    """Cells run together on crawled pages: ≥ 97.5% recovered, no value wrong, every null explained."""
    total = ok = 0
    for src, gold in gold_pairs("real"):
        report, wrong, spurious = _compare(src, gold)
        assert report.edition == gold["edition"], src.name
        assert not spurious, (src.name, spurious)
        total += len(gold["cells"])
        ok += len(gold["cells"]) - len(wrong)
        flagged = {c for f in report.findings if f.rule == "GK001" for c in f.cells}
        for k, (_g, got) in wrong.items():
            assert got is None and k in flagged, (src.name, k, _g, got)
    assert ok / total >= 0.975, ok / total


@pytest.mark.parametrize("src,gold", gold_pairs("forms", (".html",)), ids=lambda x: getattr(x, "stem", ""))
def test_html_forms_exact(corpus, src, gold) -> None:
    report, wrong, spurious = _compare(src, gold)
    assert not wrong and not spurious
    # provenance: HTML cells point at their source table cell
    c = report.cells["s3.new.total"]
    assert c.source is not None and c.source.table is not None and c.source.row is not None


def test_provenance_points_at_the_number(corpus) -> None:
    src, _ = gold_pairs("seeds")[1]
    report = parse_path(src)
    for c in report.cells.values():
        if c.value is not None and c.source is not None:
            assert report.text[c.source.start:c.source.end].strip() == c.raw
