"""Store tests: run against SQLite always and PostgreSQL when GONGKAI_TEST_PG is set."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from gongkai.model import Cell, Report
from gongkai.store import Store, organ_key, report_payload, run_cross_checks
from gongkai.synth import random_meta, random_report

PG = os.environ.get("GONGKAI_TEST_PG")


def _pg_store() -> Iterator[Store]:
    """A fresh schema-less database per test: create a uniquely named database on the server."""
    assert PG
    base = PG.rsplit("/", 1)[0]
    name = f"gk_{uuid.uuid4().hex[:10]}"
    admin = create_engine("postgresql+psycopg://" + PG.split("://", 1)[1], isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    store = Store(f"{base}/{name}")
    try:
        yield store
    finally:
        store.close()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store(tmp_path / "t.db")
        yield s
        s.close()
    else:
        if not PG:
            pytest.skip("GONGKAI_TEST_PG not set")
        yield from _pg_store()


def synth_report(edition: str, rng: random.Random, **meta_kw: Any) -> Report:
    data = random_report(edition, rng)
    meta = random_meta(edition, rng, **meta_kw)
    r = Report(edition, meta)
    for cid, v in data["cells"].items():
        r.cells[cid] = Cell(cid, v, data["units"].get(cid), "" if v is None else str(v))
    return r


def add(store: Store, report: Report, name: str | None = None) -> int:
    name = name or uuid.uuid4().hex
    data = f"{name}{report.meta}".encode()
    from gongkai.store.rows import sha256

    rid = store.add(report_payload(report, "test"), sha=sha256(data), file_name=name, data=data,
                    parser_version="test")
    assert rid is not None
    return rid


def test_schema_is_at_head(store: Store) -> None:
    assert store.current_revision() == store.head_revision() is not None
    assert store.upgrade() is False  # idempotent


def test_roundtrip_values_exact(store: Store) -> None:
    rng = random.Random(1)
    reps = {add(store, synth_report(ed, rng)): None for ed in ("2021", "2019", "legacy") for _ in range(3)}
    for rid in reps:
        got = store.get_report(rid)
        assert got is not None
        vals = {c["cell_id"]: c["value"] for c in got["cells"]}
        assert len(vals) == got["n_cells"]
    # ints stay ints, floats stay floats
    r = Report("2021", {"agency": "衡阳市财政局", "year": 2022})
    r.cells["s2.fees.amount"] = Cell("s2.fees.amount", 2401.0, "万元", "2401.0")
    r.cells["s3.new.total"] = Cell("s3.new.total", 64, None, "64")
    r.cells["s3.new.natural"] = Cell("s3.new.natural", None, None, "")
    rid = add(store, r)
    vals = store.values([rid])[rid]
    assert vals == {"s2.fees.amount": 2401.0, "s3.new.total": 64, "s3.new.natural": None}
    assert isinstance(vals["s3.new.total"], int) and isinstance(vals["s2.fees.amount"], float)


def test_duplicate_content_is_skipped(store: Store) -> None:
    rng = random.Random(2)
    rep = synth_report("2021", rng)
    p = report_payload(rep, "t")
    assert store.add(p, sha="a" * 64, file_name="x", data=b"x") is not None
    assert store.add(p, sha="a" * 64, file_name="y", data=b"x") is None
    assert store.counts()["reports"] == 1


def test_replace_report_is_atomic(store: Store) -> None:
    rng = random.Random(3)
    rid = add(store, synth_report("2019", rng))
    sid = store.report_rows(ids=[rid])[0]["source_id"]
    new = store.replace_report(sid, report_payload(synth_report("2021", rng), "v2"), "v2")
    c = store.counts()
    assert c["reports"] == 1 and c["cells"] == 200
    assert store.report_rows(ids=[new])[0]["parser_version"] == "v2"


def test_failures_recorded(store: Store) -> None:
    store.add_failure("bad.pdf", "b" * 64, "无法读取")
    store.add_failure("bad.pdf", "b" * 64, "无法读取")
    assert len(store.failure_rows()) == 1
    assert "b" * 64 in store.known_hashes()


def _chain(store: Store, rng: random.Random, agency: str, years: list[tuple[int, str]]) -> list[int]:
    """Consecutive-year reports of one organ whose cross-year relations hold."""
    ids = []
    prev: Report | None = None
    for year, ed in years:
        r = synth_report(ed, rng, year=year)
        r.meta["agency"] = agency
        r.meta["region"] = "湖南省/衡阳市"
        if prev is not None and prev.edition in ("2019", "2021") and ed in ("2019", "2021"):
            for c in ("natural", "commercial", "research", "ngo", "legal", "other_org", "total"):
                r.cells[f"s3.carried_in.{c}"].value = prev.value(f"s3.carried_over.{c}")
            if ed == "2021" and prev.edition == "2021":
                for row in ("rules", "normative"):
                    r.cells[f"s2.{row}.in_force"].value = (prev.value(f"s2.{row}.in_force") or 0) + (
                        r.value(f"s2.{row}.issued") or 0) - (r.value(f"s2.{row}.repealed") or 0)
            if ed == "2019" and prev.edition == "2019":
                for row in ("license", "other_services", "punishment", "coercion", "fees"):
                    r.cells[f"s2.{row}.prev_items"].value = (prev.value(f"s2.{row}.prev_items") or 0) + (
                        prev.value(f"s2.{row}.change") or 0)
        ids.append(add(store, r))
        prev = r
    return ids


def test_cross_checks_clean_chain(store: Store) -> None:
    rng = random.Random(4)
    _chain(store, rng, "衡阳市人力资源和社会保障局", [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2022, "2021")])
    assert run_cross_checks(store) == 0


def test_cross_checks_find_breaks(store: Store) -> None:
    rng = random.Random(5)
    ids = _chain(store, rng, "衡阳市人社局", [(2020, "2019"), (2021, "2021"), (2022, "2021")])
    # an identical copy of the 2022 report for 2023 (E17), and a differing second 2023 version (E18)
    same = synth_report("2021", random.Random(9), year=2023)
    for cid, v in store.values([ids[2]])[ids[2]].items():
        same.cells[cid] = Cell(cid, v)
    same.meta.update(agency="衡阳市人力资源和社会保障局", region="湖南省/衡阳市")
    add(store, same)
    other = synth_report("2021", rng, year=2023)
    other.meta.update(agency="衡阳市人力资源和社会保障局", region="湖南省/衡阳市")
    add(store, other)
    # break X1 across the 2020→2021 edition change, X2 in 2022: rewrite stored values
    from sqlalchemy import update

    from gongkai.store.schema import cells

    with store.engine.begin() as conn:
        conn.execute(update(cells).where((cells.c.report_id == ids[1]) & (cells.c.cell_id == "s3.carried_in.total"))
                     .values(value=999, is_int=True))
        conn.execute(update(cells).where((cells.c.report_id == ids[2])
                                         & (cells.c.cell_id == "s2.normative.in_force")).values(value=12345))
    run_cross_checks(store)
    rules = sorted({f["rule"] for f in store.finding_rows(scope="corpus")})
    assert "GK501" in rules and "GK502" in rules and "GK517" in rules and "GK518" in rules
    x1 = [f for f in store.finding_rows(scope="corpus") if f["rule"] == "GK501"]
    assert x1[0]["report_id"] == ids[1] and "999" in x1[0]["message"]
    # has_errors reflects findings; re-running replaces rather than duplicates
    n = len(store.finding_rows(scope="corpus"))
    run_cross_checks(store)
    assert len(store.finding_rows(scope="corpus")) == n


def test_cross_check_2019_items(store: Store) -> None:
    rng = random.Random(6)
    ids = _chain(store, rng, "长沙市财政局", [(2019, "2019"), (2020, "2019")])
    assert run_cross_checks(store) == 0
    from sqlalchemy import update

    from gongkai.store.schema import cells

    with store.engine.begin() as conn:
        conn.execute(update(cells).where((cells.c.report_id == ids[1]) & (cells.c.cell_id == "s2.license.prev_items"))
                     .values(value=77777))
    run_cross_checks(store)
    assert [f["rule"] for f in store.finding_rows(scope="corpus")] == ["GK503"]


def test_ambiguous_organ_reported_not_guessed(store: Store) -> None:
    rng = random.Random(7)
    for name in ("长沙市文化和旅游局", "长沙市文化广电和旅游局"):
        r = synth_report("2021", rng, year=2021)
        r.meta.update(agency=name, region="湖南省/长沙市")
        add(store, r)
    r = synth_report("2021", rng, year=2022)
    r.meta.update(agency="长沙市文旅局", region="湖南省/长沙市")
    add(store, r)
    run_cross_checks(store)
    rules = [f["rule"] for f in store.finding_rows(scope="corpus")]
    assert rules == ["GK519"]


@pytest.mark.parametrize(("a", "b"), [
    ("衡阳市人社局", "衡阳市人力资源和社会保障局"),
    ("衡阳市人民政府国有资产监督管理委员会", "衡阳市国资委"),
    ("平潭综合实验区管理委员会", "平潭综合实验区管委会"),
    ("东乡族自治县人力资源和社会保障局", "东乡县人社局"),
    ("衡阳市国土资源局", "衡阳市自然资源局"),
    ("衡山县人民政府", "衡山县政府"),
])
def test_organ_aliases_match(a: str, b: str) -> None:
    ka, kb = organ_key(a), organ_key(b)
    assert ka and kb and ka.key == kb.key


def test_organ_region_prefix_and_ambiguity() -> None:
    k = organ_key("市人社局", "湖南省/衡阳市")
    assert k and k.key == "衡阳市人力资源和社会保障局"
    amb = organ_key("长沙市文旅局")
    assert amb and amb.ambiguous and "长沙市文化和旅游局" in amb.candidates
    assert organ_key(None) is None and organ_key("  ") is None
    assert organ_key("衡阳市人力资源和社会保障局") != organ_key("衡阳市财政局")


def test_ingest_settles_run_together_rows_across_years(store: Store, corpus: Path) -> None:
    """Stored crawled pages of one organ: the cells one report leaves open are settled with the
    neighbouring year on ingest (GK005), every one equal to the gold, and the checks re-run."""
    import json

    from gongkai.store import ingest
    from gongkai.store.schema import cells as cells_t
    from gongkai.store.schema import findings as findings_t
    from gongkai.store.schema import reports as reports_t
    from gongkai.store.schema import sources as sources_t

    res = ingest(store, [str(corpus / "real")], jobs=1, quiet=True)
    assert res.added == 10 and res.settled > 0
    with store.engine.connect() as conn:
        settled = conn.execute(
            select(sources_t.c.file_name, cells_t.c.cell_id, cells_t.c.value, cells_t.c.provenance)
            .join(reports_t, reports_t.c.id == cells_t.c.report_id)
            .join(sources_t, sources_t.c.id == reports_t.c.source_id)).all()
        notes = conn.execute(select(func.count()).where(findings_t.c.rule == "GK005")).scalar_one()
    got = [(f, c, v) for f, c, v, p in settled if (p or {}).get("how") == "series"]
    assert len(got) == res.settled == notes
    for fname, cid, value in got:
        gold = json.loads((corpus / "real" / (Path(fname).stem + ".gold.json")).read_text(encoding="utf-8"))
        assert value == gold["cells"][cid]
    assert store.counts()["sources"] == store.counts()["reports"] == 10
