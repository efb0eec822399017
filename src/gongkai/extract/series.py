"""Settle digit runs that one report leaves ambiguous with the same organ's other years.

Two relations tie consecutive reports of one organ together exactly (see store/cross.py):

* X3 (2019 edition): 上一年项目数量 this year = last year's 上一年项目数量 + 本年增/减;
* X2 (2021 edition): 现行有效件数 this year = last year's + 本年制发 − 本年废止.

A row whose digits ran together (`其他对外管理服务事项100153`) keeps every reading it allows
(`Report.alternatives`). For each relation instance between a pair of years the readings of
the rows involved are combined; a cell is filled only when every combination that satisfies
the relation gives it the same value, and only when no fully known instance of the same
relation fails between those two reports (an organ that does not keep the relation proves
nothing). The cell then says how it was settled (`how="series"`) and a GK005 note names the
other report. Nothing is ever guessed: no survivor, or survivors that disagree, leave the null.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from itertools import product

from ..editions.common import DOC_ROWS, ITEM_ROWS
from ..model import Finding, Number, Report

Values = dict[str, Number | None]


class _Instance:
    """One relation between report `a` (last year) and `b` (this year)."""

    def __init__(self, code: str, cells_a: tuple[str, ...], cells_b: tuple[str, ...],
                 holds: Callable[[Values, Values], bool]) -> None:
        self.code, self.cells_a, self.cells_b, self.holds = code, cells_a, cells_b, holds


def _instances(ed_a: str | None, ed_b: str | None) -> list[_Instance]:
    out: list[_Instance] = []
    if ed_a == "2019" and ed_b == "2019":
        for r in ITEM_ROWS:
            p, c = f"s2.{r}.prev_items", f"s2.{r}.change"
            out.append(_Instance("X3", (p, c), (p,), lambda a, b, p=p, c=c: _eq(b[p], a[p] + a[c])))  # type: ignore[operator]
    if ed_a == "2021" and ed_b == "2021":
        for r in DOC_ROWS:
            f, i, d = f"s2.{r}.in_force", f"s2.{r}.issued", f"s2.{r}.repealed"
            out.append(_Instance("X2", (f,), (f, i, d),
                                 lambda a, b, f=f, i=i, d=d: _eq(b[f], a[f] + b[i] - b[d])))  # type: ignore[operator]
    return out


def _eq(x: float, y: float) -> bool:
    return abs(x - y) < 1e-6


def _options(rep: Report, cells: tuple[str, ...]) -> list[Values] | None:
    """The value assignments `rep` allows for `cells`: its readings where a row is ambiguous,
    its one value elsewhere. None when a cell is missing or null without alternatives."""
    fixed: Values = {}
    groups: list[list[Values]] = []
    seen_rows: set[tuple[str, ...]] = set()
    for cid in cells:
        alt = next(((ids, vals) for ids, vals in rep.alternatives if cid in ids), None)
        if alt is not None and rep.value(cid) is None:
            ids, vals = alt
            if ids not in seen_rows:
                seen_rows.add(ids)
                groups.append([dict(zip(ids, v, strict=True)) for v in _consistent(rep, ids, vals)])
            continue
        v = rep.value(cid)
        if v is None:
            return None
        fixed[cid] = v
    out: list[Values] = []
    for combo in product(*groups):
        d = dict(fixed)
        for part in combo:
            d.update(part)
        if all(d.get(c) is not None for c in cells):
            out.append(d)
    return out


def _consistent(rep: Report, ids: tuple[str, ...], vals: list[tuple[Number | None, ...]]
                ) -> list[tuple[Number | None, ...]]:
    """The readings of a row that agree with the cells of it already settled."""
    now = [rep.value(c) for c in ids]
    return [v for v in vals if all(n is None or _eq(float(n), float(x or 0)) for n, x in zip(now, v, strict=True))]


def _known(rep: Report, cells: Sequence[str]) -> Values | None:
    vals = {c: rep.value(c) for c in cells}
    return None if any(v is None for v in vals.values()) else vals


def settle_pair(a: Report, b: Report) -> int:
    """Fill ambiguous cells of `a` (one year) and `b` (the next) from the relations between them;
    returns how many cells were filled."""
    insts = _instances(a.edition, b.edition)
    if not insts or not (a.alternatives or b.alternatives):
        return 0
    known = [(_known(a, ins.cells_a), _known(b, ins.cells_b)) for ins in insts]
    # an organ that breaks a relation where every cell is known gives no evidence through it
    broken = {ins.code for ins, (ka, kb) in zip(insts, known, strict=True)
              if ka is not None and kb is not None and not ins.holds(ka, kb)}
    filled = 0
    for ins, (ka, kb) in zip(insts, known, strict=True):
        if ins.code in broken or (ka is not None and kb is not None):
            continue
        opts_a, opts_b = _options(a, ins.cells_a), _options(b, ins.cells_b)
        if not opts_a or not opts_b or len(opts_a) * len(opts_b) > 100_000:
            continue
        survivors = [(x, y) for x in opts_a for y in opts_b if ins.holds(x, y)]
        if not survivors:
            continue
        for rep, other, side in ((a, b, 0), (b, a, 1)):
            rows_here = [s[side] for s in survivors]
            for ids, vals in rep.alternatives:
                if not any(cid in rows_here[0] for cid in ids):
                    continue
                # the row's readings that agree with some surviving combination
                keep = [v for v in _consistent(rep, ids, vals)
                        if any(all(r.get(cid, x) == x for cid, x in zip(ids, v, strict=True)) for r in rows_here)]
                for j, cid in enumerate(ids):
                    if rep.value(cid) is not None or not keep:
                        continue
                    values = {v[j] for v in keep}
                    if len(values) == 1:
                        filled += _fill(rep, cid, values.pop(), ins.code, other)
    return filled


def _fill(rep: Report, cid: str, value: Number | None, code: str, other: Report) -> int:
    if value is None:
        return 0
    cell = rep.cells[cid]
    cell.value, cell.how = value, "series"
    rep.findings = [f for f in rep.findings if not (f.rule == "GK001" and f.cells == [cid])]
    year = other.meta.get("year")
    rel = {"X3": "上一年项目数量 = 上年报告的上一年项目数量 + 本年增/减",
           "X2": "现行有效件数 = 上年现行有效件数 + 本年制发 − 本年废止"}[code]
    rep.add(Finding("GK005", "info",
                    f"{cid}: 数字连写“{cell.raw}”本报告内无法唯一拆分,按与{year}年报告的跨年关系({rel})"
                    f"唯一确定为 {value}", [cid], cell.source.to_dict() if cell.source else None))
    return 1


def settle_series(reports: Sequence[Report]) -> int:
    """Group reports by organ and settle each pair of consecutive years; returns cells filled."""
    from ..store.organ import organ_key

    by_organ: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for r in reports:
        k = organ_key(r.meta.get("agency"), r.meta.get("region"))
        y = r.meta.get("year")
        if k is not None and not k.candidates and isinstance(y, int):
            by_organ[k.key][y].append(r)
    filled = 0
    for years in by_organ.values():
        for _round in range(2):  # a cell settled with one neighbour can settle the other
            for y in sorted(years):
                if len(years[y]) != 1 or len(years.get(y + 1, [])) != 1:
                    continue  # several versions of one year: no telling which to pair
                filled += settle_pair(years[y][0], years[y + 1][0])
    return filled
