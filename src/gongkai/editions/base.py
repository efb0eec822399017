"""Building blocks for declaring an edition as data: tables, rows, columns, relations.

An edition module only lists official labels, their known variants (`keys`, matched after
normalisation, spaces and line breaks inside a label allowed) and the arithmetic relations.
The extractor and the checks read these declarations; nothing about a layout is hard-coded
elsewhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

# characters allowed between two characters of a label: spaces, line breaks, cell separators
GAP = r"[\s\x1f]*"


# Words a Taiwan-phrase conversion (OpenCC s2twp, used by mirror sites) replaces; converted back
# to simplified characters they read 规范性档案, 资讯, 专案, 资料. Labels accept them.
MIRROR_WORDS = {"文件": "档案", "信息": "资讯", "项目": "专案", "数据": "资料"}


def _chars(key: str) -> list[str]:
    parts = []
    for ch in key:
        if ch == ".":
            parts.append("[.、．,]?")
        elif ch == "(":
            parts.append("[(（]")
        elif ch == ")":
            parts.append("[)）]")
        else:
            parts.append(re.escape(ch))
    return parts


def label_pattern(key: str) -> str:
    """Regex for a label key: any whitespace may fall between characters; '.' means a numbering dot."""
    parts: list[str] = []
    i = 0
    while i < len(key):
        word = key[i:i + 2]
        if word in MIRROR_WORDS:
            alts = (GAP.join(_chars(w)) for w in (word, MIRROR_WORDS[word]))
            parts.append("(?:" + "|".join(alts) + ")")
            i += 2
        else:
            parts.extend(_chars(key[i]))
            i += 1
    return GAP.join(parts)


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    keys: tuple[str, ...] = ()
    unit: str | None = None  # official unit printed in the header (万元) or implied (件)
    kind: str = "count"  # count | signed | money
    mag: tuple[float, float] = (1.0, 1.5)  # typical log10 magnitude (mean, sd): a prior for cutting digit runs
    # log plausibility of a 0 on the `mag` curve's scale: log(p0 / (1 - p0)) + ln(sd) + 1.75 for a
    # column printing 0 in a share p0 of filled rows (None: the curve at 0 plus a common bonus)
    zero: float | None = None


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # official label (normalised form)
    keys: tuple[str, ...]  # distinctive variants used to find the row
    number: str = ""  # official numbering, e.g. "(一)" or "1."
    group: str = ""  # the group label this row sits under, e.g. "(三)不予公开"
    unit: str | None = None  # legacy tables print a unit per row
    after: str = ""  # legacy: row key of the block this row belongs to (disambiguates 被依法纠错数)
    optional: bool = False
    not_with: tuple[str, ...] = ()  # a printed label holding one of these merges two rows: keep it raw

    @cached_property
    def regex(self) -> re.Pattern[str]:
        keys = sorted(self.keys, key=len, reverse=True)
        return re.compile("|".join(label_pattern(k) for k in keys))


@dataclass(frozen=True)
class Ratio:
    """A prior on how two cells of a row relate: log10(num / den) is about normal (mu, sd).

    It chooses between cuts of a digit run that the table's relations cannot decide, e.g.
    13575394432.52元 is 135 purchases of 7539 万元 rather than 1357 of 539 万元. `money`: num is an
    amount judged per item in 万元; printed without its unit it may be in 元 or 万元, the likelier
    counts. A zero against a non-zero scores `num_zero` / `den_zero` instead."""

    num: str
    den: str
    mu: float
    sd: float
    money: bool = False
    num_zero: float = 0.0
    den_zero: float = 0.0


@dataclass(frozen=True)
class SumHint:
    """A sum the form does not require but many filed tables show, e.g. 处理决定数量 filled in as
    上一年项目数量 + 本年增/减 (this year's item count). A cut of a digit run that shows it is
    `score` (log odds) likelier: a wrong cut rarely adds up by chance."""

    parts: tuple[str, ...]
    total: str
    score: float


@dataclass(frozen=True)
class Table:
    """One statutory table (or sub-table) with its rows and value columns."""

    key: str  # e.g. "s2.rules", "s3", "s4", "legacy"
    prefix: str  # cell ID prefix: s2 | s3 | s4 | legacy
    title: str
    rows: tuple[Row, ...]
    cols: tuple[Col, ...]
    cues: tuple[str, ...] = ()  # header texts that announce the table
    layout: str = "rows"  # rows | single_row | indicator
    ratios: tuple[Ratio, ...] = ()  # priors on how a row's cells relate, for cutting digit runs
    sums: tuple[SumHint, ...] = ()

    def cell_id(self, row: Row, col: Col | None) -> str:
        if self.layout == "indicator" or col is None:
            return f"{self.prefix}.{row.key}"
        if self.layout == "single_row":
            return f"{self.prefix}.{col.key}"
        return f"{self.prefix}.{row.key}.{col.key}"

    def cell_ids(self) -> list[str]:
        if self.layout == "indicator":
            return [self.cell_id(r, None) for r in self.rows if not r.optional]
        if self.layout == "single_row":
            return [self.cell_id(self.rows[0], c) for c in self.cols]
        return [self.cell_id(r, c) for r in self.rows if not r.optional for c in self.cols]


@dataclass(frozen=True)
class Relation:
    """sum(lhs) <op> sum(rhs) over cell IDs; blank cells count as 0 (and get their own finding)."""

    code: str  # A1 … / L1 …
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    op: str = "="  # = | <= | >=
    severity: str = "error"
    where: str = ""  # Chinese: which row/column this instance is about, e.g. "予以公开 行"
    title: str = ""

    @property
    def cells(self) -> tuple[str, ...]:
        return self.lhs + self.rhs

    def holds(self, values: dict[str, float | int | None]) -> bool | None:
        """True/False, or None when none of the cells is present (relation not applicable)."""
        if not any(c in values for c in self.cells):
            return None
        lv = sum((values.get(c) or 0) for c in self.lhs)
        rv = sum((values.get(c) or 0) for c in self.rhs)
        if self.op == "=":
            return abs(lv - rv) < 1e-6
        if self.op == "<=":
            return lv <= rv + 1e-6
        return lv + 1e-6 >= rv


@dataclass(frozen=True)
class Edition:
    name: str  # "2021" | "2019" | "legacy"
    title: str
    years: tuple[int, int]  # statistics years the edition is meant for
    tables: tuple[Table, ...]
    relations: tuple[Relation, ...]
    cues: dict[str, float] = field(default_factory=dict)  # label -> weight for edition detection

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    @cached_property
    def cell_ids(self) -> list[str]:
        return [cid for t in self.tables for cid in t.cell_ids()]

    @cached_property
    def labels(self) -> dict[str, str]:
        """Cell ID -> Chinese description (row label · column label) for messages and the UI."""
        out: dict[str, str] = {}
        for t in self.tables:
            for r in t.rows:
                if t.layout == "indicator":
                    out[t.cell_id(r, None)] = r.label
                elif t.layout == "single_row":
                    for c in t.cols:
                        out[t.cell_id(r, c)] = c.label
                else:
                    for c in t.cols:
                        out[t.cell_id(r, c)] = f"{r.label} · {c.label}"
        return out
