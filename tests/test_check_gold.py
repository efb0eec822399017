"""Checks on Reports built directly from the gold files (independent of the extractor)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.check import run_checks
from gongkai.model import Cell, Finding, Report
from gongkai.normalize import normalize_text

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
if not CORPUS.exists():  # pragma: no cover - layout fallback
    CORPUS = Path("/work/shared/corpus")
SEEDS = sorted((CORPUS / "seeds").glob("*.gold.json"))
REAL = sorted((CORPUS / "real").glob("*.gold.json"))


def report_from_gold(path: str | Path, *, how: str = "label") -> Report:
    """A Report as the extractor should produce it, from a gold file and the text beside it."""
    path = Path(path)
    g = json.loads(path.read_text(encoding="utf-8"))
    units = g.get("units") or {}
    cells = {cid: Cell(cid, v, unit=units.get(cid), raw="" if v is None else str(v), how=how)
             for cid, v in g["cells"].items()}
    meta = dict(g.get("meta") or {})
    txt = path.with_name(path.name.replace(".gold.json", ".txt"))
    text = normalize_text(txt.read_text(encoding="utf-8")) if txt.exists() else ""
    return Report(g.get("edition"), meta=meta, cells=cells, text=text, path=str(path))


def gold_path(prefix: str) -> Path:
    for p in SEEDS + REAL:
        if p.name.startswith(prefix):
            return p
    raise FileNotFoundError(prefix)


def checked(prefix: str, **kw: object) -> list[Finding]:
    return run_checks(report_from_gold(gold_path(prefix), **kw))  # type: ignore[arg-type]


def errors(fs: list[Finding]) -> list[Finding]:
    return [f for f in fs if f.severity == "error"]


def by_rule(fs: list[Finding], code: str) -> list[Finding]:
    return [f for f in fs if f.rule == code]


def test_seed000_errors_are_a2_granted_and_a3_total() -> None:
    fs = checked("000_")
    errs = errors(fs)
    assert sorted(f.rule for f in errs) == ["GK102", "GK103"], [f.message for f in errs]
    a2 = by_rule(errs, "GK102")[0]
    assert a2.message.startswith("予以公开 行: 各申请人合计 4 ≠ 总计 3")
    assert "s3.granted.total" in a2.cells and "s3.granted.ngo" in a2.cells and len(a2.cells) == 7
    a3 = by_rule(errs, "GK103")[0]
    assert a3.message.startswith("总计 列:") and "100" in a3.message and "101" in a3.message
    assert "s3.processed_total.total" in a3.cells and "s3.granted.total" in a3.cells


def test_seed000_warnings() -> None:
    fs = checked("000_")
    assert by_rule(fs, "GK106"), "decision count typed into 本年增/减 (+6980 vs 6979)"
    assert any("未注明单位" in f.message for f in by_rule(fs, "GK206"))
    dmg = by_rule(fs, "GK403")
    assert dmg and "中共衡阳市委、衡阳市人大、衡阳市政府、衡阳市政协" in dmg[0].message


def test_seed001_blank_cell_and_date() -> None:
    fs = checked("001_")
    blank = by_rule(fs, "GK110")
    assert [f.cells for f in blank] == [["s3.denied.inquiry.legal"]]
    assert blank[0].severity == "warning"
    dated = by_rule(fs, "GK302")
    assert dated and "2020-01-29" in dated[0].message and dated[0].severity == "error"
    assert {f.rule for f in errors(fs)} == {"GK302"}


def test_seed002_no_errors() -> None:
    assert errors(checked("002_")) == []


def test_seed003_position_mapping_reported() -> None:
    rep = report_from_gold(gold_path("003_"))
    for cid, c in rep.cells.items():
        if cid.startswith("s3.") and not cid.startswith(("s3.new.", "s3.carried_in.", "s3.carried_over.")):
            c.how = "position"
    fs = run_checks(rep)
    pos = by_rule(fs, "GK205")
    assert pos and pos[0].severity == "warning" and "s3.granted.total" in pos[0].cells
    assert errors(fs) == []


def test_seed004_narrative_contradictions() -> None:
    fs = checked("004_")
    nar = by_rule(fs, "GK401")
    msgs = " / ".join(f.message for f in nar)
    assert any("legacy.apply.received.total" in f.cells and "为 1 件" in f.message for f in nar), msgs
    assert any("legacy.active.channel.website" in f.cells and "253" in f.message and "258" in f.message
               for f in nar), msgs
    assert len(nar) == 2, msgs
    assert errors(fs) == []
    assert by_rule(fs, "GK403")


def test_real_pt011_a3_source_error() -> None:
    fs = checked("pt011")
    a3 = by_rule(fs, "GK103")
    assert any("总计 列" in f.message and "27" in f.message and "21" in f.message for f in a3)
    assert {f.rule for f in errors(fs)} <= {"GK101", "GK102", "GK103"}


@pytest.mark.parametrize("prefix", ["pt005", "pt006", "pt008"])
def test_real_money_with_six_decimals(prefix: str) -> None:
    assert any("6 位小数" in f.message for f in by_rule(checked(prefix), "GK206"))


@pytest.mark.parametrize("path", [p for p in REAL if not p.name.startswith("pt011")], ids=lambda p: p.name)
def test_real_no_unsupported_errors(path: Path) -> None:
    fs = run_checks(report_from_gold(path))
    assert errors(fs) == [], [f.message for f in errors(fs)]


def test_real_pt001_zero_changes_noted() -> None:
    fs = checked("pt001")
    assert any(f.severity == "info" and "全部为 0" in f.message for f in by_rule(fs, "GK106"))


def test_every_finding_has_chinese_message_and_known_severity() -> None:
    for p in SEEDS + REAL:
        for f in run_checks(report_from_gold(p)):
            assert f.severity in ("error", "warning", "info")
            assert any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
            assert f.rule.startswith("GK")
