"""Choose one reading per row so that the table's relations hold: a small constraint search.

Rows read one to one have a single reading; rows whose digits ran together have several.
The search keeps fixed rows, tries the readings of the others, and scores each assignment by
how many of the edition's exact relations hold (A1, A3 …, heavily weighted) plus the
plausibility of the values. A cell on which equally good assignments disagree is reported as
ambiguous: the caller writes null and a finding, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from itertools import product

from ..editions.base import Relation, Table
from .tables import RowRead
from .values import Reading

RELATION_WEIGHT = 50.0
AMBIGUITY_MARGIN = 0.8
MAX_OPTIONS = 40


@dataclass
class Solution:
    chosen: dict[int, Reading]  # row index -> reading
    ambiguous: dict[int, set[int]]  # row index -> column indexes nobody can decide


STRICT_MARGIN = 3.0  # tables with exact relations: plausibility alone may not pick between valid readings


def solve(table: Table, rows: list[RowRead], relations: tuple[Relation, ...],
          bonus: Callable[[int, int, float], float] | None = None) -> Solution:
    ids = [[table.cell_id(rr.row, c) for c in table.cols] for rr in rows]
    pos = {cid: (i, j) for i, row_ids in enumerate(ids) for j, cid in enumerate(row_ids)}
    # a relation is evidence only where every cell it sums was read: an unreadable row is not 0
    read = {cid for i, row_ids in enumerate(ids) if rows[i].options for cid in row_ids}
    rels = [r for r in relations if r.op == "=" and r.severity == "error" and all(c in read for c in r.cells)]
    soft = [r for r in relations if r.op != "=" and all(c in read for c in r.cells)]

    opts: dict[int, list[tuple[Reading, float]]] = {}
    for i, rr in enumerate(rows):
        scored = []
        for rd in rr.options[:MAX_OPTIONS * 4]:
            s = rd.score
            if bonus is not None and rd.split:
                s += sum(bonus(i, j, v.value) for j, v in enumerate(rd.values) if v.value is not None)
            # equal neighbours are common (本年新制作 = 本年新公开): a mild preference
            vals = [v.value for v in rd.values]
            s += 0.7 * sum(1 for a, b in zip(vals, vals[1:], strict=False) if a == b and a not in (0, None))
            scored.append((rd, s))
        scored.sort(key=lambda t: -t[1])
        opts[i] = scored[:MAX_OPTIONS]
    chosen = {i: o[0][0] for i, o in opts.items() if o}
    free = [i for i, o in opts.items() if len(o) > 1]
    # readings cut off by the option cap (or by the enumeration limit) could be the right ones:
    # a cell is only trusted there when every reading of the row agrees on it
    unsure: dict[int, set[int]] = {}
    for i, rr in enumerate(rows):
        if len(rr.options) > MAX_OPTIONS or rr.status == "toomany":
            k = len(table.cols)
            unsure[i] = _disputed(rr.options, k)
            if rr.status == "toomany":
                unsure[i] = set(range(k))
    if not free:
        return Solution(chosen, unsure)

    rel_by_row: dict[int, list[Relation]] = {}
    exact_ids = {id(r) for r in rels}
    for r in rels + soft:
        for c in r.cells:
            rel_by_row.setdefault(pos[c][0], []).append(r)

    def value(cid: str) -> float:
        i, j = pos[cid]
        rd = chosen.get(i)
        if rd is None:
            return 0.0
        return rd.values[j].value or 0

    def rel_score(rs: list[Relation]) -> float:
        total = 0.0
        for r in set(rs):
            lv = sum(value(c) for c in r.lhs)
            rv = sum(value(c) for c in r.rhs)
            ok = abs(lv - rv) < 1e-6 if r.op == "=" else (lv <= rv + 1e-6 if r.op == "<=" else lv + 1e-6 >= rv)
            total += (RELATION_WEIGHT if id(r) in exact_ids else 3.0) * ok
        return total

    def local(i: int) -> list[float]:
        scores = []
        keep = chosen[i]
        for rd, s in opts[i]:
            chosen[i] = rd
            scores.append(s + rel_score(rel_by_row.get(i, [])))
        chosen[i] = keep
        return scores

    # exhaustive when small, coordinate ascent otherwise
    sizes = 1
    for i in free:
        sizes *= len(opts[i])
    all_rels = rels + soft
    margin = STRICT_MARGIN if rels else AMBIGUITY_MARGIN
    ambiguous: dict[int, set[int]] = {}
    if sizes <= 3000:
        best, best_s = None, float("-inf")
        seen: list[tuple[float, tuple[int, ...]]] = []
        for combo in product(*(range(len(opts[i])) for i in free)):
            for i, k in zip(free, combo, strict=True):
                chosen[i] = opts[i][k][0]
            s = sum(opts[i][k][1] for i, k in zip(free, combo, strict=True)) + rel_score(all_rels)
            seen.append((s, combo))
            if s > best_s + 1e-9:
                best, best_s = combo, s
        assert best is not None
        for i, k in zip(free, best, strict=True):
            chosen[i] = opts[i][k][0]
        # a whole other assignment that scores as well (rows shifting together) leaves its cells open
        for s, combo in seen:
            if s < best_s - margin or combo == best:
                continue
            for i, k, kb in zip(free, combo, best, strict=True):
                if k != kb:
                    for j, (a, b) in enumerate(zip(opts[i][kb][0].values, opts[i][k][0].values, strict=True)):
                        if a.value != b.value:
                            ambiguous.setdefault(i, set()).add(j)
    else:
        for _ in range(4):
            changed = False
            for i in free:
                sc = local(i)
                k = max(range(len(sc)), key=lambda x: sc[x])
                if opts[i][k][0] is not chosen[i]:
                    chosen[i] = opts[i][k][0]
                    changed = True
            if not changed:
                break
        # Local search proves nothing about the rest of the table, so rows stay open where:
        # - several open rows could move together (an 89 shifting column in one row and in both
        #   totals): a row is trusted only when relations whose other rows are already trusted
        #   refute each of its other readings;
        # - an exact relation the assignment breaks may be a reading the search missed;
        # - blank cells were put back (by position or in a cut run).
        k = len(table.cols)
        suspect = set(free) - _trusted(free, opts, chosen, rels, rel_by_row, pos, rel_score)
        suspect |= {pos[c][0] for r in rels if rel_score([r]) == 0.0 for c in r.cells
                    if len(opts.get(pos[c][0], ())) > 1}
        suspect |= {i for i in free if rows[i].status in ("placed", "gaps")}
        for i in suspect:
            ambiguous.setdefault(i, set()).update(_disputed([rd for rd, _s in opts[i]], k))

    for i in free:
        sc = local(i)
        best_k = max(range(len(sc)), key=lambda x: sc[x])
        best_rd = opts[i][best_k][0]
        chosen[i] = best_rd
        for k, s in enumerate(sc):
            if k != best_k and s >= sc[best_k] - margin:
                rd = opts[i][k][0]
                for j, (a, b) in enumerate(zip(best_rd.values, rd.values, strict=True)):
                    if a.value != b.value:
                        ambiguous.setdefault(i, set()).add(j)
    _pair_ambiguity(free, opts, chosen, rel_score, all_rels, margin, ambiguous)
    for i, js in unsure.items():
        ambiguous.setdefault(i, set()).update(js)
    return Solution(chosen, ambiguous)


def _disputed(readings: list[Reading], k: int) -> set[int]:
    """Columns on which a row's readings disagree."""
    return {j for j in range(k) if len({rd.values[j].value for rd in readings}) > 1}


def _trusted(free, opts, chosen, rels, rel_by_row, pos, rel_score) -> set[int]:
    """Open rows trusted step by step: each rival reading breaks an exact relation that holds
    now and all of whose other rows are trusted already."""
    exact = set(rels)
    trusted = {i for i in chosen if i not in free}
    changed = True
    while changed:
        changed = False
        for i in free:
            if i in trusted:
                continue
            usable = [r for r in set(rel_by_row.get(i, [])) if r in exact and rel_score([r]) > 0
                      and all(pos[c][0] in trusted or pos[c][0] == i for c in r.cells)]
            keep = chosen[i]
            refuted = True
            for rd, _s in opts[i]:
                if all(a.value == b.value for a, b in zip(rd.values, keep.values, strict=True)):
                    continue
                chosen[i] = rd
                broken = any(rel_score([r]) == 0.0 for r in usable)
                chosen[i] = keep
                if not broken:
                    refuted = False
                    break
            if refuted:
                trusted.add(i)
                changed = True
    return trusted


def _pair_ambiguity(free, opts, chosen, rel_score, all_rels, margin, ambiguous) -> None:
    """Two rows can trade digits and keep every column sum (1|18 and 11|8 → 11|8 and 1|18):
    look for such pairs of readings that score as well as the chosen ones."""
    if len(free) < 2:
        return
    base = rel_score(all_rels)
    score_of = {i: {id(rd): s for rd, s in opts[i]} for i in free}
    cur = {i: score_of[i].get(id(chosen[i]), 0.0) for i in free}
    for x, i in enumerate(free):
        a = chosen[i]
        va = [v.value or 0 for v in a.values]
        for j in free[x + 1:]:
            b = chosen[j]
            vb = [v.value or 0 for v in b.values]
            total = tuple(p + q for p, q in zip(va, vb, strict=True))
            index: dict[tuple, list] = {}
            for rd, s in opts[j]:
                index.setdefault(tuple(v.value or 0 for v in rd.values), []).append((rd, s))
            for rd_i, s_i in opts[i]:
                if rd_i is a:
                    continue
                need = tuple(t - (v.value or 0) for t, v in zip(total, rd_i.values, strict=True))
                for rd_j, s_j in index.get(need, []):
                    if rd_j is b:
                        continue
                    chosen[i], chosen[j] = rd_i, rd_j
                    ok = rel_score(all_rels) >= base - 1e-9
                    chosen[i], chosen[j] = a, b
                    if ok and s_i + s_j >= cur[i] + cur[j] - margin:
                        for k, (p, q) in enumerate(zip(a.values, rd_i.values, strict=True)):
                            if p.value != q.value:
                                ambiguous.setdefault(i, set()).add(k)
                        for k, (p, q) in enumerate(zip(b.values, rd_j.values, strict=True)):
                            if p.value != q.value:
                                ambiguous.setdefault(j, set()).add(k)
