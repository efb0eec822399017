"""The rule engine's CLI (check / rules / explain), the registry and select/ignore."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from gongkai import pipeline
from gongkai.check import RULES, Selection, get_rule, run_checks
from gongkai.commands.check import register
from gongkai.model import Finding, GongkaiError, Report
from test_check_gold import SEEDS, report_from_gold

runner = CliRunner()


@pytest.fixture()
def app(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    """A CLI whose parser builds the Report from the gold file beside the text (extractor-independent)."""

    def fake_parse_path(path: str | Path, *, checks: bool = True) -> Report:
        p = Path(path)
        gold = p.with_name(p.name.replace(".txt", ".gold.json"))
        if not p.exists() or not gold.exists():
            raise GongkaiError(f"{p}: 文件不存在或无法读取")
        rep = report_from_gold(gold)
        rep.findings.append(Finding("GK004", "info", "数字经拆分恢复(测试)", ["s3.new.total"]))
        return rep

    monkeypatch.setattr(pipeline, "parse_path", fake_parse_path)
    a = typer.Typer()

    @a.callback()
    def main() -> None:
        """test app"""

    register(a)
    return a


def seed_txt(prefix: str) -> str:
    return str(next(p for p in SEEDS if p.name.startswith(prefix)).with_name(
        next(p for p in SEEDS if p.name.startswith(prefix)).name.replace(".gold.json", ".txt")))


def test_check_exit_codes(app: typer.Typer) -> None:
    r = runner.invoke(app, ["check", seed_txt("002_")])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["check", seed_txt("000_")])
    assert r.exit_code == 1
    assert "予以公开 行" in r.output and "GK102" in r.output
    r = runner.invoke(app, ["check", seed_txt("002_"), "/nonexistent/x.txt", seed_txt("000_")])
    assert r.exit_code == 2
    assert "无法读取" in r.output and "GK102" in r.output  # other files still processed


def test_check_select_ignore(app: typer.Typer) -> None:
    r = runner.invoke(app, ["check", seed_txt("000_"), "--ignore", "GK102,GK103"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["check", seed_txt("000_"), "--select", "GK4", "--format", "json"])
    data = json.loads(r.output)
    assert {f["rule"] for f in data[0]["findings"]} == {"GK403"}
    r = runner.invoke(app, ["check", seed_txt("000_"), "--select", "A2", "--format", "json"])
    assert {f["rule"] for f in json.loads(r.output)[0]["findings"]} == {"GK102"}


def test_check_json(app: typer.Typer) -> None:
    r = runner.invoke(app, ["check", seed_txt("004_"), "--format", "json"])
    assert r.exit_code == 0
    data = json.loads(r.output)
    assert data[0]["edition"] == "legacy" and data[0]["year"] == 2016
    rules = [f["rule"] for f in data[0]["findings"]]
    assert rules.count("GK401") == 2 and "GK004" in rules


def test_check_xlsx(app: typer.Typer, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "findings.xlsx"
    r = runner.invoke(app, ["check", seed_txt("000_"), seed_txt("001_"), "--format", "xlsx", "-o", str(out)])
    assert r.exit_code == 1, r.output
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("文件", "机关", "年度", "格式", "规则", "级别", "规则名称", "说明")
    body = rows[1:]
    assert any(row[4] == "GK102" and row[1] == "衡阳市人力资源和社会保障局" and row[2] == 2019 for row in body)
    assert any(row[4] == "GK110" and "s3.denied.inquiry.legal" in (row[8] or "") for row in body)


def test_rules_and_explain(app: typer.Typer) -> None:
    r = runner.invoke(app, ["rules"])
    assert r.exit_code == 0 and "GK101" in r.output and "GK403" in r.output
    r = runner.invoke(app, ["explain", "GK102"])
    assert r.exit_code == 0 and "各申请人合计" in r.output
    r = runner.invoke(app, ["explain", "GK001"])
    assert r.exit_code == 0 and "连写" in r.output
    r = runner.invoke(app, ["explain", "a1"])
    assert r.exit_code == 0 and "GK101" in r.output
    r = runner.invoke(app, ["explain", "GK999"])
    assert r.exit_code == 2


def test_registry_is_documented() -> None:
    for code, rule in RULES.items():
        assert code[:3] in ("GK0", "GK1", "GK2", "GK3", "GK4") and len(code) == 5
        assert rule.severity in ("error", "warning", "info")
        assert rule.title and any("\u4e00" <= ch <= "\u9fff" for ch in rule.title)
        assert "例" in rule.doc, code
    for code in ("GK001", "GK002", "GK003", "GK004"):
        assert RULES[code].parse_time
    covered = {a for r in RULES.values() for a in r.aliases}
    for spec in ("A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "M1", "M2", "M3", "M4", "M5",
                 *(f"L{i}" for i in range(1, 13))):
        assert spec in covered, spec


def test_selection_like_ruff() -> None:
    assert Selection().enabled("GK101")
    assert not Selection(["GK1"]).enabled("GK201")
    assert Selection(["GK1"]).enabled("GK102")
    assert not Selection(["GK1"], ["GK102"]).enabled("GK102")
    assert Selection(["GK102"], ["GK1"]).enabled("GK102")  # more specific select wins
    assert not Selection(["GK102"], ["GK102"]).enabled("GK102")  # tie: ignore wins
    assert Selection(["A1"]).enabled("GK101") and not Selection(["A1"]).enabled("GK102")
    assert Selection("GK1, GK3").enabled("GK302")
    assert get_rule("l5") is RULES["GK125"]


def test_run_checks_keeps_parse_notes_and_is_idempotent() -> None:
    rep = report_from_gold(SEEDS[0])
    rep.findings.append(Finding("GK001", "warning", "数字连写无法唯一拆分", ["s2.rules.made"]))
    rep.findings.append(Finding("GK102", "error", "stale"))
    first = [f.to_dict() for f in run_checks(rep)]
    assert first[0]["rule"] == "GK001"
    assert "stale" not in {f["message"] for f in first}
    assert [f.to_dict() for f in run_checks(rep)] == first
    assert [f.rule for f in run_checks(rep, ignore=["GK0"])][0] != "GK001"


def test_unknown_cells_are_not_blank_and_skip_relations() -> None:
    rep = report_from_gold(next(p for p in SEEDS if p.name.startswith("002_")))
    c = rep.cells["s3.granted.natural"]
    c.value, c.how, c.raw = None, "ambiguous", "1100011"
    fs = run_checks(rep)
    assert not [f for f in fs if f.severity == "error"]
    assert not [f for f in fs if f.rule == "GK110"]
