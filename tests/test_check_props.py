"""Property tests: a random consistent report has no error; a single changed cell is named in an error."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.check import run_checks
from gongkai.editions import EDITIONS
from gongkai.model import Cell, Report

APPLICANTS = ("natural", "commercial", "research", "ngo", "legal", "other_org")


def _s3(ed: str, rnd: random.Random, v: dict[str, int | float | None]) -> None:
    s3 = EDITIONS[ed].table("s3")
    outcomes = [r.key for r in s3.rows if r.key not in ("new", "carried_in", "processed_total", "carried_over")]
    for c in APPLICANTS:
        big = rnd.random() < 0.3
        outs = {o: rnd.randint(0, 40 if big else 3) for o in outcomes}
        processed = sum(outs.values())
        carried_over = rnd.randint(0, 5)
        carried_in = rnd.randint(0, processed + carried_over)
        new = processed + carried_over - carried_in
        for o, x in outs.items():
            v[f"s3.{o}.{c}"] = x
        v[f"s3.processed_total.{c}"] = processed
        v[f"s3.carried_over.{c}"] = carried_over
        v[f"s3.carried_in.{c}"] = carried_in
        v[f"s3.new.{c}"] = new
    for r in s3.rows:
        v[f"s3.{r.key}.total"] = sum(v[f"s3.{r.key}.{c}"] or 0 for c in APPLICANTS)  # type: ignore[misc]


def _s4(rnd: random.Random, v: dict[str, int | float | None]) -> None:
    for g in ("review", "suit_direct", "suit_after_review"):
        parts = {r: rnd.randint(0, 20) for r in ("upheld", "corrected", "other", "pending")}
        for r, x in parts.items():
            v[f"s4.{g}.{r}"] = x
        v[f"s4.{g}.total"] = sum(parts.values())


def _s2(ed: str, rnd: random.Random, v: dict[str, int | float | None]) -> None:
    for t in EDITIONS[ed].tables:
        if t.prefix != "s2":
            continue
        for cid in t.cell_ids():
            v[cid] = rnd.randint(0, 50)
    for r in ("rules", "normative"):
        if ed == "2019":
            v[f"s2.{r}.total"] = v[f"s2.{r}.published"] + rnd.randint(0, 20)  # type: ignore[operator]
        else:
            v[f"s2.{r}.in_force"] = v[f"s2.{r}.issued"] + rnd.randint(0, 20)  # type: ignore[operator]
    if ed == "2019":
        v["s2.procurement.amount"] = round(rnd.uniform(0, 1000), 2)
    else:
        v["s2.fees.amount"] = round(rnd.uniform(0, 100), 2)


def _legacy(rnd: random.Random) -> dict[str, int | float | None]:
    v: dict[str, int | float | None] = {cid: rnd.randint(0, 30) for cid in EDITIONS["legacy"].cell_ids}
    L = "legacy."  # noqa: N806
    ch = [f"{L}active.channel.{k}" for k in ("gazette", "website", "weibo", "wechat", "other")]
    v[f"{L}active.total"] = rnd.randint(max(v[c] for c in ch), sum(v[c] for c in ch))  # type: ignore[type-var,misc]
    v[f"{L}active.normative_published"] = rnd.randint(0, v[f"{L}active.total"])  # type: ignore[arg-type]
    v[f"{L}apply.received.total"] = sum(v[f"{L}apply.received.{k}"] for k in ("in_person", "fax", "online", "letter"))  # type: ignore[misc]
    d = [f"{L}apply.replied.denied.{k}" for k in ("state_secret", "trade_secret", "privacy", "safety", "not_gov_info", "other_law")]
    v[f"{L}apply.replied.denied.total"] = sum(v[c] for c in d)  # type: ignore[misc]
    parts = [f"{L}apply.replied.{k}" for k in ("already_public", "granted", "partial", "denied.total", "not_this_organ",
                                               "not_exist", "correction", "other_channel")]
    v[f"{L}apply.replied.total"] = sum(v[c] for c in parts)  # type: ignore[misc]
    v[f"{L}apply.closed.on_time"] = rnd.randint(0, v[f"{L}apply.replied.total"])  # type: ignore[arg-type]
    v[f"{L}apply.closed.extended"] = v[f"{L}apply.replied.total"] - v[f"{L}apply.closed.on_time"]  # type: ignore[operator]
    v[f"{L}apply.closed.total"] = v[f"{L}apply.replied.total"]
    for g in ("review", "suit"):
        v[f"{L}{g}.total"] = sum(v[f"{L}{g}.{k}"] for k in ("upheld", "corrected", "other"))  # type: ignore[misc]
    v[f"{L}org.staff.total"] = v[f"{L}org.staff.full_time"] + v[f"{L}org.staff.part_time"]  # type: ignore[operator]
    for k in ("press_conf", "interviews"):
        v[f"{L}response.{k}_chief"] = rnd.randint(0, v[f"{L}response.{k}"])  # type: ignore[arg-type]
    v[f"{L}fees"] = round(rnd.uniform(0, 10), 2)
    v[f"{L}org.budget"] = round(rnd.uniform(0, 50), 2)
    return v


YEAR = {"2021": 2022, "2019": 2020, "legacy": 2016}


def consistent_report(ed: str, rnd: random.Random) -> Report:
    v: dict[str, int | float | None] = {}
    if ed == "legacy":
        v = _legacy(rnd)
    else:
        _s2(ed, rnd, v)
        _s3(ed, rnd, v)
        _s4(rnd, v)
    assert set(v) == set(EDITIONS[ed].cell_ids)
    y = YEAR[ed]
    units = {"s2.fees.amount": "万元", "s2.procurement.amount": "万元", "legacy.fees": "万元", "legacy.org.budget": "万元"}
    cells = {k: Cell(k, x, unit=units.get(k), raw=str(x)) for k, x in v.items()}
    meta = {"year": y, "dated": f"{y + 1}-01-15", "report_kind": "department", "agency": "测试局"}
    return Report(ed, meta=meta, cells=cells)


EQ_ERROR_CELLS = {
    ed: sorted({c for r in EDITIONS[ed].relations if r.op == "=" and r.severity == "error" for c in r.cells})
    for ed in EDITIONS
}
TARGET_CELLS = {ed: [c for c in EDITIONS[ed].cell_ids if c.startswith(("s3.", "s4.", "legacy."))] for ed in EDITIONS}

editions = st.sampled_from(sorted(EDITIONS))


@settings(max_examples=60, deadline=None)
@given(editions, st.randoms(use_true_random=False))
def test_consistent_report_has_no_error(ed: str, rnd: random.Random) -> None:
    rep = consistent_report(ed, rnd)
    errs = [f for f in run_checks(rep) if f.severity == "error"]
    assert errs == [], [f.message for f in errs]


@settings(max_examples=150, deadline=None)
@given(editions, st.randoms(use_true_random=False), st.data())
def test_changed_cell_is_named_in_an_error(ed: str, rnd: random.Random, data: st.DataObject) -> None:
    rep = consistent_report(ed, rnd)
    cid = data.draw(st.sampled_from(EQ_ERROR_CELLS[ed]))
    delta = data.draw(st.integers(-5, 5).filter(bool))
    rep.cells[cid].value = (rep.cells[cid].value or 0) + delta
    errs = [f for f in run_checks(rep) if f.severity == "error"]
    assert any(cid in f.cells for f in errs), (cid, delta, [f.message for f in errs])


@settings(max_examples=150, deadline=None)
@given(editions, st.randoms(use_true_random=False), st.data())
def test_negative_or_fractional_cell_is_named_in_an_error(ed: str, rnd: random.Random, data: st.DataObject) -> None:
    rep = consistent_report(ed, rnd)
    cid = data.draw(st.sampled_from(TARGET_CELLS[ed]))
    money = cid in ("legacy.fees", "legacy.org.budget")
    bad = data.draw(st.sampled_from([-1, -7] if money else [-1, -7, 1.5, 2.25]))
    rep.cells[cid].value = bad
    errs = [f for f in run_checks(rep) if f.severity == "error"]
    assert any(cid in f.cells for f in errs), (cid, bad, [f.message for f in errs])


def test_every_s3_s4_cell_is_in_an_equality_error_relation() -> None:
    for ed in ("2019", "2021"):
        targets = [c for c in TARGET_CELLS[ed] if c.startswith(("s3.", "s4."))]
        assert set(targets) <= set(EQ_ERROR_CELLS[ed])
