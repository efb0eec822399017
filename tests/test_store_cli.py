"""The corpus commands end to end through the CLI (database path and plain files)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from gongkai.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "src" / "gongkai" / "samples"
runner = CliRunner()


def run(*args: str) -> str:
    res = runner.invoke(app, list(args), catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_cli_on_database(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    out = run("ingest", str(SAMPLES), "--db", db, "-j", "1", "-q")
    assert "新增 12 份" in out
    assert "新增 0 份" in run("ingest", str(SAMPLES), "--db", db, "-j", "1", "-q")
    rows = json.loads(run("reports", "--db", db, "--format", "json"))
    assert len(rows) == 12
    legacy = json.loads(run("reports", "--db", db, "--format", "json", "--edition", "legacy"))
    assert len(legacy) == 3 and all(r["edition"] == "legacy" for r in legacy)
    assert "报告 #1" in run("show", "1", "--db", db)
    shown = json.loads(run("show", "1", "--db", db, "--format", "json"))
    assert shown["cells"]
    stats = json.loads(run("stats", "--db", db, "--format", "json"))
    assert sum(r["reports"] for r in stats) == 12
    wide = list(csv.DictReader(io.StringIO(run("export", "--db", db, "--format", "csv"))))
    assert len(wide) == 12
    out_file = tmp_path / "x.parquet"
    run("export", "--db", db, "--format", "parquet", "--long", "-o", str(out_file))
    assert out_file.stat().st_size > 0
    run("corpus-check", "--db", db)
    assert "0001" in run("db", "current", "--db", db)
    run("db", "upgrade", "--db", db)
    run("reparse", "--db", db, "-j", "1", "-q")
    assert len(json.loads(run("reports", "--db", db, "--format", "json"))) == 12


def test_cli_on_files(tmp_path: Path) -> None:
    files = sorted(str(p) for p in SAMPLES.glob("sample-0[0-3]*") if not p.name.endswith(".json"))
    rows = json.loads(run("reports", *files, "--format", "json"))
    assert len(rows) == 4
    wide = list(csv.DictReader(io.StringIO(run("export", *files, "--format", "csv"))))
    assert len(wide) == 4
    assert "报告 #1" in run("show", files[0])


def test_cli_synth(tmp_path: Path) -> None:
    run("synth", "-n", "4", "--edition", "2019", "--layout", "html", "--errors", "1", "-o", str(tmp_path / "s"))
    assert len(list((tmp_path / "s").glob("*.html"))) == 4
    assert len(list((tmp_path / "s").glob("*.gold.json"))) == 4
    res = runner.invoke(app, ["synth", "-n", "1", "--edition", "1999", "-o", str(tmp_path / "t")])
    assert res.exit_code == 2
