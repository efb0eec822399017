"""Cross-report checks (GK5xx): compare each report with the same organ's other reports.

| code  | rule | what |
|-------|------|------|
| GK501 | X1   | 上年结转 (this year) = 结转下年度继续办理 (last year), per applicant column; also 2020→2021 |
| GK502 | X2   | 现行有效件数 (this year) = last year's + 本年制发 − 本年废止 (2021 edition, 规章 and 行政规范性文件) |
| GK503 | X3   | 2019 edition: 上一年项目数量 (this year) = last year's 上一年项目数量 + 本年增/减 |
| GK517 | E17  | every statistic identical to the organ's previous-year report |
| GK518 | E18  | several differing versions of one organ-year |
| GK519 | —    | the organ name is ambiguous, so the previous year could not be matched (reported, not guessed) |

Organ identity comes from `organ.organ_key` (stored as reports.agency_key).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..editions.common import DOC_ROWS, ITEM_ROWS, S3_COLS
from .db import Store

Values = dict[str, int | float | None]

ROW_ZH = {"rules": "规章", "normative": "行政规范性文件", "license": "行政许可", "other_services": "其他对外管理服务事项",
          "punishment": "行政处罚", "coercion": "行政强制", "fees": "行政事业性收费"}
COL_ZH = {c.key: c.label for c in S3_COLS}

NEEDED = (
    [f"s3.carried_in.{c.key}" for c in S3_COLS] + [f"s3.carried_over.{c.key}" for c in S3_COLS]
    + [f"s2.{r}.{k}" for r in DOC_ROWS for k in ("issued", "repealed", "in_force")]
    + [f"s2.{r}.{k}" for r in ITEM_ROWS for k in ("prev_items", "change")]
)


@dataclass
class Rep:
    id: int
    key: str | None
    year: int | None
    edition: str | None
    values_hash: str | None
    n_nonzero: int
    candidates: tuple[str, ...]
    agency: str | None
    values: Values = field(default_factory=dict)


def _f(rule: str, severity: str, message: str, cells: list[str], other: int | None = None) -> dict[str, Any]:
    return {"rule": rule, "severity": severity, "message": message, "cells": cells,
            "where": {"report": other} if other is not None else None}


def _num(v: int | float | None) -> str:
    return "空" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def _eq(a: int | float | None, b: int | float | None) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) < 1e-6


def load(store: Store) -> list[Rep]:
    """Every report's identity columns (lean: no cell values yet)."""
    from sqlalchemy import select

    from .schema import reports as t

    q = select(t.c.id, t.c.agency_key, t.c.year, t.c.edition, t.c.values_hash, t.c.n_nonzero, t.c.agency, t.c.meta)
    out = []
    with store.engine.connect() as conn:
        for row in conn.execution_options(yield_per=5000).execute(q):
            cands = tuple((row[7] or {}).get("agency_candidates") or ())
            out.append(Rep(row[0], row[1], row[2], row[3], row[4], row[5] or 0, cands, row[6]))
    return out


def _fill_values(store: Store, reps: list[Rep]) -> None:
    missing = [r for r in reps if not r.values]
    if not missing:
        return
    vals = store.values([r.id for r in missing], NEEDED)
    for r in missing:
        r.values = vals.get(r.id, {}) or {"_": None}


def check(reps: list[Rep], store: Store | None = None, chunk: int = 2000) -> list[tuple[int, dict[str, Any]]]:
    """All GK5xx findings. Cell values are fetched per chunk of organs (bounded memory) when `store`
    is given; otherwise `Rep.values` must be filled."""
    found: list[tuple[int, dict[str, Any]]] = []
    organ_year: dict[tuple[str, int], list[Rep]] = defaultdict(list)
    for r in reps:
        if r.key and r.year is not None:
            organ_year[(r.key, r.year)].append(r)

    # E18: several differing versions of one organ-year
    for (_key, year), group in organ_year.items():
        hashes = {r.values_hash for r in group}
        if len(group) > 1 and len(hashes) > 1:
            for r in group:
                others = [o.id for o in group if o.id != r.id]
                found.append((r.id, _f("GK518", "warning",
                                       f"{r.agency or r.key} {year} 年有 {len(group)} 个数据不同的报告版本"
                                       f"(其他版本: {', '.join('#' + str(i) for i in others)}),请确认哪一份为准",
                                       [], others[0])))

    by_key: dict[str, list[Rep]] = defaultdict(list)
    for r in reps:
        if r.key and r.year is not None:
            by_key[r.key].append(r)
    keys = sorted(by_key)
    for i in range(0, len(keys), max(1, chunk // 4)):
        batch = [r for k in keys[i:i + max(1, chunk // 4)] for r in by_key[k]]
        extra = [p for r in batch for k in r.candidates for p in by_key.get(k, [])]
        if store is not None:
            _fill_values(store, batch + extra)
        found.extend(_compare_batch(batch, organ_year))
        if store is not None:
            for done in batch + extra:
                done.values = {}
    return found


def _compare_batch(batch: list[Rep], organ_year: dict[tuple[str, int], list[Rep]]) -> list[tuple[int, dict[str, Any]]]:
    found: list[tuple[int, dict[str, Any]]] = []
    for r in batch:
        if not r.key or r.year is None:
            continue
        prev_keys = [r.key]
        if r.candidates:
            hits = [k for k in r.candidates if (k, r.year - 1) in organ_year]
            if (r.key, r.year - 1) not in organ_year and len(hits) > 1:
                found.append((r.id, _f("GK519", "info",
                                       f"机关名称“{r.agency}”含义不唯一(可能是 {'、'.join(hits)}),"
                                       "未与上年报告比对", [])))
                continue
            prev_keys = [r.key] if (r.key, r.year - 1) in organ_year else hits
        prev_group = [p for k in prev_keys for p in organ_year.get((k, r.year - 1), [])]
        if not prev_group:
            continue
        if len({p.values_hash for p in prev_group}) > 1:
            continue  # the previous year itself has differing versions (GK518); no guess which to compare
        p = prev_group[0]
        found.extend((r.id, f) for f in compare(r, p))
    return found


def compare(r: Rep, p: Rep) -> list[dict[str, Any]]:
    """Findings for report `r` against the same organ's previous-year report `p`."""
    out: list[dict[str, Any]] = []
    y0 = p.year
    # X1: carried in = last year's carried over (2019 and 2021 editions share the section 三 IDs)
    if r.edition in ("2019", "2021") and p.edition in ("2019", "2021"):
        for c in S3_COLS:
            cin, cout = f"s3.carried_in.{c.key}", f"s3.carried_over.{c.key}"
            a, b = r.values.get(cin), p.values.get(cout)
            if a is None or b is None:
                continue
            if not _eq(a, b):
                out.append(_f("GK501", "warning",
                              f"上年结转政府信息公开申请数量({COL_ZH[c.key]})为 {_num(a)},"
                              f"而{y0}年报告(#{p.id})结转下年度继续办理为 {_num(b)}", [cin], p.id))
    # X2: documents in force carry over (2021 edition on both sides)
    if r.edition == "2021" and p.edition == "2021":
        for row in DOC_ROWS:
            cur, prev = r.values.get(f"s2.{row}.in_force"), p.values.get(f"s2.{row}.in_force")
            iss, rep_ = r.values.get(f"s2.{row}.issued"), r.values.get(f"s2.{row}.repealed")
            if None in (cur, prev, iss, rep_):
                continue
            expect = float(prev) + float(iss) - float(rep_)  # type: ignore[arg-type]
            if not _eq(cur, expect):
                out.append(_f("GK502", "warning",
                              f"{ROW_ZH[row]}现行有效件数为 {_num(cur)},按{y0}年报告(#{p.id})的 {_num(prev)} "
                              f"+ 本年制发 {_num(iss)} − 本年废止 {_num(rep_)} 应为 {_num(expect)}",
                              [f"s2.{row}.in_force", f"s2.{row}.issued", f"s2.{row}.repealed"], p.id))
    # X3: 2019 edition item counts
    if r.edition == "2019" and p.edition == "2019":
        for row in ITEM_ROWS:
            cur = r.values.get(f"s2.{row}.prev_items")
            prev, chg = p.values.get(f"s2.{row}.prev_items"), p.values.get(f"s2.{row}.change")
            if None in (cur, prev, chg):
                continue
            expect = float(prev) + float(chg)  # type: ignore[arg-type]
            if not _eq(cur, expect):
                out.append(_f("GK503", "warning",
                              f"{ROW_ZH[row]}上一年项目数量为 {_num(cur)},按{y0}年报告(#{p.id})的 {_num(prev)} "
                              f"+ 本年增/减 {_num(chg)} 应为 {_num(expect)}", [f"s2.{row}.prev_items"], p.id))
    # E17: identical to last year
    if r.values_hash and r.values_hash == p.values_hash and r.edition == p.edition and r.n_nonzero >= 3:
        out.append(_f("GK517", "warning",
                      f"全部统计数据与{y0}年报告(#{p.id})完全相同,疑似沿用上年报告", [], p.id))
    return out


def run_cross_checks(store: Store) -> int:
    """Recompute every GK5xx finding of the store; returns how many were found."""
    found = check(load(store), store)
    store.replace_corpus_findings(found)
    return len(found)
