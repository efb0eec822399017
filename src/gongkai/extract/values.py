"""Reading the value cells that follow a row label, and splitting digits that ran together.

A crawler that saves a page's text joins table cells with nothing between them
(`640020470` = 64,0,0,2,0,4,70). Such a run can be cut in many ways; `candidates` lists the
readings that obey the number format (no leading zeros, one decimal point, sign first, unit
last) and the row's own relations, each with a plausibility score. Which reading is right is
decided with the table's relations in `solve.py`; a run that stays ambiguous becomes null.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

from ..editions.base import Col, Ratio, Table
from ..normalize.numbers import BLANK_MARKS, LOST_CHAR, UNITS, ParsedNumber, parse_number

CELL_SEP = re.compile(r"[|\t\n]")
_UNIT_ALT = "|".join(UNITS)
_UNIT_END = re.escape("".join(sorted({u[-1] for u in UNITS})))  # a unit closes its cell: 0项0172
# a blank-cell mark standing between spaces in a space-separated row ("3 1 — 1 5")
MARK_CHARS = r"[—―─/\\×*]"  # dashes, slashes, crosses: what a blank cell is printed as
BLANK_MARK = rf"(?:{MARK_CHARS}+|-{{1,2}}|无)"
# a blank-cell mark run together with the digits around it ("行政强制44-", "2—5"); a "-" before a
# digit is that number's sign
GLUED_MARK = rf"(?:{MARK_CHARS}+|-(?![\d]))"
_GLUED = re.compile(rf"\d{GLUED_MARK}|{GLUED_MARK}\d")
# the value part at the start of a cell that runs on into text ("0000000三、本年度办理结果")
VALUE_PREFIX = re.compile(
    rf"^\s*((?:{BLANK_MARK}\s+(?=\d|[+\-]|{BLANK_MARK})|{MARK_CHARS}+(?=\d))*(?:[+\-]|增|减)?[\d.,]+"
    rf"(?:\s*(?:{_UNIT_ALT}))?"
    rf"(?:\s*(?:[+\-]|增|减)[\d.,]+(?:{_UNIT_ALT})?|(?:\s+|(?<=[{_UNIT_END}]))[\d.,]+(?:{_UNIT_ALT})?"
    rf"|\s+{BLANK_MARK}(?=\s|$)|(?<=\d){GLUED_MARK}|(?<={MARK_CHARS}|-)[\d.,]+(?:{_UNIT_ALT})?)*)")
_MARK_PIECE = re.compile(rf"({GLUED_MARK})")
_SIGN_SPLIT = re.compile(r"(?<=\d)(?=(?:[+\-]|增|减)\d)|(?<=[项件条元])(?=[增减+\-]?\d)")
_TOKEN = re.compile(rf"^(?P<sign>[+\-]|增|减)?(?P<body>[\d.,]+)(?P<unit>{_UNIT_ALT})?$")


# a lost character before a number, at a cell's start or after a digit: it stood between cells
_LOST = re.compile(rf"(?:(?<=\d)|(?<=\s)|^){LOST_CHAR}(?=\s*\d)")


@dataclass(slots=True)
class Tok:
    text: str
    start: int
    end: int


def region_cells(text: str, start: int, end: int) -> tuple[list[Tok], bool]:
    """Cells of a value region, up to the first cell that is not a value.

    Returns (cells, stopped): `stopped` tells that text other than values ended the region.
    Blank cells are kept (a blank line in a one-cell-per-line layout is an empty cell).
    """
    sub = text[start:end]
    cells: list[Tok] = []
    last = 0
    left = ""  # the separator before the current cell
    closing = closing_bars(text)
    for m in CELL_SEP.finditer(sub):
        piece = sub[last:m.start()]
        # "| 2 | 9 |⏎": what follows the closing bar of a table row is not a cell
        if not (closing and left == "|" and m.group() == "\n" and not piece.strip()):
            cells.append(Tok(piece, start + last, start + m.start()))
        last = m.end()
        left = m.group()
    if not (closing and left == "|" and not sub[last:].strip()):
        cells.append(Tok(sub[last:], start + last, start + len(sub)))
    if len(cells) > 1 and not cells[0].text.strip():
        cells = cells[1:]  # the separator right after the label
    out: list[Tok] = []
    stopped = False
    for c in cells:
        if _LOST.search(c.text):
            # a character lost in re-encoding ("0? 00", a no-break space turned "?") parts cells
            c = Tok(_LOST.sub(" ", c.text), c.start, c.end)
        t = c.text.strip()
        if t in BLANK_MARKS or parse_number(t) is not None or _all_values(t):
            out.append(c)
            continue
        m = VALUE_PREFIX.match(c.text)
        if m and m.group(1).strip():
            v = m.group(1)
            end_v = m.end(1)
            rest = c.text[end_v:]
            numbered = (v.endswith((".", "、")) and rest[:1] and not rest[0].isdigit()) or \
                (rest[:1] in (".", "、") and rest[1:2] and not rest[1].isdigit())
            if numbered:
                # "…0002.其他法律…": the last digit numbers the next label
                v = v.rstrip(".,、")[:-1]
                end_v = c.text.index(v) + len(v) if v else end_v
            elif v.endswith((".", ",")):
                v = v[:-1]
                end_v -= 1
            if v.strip():
                out.append(Tok(v, c.start, c.start + end_v))
        stopped = True
        break
    return out, stopped


@lru_cache(maxsize=8)
def closing_bars(text: str) -> bool:
    """Whether the text's table rows end with a closing bar (`a | 1 | 2 |`): then a final bar
    closes the row. In grids written without one (`a|1|2`), a final bar opens an empty cell."""
    ends = [ln.rstrip().endswith("|") for ln in text.split("\n") if ln.count("|") >= 2]
    return bool(ends) and sum(ends) >= 0.6 * len(ends)


def _all_values(t: str) -> bool:
    """Several space-separated values, blank marks (`—`, `/`) among them allowed."""
    parts = t.split()
    return len(parts) > 1 and all(parse_number(p) is not None for p in parts) and \
        any(p not in BLANK_MARKS for p in parts)


def tokens_of(cells: list[Tok], marks: bool = False) -> list[Tok]:
    """Value tokens: cells split at spaces and at signs that start a new number. Blank marks
    inside a space-separated cell (`3 1 — 1 5`) are kept as tokens when `marks` is set."""
    out: list[Tok] = []
    for c in cells:
        pieces = list(re.finditer(r"\S+", c.text))
        for m in pieces:
            piece, base = m.group(), c.start + m.start()
            if piece in BLANK_MARKS:
                if marks and len(pieces) > 1:
                    out.append(Tok(piece, base, base + len(piece)))
                continue
            # marks run together with digits ("44-", "2—5") are cells of their own
            off = 0
            for part in (_MARK_PIECE.split(piece) if _GLUED.search(piece) else [piece]):
                pb = base + off
                off += len(part)
                if not part:
                    continue
                if _MARK_PIECE.fullmatch(part):
                    if marks:
                        out.append(Tok(part, pb, pb + len(part)))
                    continue
                last = 0
                for s in _SIGN_SPLIT.finditer(part):
                    out.append(Tok(part[last:s.start()], pb + last, pb + s.start()))
                    last = s.start()
                out.append(Tok(part[last:], pb + last, pb + len(part)))
    return [t for t in out if t.text]


def _body_splits(body: str, n: int) -> Iterator[list[str]]:
    """All ways to cut a digit string into n numbers without leading zeros."""
    if n == 1:
        if _ok_part(body):
            yield [body]
        return
    for i in range(1, len(body) - n + 2):
        head = body[:i]
        if not _ok_part(head):
            # "0" is the only number that may start with 0 (or "0.x"); longer heads fail too
            if head[0] == "0" and "." not in head and i > 1:
                break
            continue
        for rest in _body_splits(body[i:], n - 1):
            yield [head, *rest]


def space_separated(cells: list[Tok], k: int) -> bool:
    """Whether a row prints its k cells as k space-separated numbers (`3 132 1 1 0 1 138`)."""
    pieces = [p for c in cells for p in c.text.split()]
    return len(cells) == 1 and len(pieces) == k and _spaced(cells, k)


def _spaced(cells: list[Tok], k: int, table_spaced: bool = False) -> bool:
    """Space-separated numbers, only a cell or two short of the row (or any number of them in
    a table whose other rows are space-separated): the copy delimits cells with spaces and
    dropped blank ones. A crawler's stray space (`230 000023`) leaves few pieces, or pieces no
    single number can be (a leading zero, `2648-18538`)."""
    pieces = [p for c in cells for p in c.text.split() if p not in BLANK_MARKS]
    if len(pieces) < 2 or (len(pieces) < k - 2 and not table_spaced):
        return False
    for p in pieces:
        m = _TOKEN.match(p)
        if not m or not _ok_part(m.group("body").replace(",", "")):
            return False
    return True


def _ok_part(p: str) -> bool:
    if not p or p[0] == "." or p[-1] == "." or p.count(".") > 1:
        return False
    return not (p[0] == "0" and len(p) > 1 and p[1] != ".")


def split_token(tok: str, n: int) -> Iterator[list[ParsedNumber]]:
    """Readings of one run of digits as n numbers (sign kept on the first, unit on the last)."""
    if _MARK_PIECE.fullmatch(tok):  # a glued blank mark: n blank cells
        if n == 1:
            yield ParsedNumber(None)  # type: ignore[misc]
        elif n <= len(tok):
            yield [ParsedNumber(None)] * n
        return
    m = _TOKEN.match(tok)
    if not m:
        return
    sign, body, unit = m.group("sign") or "", m.group("body").replace(",", ""), m.group("unit")
    if n == 1:
        p = parse_number(tok)
        if p is not None and p.value is not None:
            yield p
            return
    for parts in _body_splits(body, n):
        nums = []
        for i, part in enumerate(parts):
            v: int | float = float(part) if "." in part else int(part)
            if i == 0 and sign in ("-", "减"):
                v = -v
            nums.append(ParsedNumber(v, unit if i == n - 1 else None, bool(sign) and i == 0))
        yield nums  # type: ignore[misc]


@dataclass(slots=True)
class Reading:
    values: list[ParsedNumber]
    spans: list[tuple[int, int]]
    score: float
    split: bool  # some cell came from cutting a run of digits


ZERO_BONUS = 0.6
Prior = Callable[[int, int | float], float]  # (column index, value) -> log plausibility


def _distribute(total: int, counts: list[int]) -> Iterator[list[int]]:
    """Ways to give each token at least one number and at most len(digits) numbers."""
    if not counts:
        if total == 0:
            yield []
        return
    first, rest = counts[0], counts[1:]
    rest_min = len(rest)
    rest_max = sum(rest)
    for k in range(1, min(first, total - rest_min) + 1):
        if total - k > rest_max:
            continue
        for tail in _distribute(total - k, rest):
            yield [k, *tail]


def readings(cells: list[Tok], k: int, prior: Prior, row_check: Callable[[list[float]], bool] | None = None,
             limit: int = 20000, groups: tuple[int, ...] = (),
             group_check: Callable[[list[float]], bool] | None = None,
             place: bool = False, columns: dict[int, tuple[int, int]] | None = None,
             gaps: bool = False, spaced: bool = False) -> tuple[list[Reading], str]:
    """All readings of a row's value cells as exactly k values, best first.

    Returns (readings, status): status is "direct" (cells map one to one), "split" (digits were
    cut), "placed" (delimited cells with the blank ones dropped, put back in every order-keeping
    way; only asked for where exact relations can choose), "gaps" (digits cut into fewer numbers
    than columns, the rest blank: a run that lost blank cells), "short"/"long" when the cells
    cannot make k values, "bad" for unreadable cells.

    `gaps` (a table whose runs evidently lost blank cells) adds the readings with blank columns
    to a run's cuts into k numbers. `columns` (`aligned.aligned_columns`) puts the numbers of a
    fixed-width row that dropped blank cells into their printed columns. `spaced` tells that
    the table's other rows separate their cells with spaces.
    """
    # one to one: exactly k cells, each blank or a single value
    if len(cells) >= k:
        cand = cells
        if len(cells) > k:  # surplus blank cells at the ends come from colspans or trailing bars
            cand = list(cells)
            while len(cand) > k and not cand[-1].text.strip():
                cand.pop()
            while len(cand) > k and not cand[0].text.strip():
                cand.pop(0)
        if len(cand) == k:
            parsed = [parse_number(c.text) for c in cand]
            if all(p is not None for p in parsed):
                vals = [p for p in parsed if p is not None]
                return [Reading(vals, [(c.start, c.end) for c in cand], 0.0, False)], "direct"
    toks = tokens_of(cells)
    if len(toks) != k:
        marked = tokens_of(cells, marks=True)
        if len(marked) == k and all(parse_number(t.text) is not None for t in marked):
            vals = [p for p in (parse_number(t.text) for t in marked) if p is not None]
            return [Reading(vals, [(t.start, t.end) for t in marked], 0.0, False)], "direct"
    if len(toks) == k:
        parsed = [parse_number(t.text) for t in toks]
        if all(p is not None for p in parsed):
            vals = [p for p in parsed if p is not None]
            return [Reading(vals, [(t.start, t.end) for t in toks], 0.0, False)], "direct"
        return [], "bad"
    if len(toks) > k:
        return [], "long"
    if not toks:
        return [], "short"
    # a space-aligned row: its numbers stand in their columns
    at = [columns.get(t.start) for t in toks] if columns else []
    if at and all(a is not None and a[1] == k for a in at):
        vals = [ParsedNumber(None, None, False)] * k
        spans = [(toks[0].start, toks[0].start)] * k
        for a, t in zip(at, toks, strict=True):
            assert a is not None
            vals[a[0]] = parse_number(t.text)  # type: ignore[assignment]
            spans[a[0]] = (t.start, t.end)
        if all(v is not None for v in vals):
            return [Reading(vals, spans, 0.0, False)], "direct"
    if (sum(1 for c in cells if c.text.strip()) >= 2 and all(len(c.text.split()) <= 1 for c in cells)) \
            or _spaced(cells, k, spaced):
        # the source delimits its cells (table cells, bars, tabs, one per line, spaces) and each
        # holds one number: a missing cell is missing, never recovered by cutting a neighbour's
        # digits; it may have been a blank cell the copy dropped, which the relations can place
        if place:
            return _placed(toks, k, row_check)
        return [], "short"
    if any(_GLUED.search(c.text) for c in cells):
        toks = tokens_of(cells, marks=True)  # "44-": the mark is a blank cell of the run
    caps = [len(t.text) if _MARK_PIECE.fullmatch(t.text) else sum(ch.isdigit() for ch in t.text) for t in toks]
    if sum(caps) < k:
        if place and row_check is not None:
            short = _with_blanks(toks, caps, k, prior, row_check, limit)
            if short:
                return sorted(short, key=lambda r: -r.score), "gaps"
        return [], "short"
    out: list[Reading] = []
    count = 0
    if groups and len(toks) == 1 and group_check is not None:
        grouped = _grouped(toks[0], groups, group_check, limit)
        if grouped is None:
            count = limit + 1
        else:
            for vals in grouped:
                score = sum(prior(i, v.value or 0) for i, v in enumerate(vals))
                out.append(Reading(vals, [(toks[0].start, toks[0].end)] * k, score, True))
    else:
        for dist in _distribute(k, caps):
            estimate = 1
            for c, n in zip(caps, dist, strict=True):
                estimate *= math.comb(c - 1, n - 1)
            if estimate > limit:  # too many cuts to list: nothing certain can come of this row
                count = limit + 1
                continue
            per_tok = _cuts(toks, dist)
            if any(not p for p in per_tok):
                continue
            for combo in _product(per_tok):
                count += 1
                if count > limit:
                    break
                vals = [v for part in combo for v in part]
                nums = [v.value or 0 for v in vals]
                if row_check is not None and not row_check(nums):
                    continue
                spans = []
                for t, part in zip(toks, combo, strict=True):
                    spans.extend([(t.start, t.end)] * len(part))
                score = sum(prior(i, v.value or 0) for i, v in enumerate(vals))
                out.append(Reading(vals, spans, score, True))
    if out and gaps and row_check is not None and place and count <= limit:
        more = _with_blanks(toks, caps, k, prior, row_check, limit, most=2)
        if more:
            out = sorted(out + more, key=lambda r: -r.score)
            return out, "gaps"
    if not out and row_check is not None and place and count <= limit:
        # no cut into k numbers keeps the row's own sum: a blank cell may have vanished from the
        # run (`0 28 0 _ 1 0 29` -> `02801029`); cut into fewer numbers and leave the other columns
        # blank; the table's relations choose, and without them the row stays open
        out = _with_blanks(toks, caps, k, prior, row_check, limit)
        if out:
            out.sort(key=lambda r: -r.score)
            return out, "gaps"
    if not out and row_check is not None:
        # the printed row breaks its own relation: read it without that constraint
        return readings(cells, k, prior, None, limit)
    out.sort(key=lambda r: -r.score)
    if count > limit:
        return out, "toomany"
    return out, ("split" if out else "bad")


MAX_PLACEMENTS = 400


def _cuts(toks: list[Tok], dist: list[int]) -> list[list[list[ParsedNumber]]]:
    """Every way to cut each token into its share of numbers."""
    return [list(split_token(t.text, n)) if n > 1 else [[x] for x in split_token(t.text, 1)]
            for t, n in zip(toks, dist, strict=True)]


def _with_blanks(toks: list[Tok], caps: list[int], k: int, prior: Prior,
                 row_check: Callable[[list[float]], bool], limit: int, most: int = 0) -> list[Reading]:
    """Readings of a run as k-b numbers and b blank columns that keep the row's sum, for the
    fewest blanks b (up to `most`, else all but one column) that give any."""
    blank = ParsedNumber(None, None, False)
    count = 0
    for b in range(1, (most or k - 1) + 1):
        if k - b < len(toks):
            break
        out: list[Reading] = []
        for dist in _distribute(k - b, caps):
            per_tok = _cuts(toks, dist)
            if any(not p for p in per_tok):
                continue
            for combo in _product(per_tok):
                vals = [v for part in combo for v in part]
                spans: list[tuple[int, int]] = []
                for t, part in zip(toks, combo, strict=True):
                    spans.extend([(t.start, t.end)] * len(part))
                for holes in combinations(range(k), b):
                    count += 1
                    if count > limit:
                        return []
                    row: list[ParsedNumber] = []
                    sp: list[tuple[int, int]] = []
                    it = iter(zip(vals, spans, strict=True))
                    for j in range(k):
                        if j in holes:
                            row.append(blank)
                            sp.append((sp[-1][1],) * 2 if sp else (spans[0][0],) * 2)
                        else:
                            v, span = next(it)
                            row.append(v)
                            sp.append(span)
                    if not row_check([v.value or 0 for v in row]):
                        continue
                    score = sum(prior(i, v.value) for i, v in enumerate(row) if v.value is not None)
                    out.append(Reading(row, sp, score, True))
        if out:
            return out
    return []


def _placed(toks: list[Tok], k: int, row_check: Callable[[list[float]], bool] | None
            ) -> tuple[list[Reading], str]:
    """Readings that put m < k delimited values into k columns in their order, the rest blank."""
    parsed = [parse_number(t.text) for t in toks]
    if any(p is None or p.value is None for p in parsed) or math.comb(k, len(toks)) > MAX_PLACEMENTS:
        return [], "short"
    out: list[Reading] = []
    for cols in combinations(range(k), len(toks)):
        vals = [ParsedNumber(None, None, False)] * k
        spans = [(toks[0].start, toks[0].start)] * k
        for j, p, t in zip(cols, parsed, toks, strict=True):
            vals[j] = p  # type: ignore[assignment]
            spans[j] = (t.start, t.end)
        if row_check is not None and not row_check([v.value or 0 for v in vals]):
            continue
        # no plausibility here: which columns were blank is for the relations alone to say
        out.append(Reading(vals, spans, 0.0, True))
    return out, ("placed" if out else "short")


def _grouped(tok: Tok, groups: tuple[int, ...], check: Callable[[list[float]], bool], limit: int
             ) -> list[list[ParsedNumber]] | None:
    """Cut one digit run into consecutive groups (e.g. three 5-cell blocks of section 四), each of
    which must satisfy `check` on its own: far fewer readings to list than cutting the whole run."""
    m = _TOKEN.match(tok.text)
    if not m or m.group("sign") or m.group("unit"):
        return None
    body = m.group("body")
    memo: dict[tuple[int, int], list[list[ParsedNumber]] | None] = {}

    def rec(pos: int, g: int) -> list[list[ParsedNumber]] | None:
        if g == len(groups):
            return [[]] if pos == len(body) else []
        key = (pos, g)
        if key in memo:
            return memo[key]
        need_after = sum(groups[g + 1:])
        out: list[list[ParsedNumber]] = []
        for end in range(pos + groups[g], len(body) - need_after + 1):
            piece = body[pos:end]
            if math.comb(len(piece) - 1, groups[g] - 1) > limit:
                memo[key] = None
                return None
            heads = [p for p in split_token(piece, groups[g]) if check([v.value or 0 for v in p])]
            if not heads:
                continue
            tails = rec(end, g + 1)
            if tails is None:
                memo[key] = None
                return None
            for h in heads:
                for t in tails:
                    out.append(h + t)
                    if len(out) > limit:
                        memo[key] = None
                        return None
        memo[key] = out
        return out

    return rec(0, 0)


def _product(lists: list[list[list[ParsedNumber]]]) -> Iterator[list[list[ParsedNumber]]]:
    if not lists:
        yield []
        return
    for head in lists[0]:
        for tail in _product(lists[1:]):
            yield [head, *tail]


@dataclass(slots=True)
class RowPrior:
    """A table's priors on how the cells of one row relate (`Ratio`, `SumHint`), with column
    indexes resolved once: they rescore the cuts of a digit run the relations cannot decide."""

    ratios: list[tuple[int, int, Ratio]]
    sums: list[tuple[list[int], int, float]]

    @classmethod
    def of(cls, table: Table) -> RowPrior:
        keys = [c.key for c in table.cols]
        return cls([(keys.index(r.num), keys.index(r.den), r) for r in table.ratios],
                   [([keys.index(p) for p in h.parts], keys.index(h.total), h.score) for h in table.sums])

    def score(self, values: list[ParsedNumber]) -> float:
        total = 0.0
        for a, n, r in self.ratios:
            total += _ratio_score(values[a], values[n], r)
        for parts, t, bonus in self.sums:
            nums = [values[j].value for j in parts if values[j].value is not None]
            tv = values[t].value
            if tv is None or len(nums) < len(parts) or not (tv or any(nums)):
                continue  # a blank cell, or nothing but zeros: no evidence
            if abs(sum(nums) - tv) < 1e-9:
                total += bonus
        return total

    def rescore(self, opts: list[Reading]) -> list[Reading]:
        """Readings with these priors added, best first."""
        if not (self.ratios or self.sums) or len(opts) < 2:
            return opts
        return sorted((Reading(o.values, o.spans, o.score + self.score(o.values), o.split) for o in opts),
                      key=lambda r: -r.score)


def _ratio_score(num_v: ParsedNumber, den_v: ParsedNumber, r: Ratio) -> float:
    num, den = num_v.value, den_v.value
    if num is None or den is None or (num == 0 and den == 0):
        return 0.0
    if num < 0 or den < 0:
        return -3.0
    if num == 0:
        return r.num_zero
    if den == 0:
        return r.den_zero
    unit = num_v.unit if r.money else None
    scales = (1.0,) if not r.money else (1e-4,) if unit == "元" else (1.0,) if unit == "万元" else (1.0, 1e-4)
    return max(-((math.log10(num * f / den) - r.mu) ** 2) / (2 * r.sd * r.sd) for f in scales)


def column_prior(cols: tuple[Col, ...]) -> Prior:
    """The magnitude prior of a table's value columns, as the edition declares them."""
    return magnitude_prior([c.mag for c in cols], [c.zero for c in cols])


def magnitude_prior(mags: list[tuple[float, float]], zeros: list[float | None] | None = None) -> Prior:
    """Log-normal plausibility of a value per column, from the edition's typical magnitudes.

    A 0 scores the column's `Col.zero` where the edition gives one (fitted from how often real
    tables print 0 there), else the curve at 0 plus a common bonus: zeros are the most frequent
    value in these tables."""
    zero_at = list(zeros or [])

    def prior(i: int, v: int | float) -> float:
        mu, sd = mags[i] if i < len(mags) else (1.0, 1.5)
        zero = zero_at[i] if i < len(zero_at) else None
        if v == 0 and zero is not None:
            return zero
        x = math.log10(abs(v) + 1)
        return -((x - mu) ** 2) / (2 * sd * sd) + (ZERO_BONUS if v == 0 else 0.0)

    return prior
