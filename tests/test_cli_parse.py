"""`gongkai parse`: the JSON contract, formats, and clear errors that never stop a batch."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import CORPUS
from gongkai.cli import app

runner = CliRunner()
SEED = CORPUS / "seeds" / "001_0821f10813b957c3.txt"


def test_json_contract() -> None:
    r = runner.invoke(app, ["parse", "--format", "json", str(SEED)])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert set(d) == {"edition", "meta", "cells", "units", "findings"}
    assert {"agency", "region", "year", "published"} <= set(d["meta"])
    assert d["cells"]["s3.new.total"] == 31 and d["cells"]["s3.denied.inquiry.legal"] is None
    assert d["units"]["s2.procurement.amount"] == "万元"
    for f in d["findings"]:
        assert {"rule", "severity", "message", "cells"} <= set(f)


def test_bad_files_exit_2_and_others_still_parsed(tmp_path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    exe = tmp_path / "report.pdf"
    exe.write_bytes(b"MZ\x90\x00" + b"\x00" * 100)
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一段与年度报告无关的文字。", encoding="utf-8")
    r = runner.invoke(app, ["parse", str(empty), str(SEED), str(exe), str(prose), str(tmp_path / "missing.txt")])
    assert r.exit_code == 2
    out = json.loads(r.stdout)
    assert len(out) == 1 and out[0]["file"] == str(SEED)
    err = r.stderr
    assert "empty.txt: 文件为空" in err
    assert "report.pdf: 是可执行程序" in err
    assert "prose.txt: 未找到" in err
    assert "missing.txt: 文件不存在" in err


def test_csv_and_table_formats(tmp_path) -> None:
    r = runner.invoke(app, ["parse", "-f", "csv", str(SEED)])
    assert r.exit_code == 0 and "s3.new.total,31" in r.stdout
    r = runner.invoke(app, ["parse", "-f", "table", str(SEED)])
    assert r.exit_code == 0 and "本年新收" in r.stdout
    r = runner.invoke(app, ["parse", "-o", str(tmp_path / "out"), str(SEED)])
    assert r.exit_code == 0 and (tmp_path / "out" / f"{SEED.name}.json").exists()
