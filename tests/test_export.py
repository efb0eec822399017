"""Export: wide CSV round trip (one row per report, every cell equal to the stored value), long,
xlsx, parquet, json; derived metrics keep blanks blank."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from gongkai.export import export, stats
from gongkai.export.metrics import metrics
from gongkai.store import Store, ingest
from gongkai.synth import write_corpus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    tmp = tmp_path_factory.mktemp("exp")
    write_corpus(tmp / "synth", 18, seed=11, errors=0.3)
    paths = [str(tmp / "synth")]
    if CORPUS.exists():
        paths += [str(CORPUS / "seeds"), str(CORPUS / "real")]
    s = Store(tmp / "e.db")
    ingest(s, paths, jobs=2, quiet=True)
    return s


def _num(text: str) -> int | float | None:
    if text == "":
        return None
    return int(text) if text.lstrip("-").isdigit() else float(text)


def test_wide_csv_roundtrip(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "wide.csv"
    n = export(store, "csv", out, wide=True)
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    reps = store.report_rows()
    assert n == len(rows) == len(reps)
    assert len({r["report_id"] for r in rows}) == len(rows)
    by_id = {int(r["report_id"]): r for r in rows}
    checked = 0
    for c in store.cell_rows():
        got = _num(by_id[c["report_id"]][c["cell_id"]])
        assert got == c["value"] and type(got) is type(c["value"]), (c, got)
        checked += 1
    assert checked == store.counts()["cells"]
    # cells a report's edition does not have are empty, not 0
    legacy = next(r for r in rows if r["edition"] == "legacy")
    assert legacy["s3.new.total"] == ""


def test_long_csv_and_json(store: Store) -> None:
    buf = io.StringIO()
    n = export(store, "csv", buf, wide=False)
    assert n == store.counts()["cells"]
    buf = io.StringIO()
    export(store, "json", buf, wide=True, edition="2021")
    data = json.loads(buf.getvalue())
    assert data and all(d["edition"] == "2021" for d in data)
    assert all(isinstance(d["s3.new.total"], int | None) for d in data)


def test_xlsx_and_parquet(store: Store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq
    from openpyxl import load_workbook

    n = export(store, "xlsx", tmp_path / "w.xlsx")
    ws = load_workbook(tmp_path / "w.xlsx", read_only=True)["reports"]
    assert sum(1 for _ in ws.iter_rows()) == n + 1
    export(store, "parquet", tmp_path / "w.parquet")
    t = pq.read_table(tmp_path / "w.parquet")
    assert t.num_rows == n
    export(store, "parquet", tmp_path / "l.parquet", wide=False)
    assert pq.read_table(tmp_path / "l.parquet").num_rows == store.counts()["cells"]


def test_metrics_blank_stays_blank() -> None:
    v = {"s3.processed_total.total": 10, "s3.granted.total": 4, "s4.review.upheld": 1, "s4.review.corrected": 1,
         "s4.review.other": 0, "s4.review.pending": 5}
    m = metrics(v)
    assert m["share_granted"] == 0.4
    assert m["share_denied"] is None  # its cells are absent: blank, not 0
    assert m["review_correction_rate"] == 0.5  # pending cases excluded
    assert metrics({"s3.processed_total.total": 0, "s3.granted.total": 0})["share_granted"] is None
    assert metrics({"s3.processed_total.total": None, "s3.granted.total": 3})["share_granted"] is None
    assert metrics({"legacy.apply.replied.total": 4, "legacy.apply.replied.granted": 1})["share_granted"] == 0.25


def test_stats(store: Store) -> None:
    rows = stats(store, level=1)
    assert sum(r["reports"] for r in rows) == store.counts()["reports"]
    assert all(0 <= (r["error_rate"] or 0) <= 1 for r in rows)
