"""Data model: a report is sections, tables and cells; every cell remembers where it came from.

Everything downstream (checks, store, web) works on these objects, so they carry enough to
show a user "this 27 came from here": the raw text, and a `Source` pointing into the
normalised text (character span) or into a source table (table/row/column, page).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

Number = int | float


@dataclass(slots=True)
class Source:
    """Where a piece of a report came from.

    `start`/`end` index the report's normalised text (`Report.text`); `table`/`row`/`col`
    address a table of the source document (HTML, DOCX, XLSX, PDF); `page` is 1-based.
    """

    start: int | None = None
    end: int | None = None
    table: int | None = None
    row: int | None = None
    col: int | None = None
    page: int | None = None

    def to_dict(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(slots=True)
class Cell:
    """One statistic of a report under its canonical ID (see the edition definitions)."""

    id: str
    value: Number | None
    unit: str | None = None
    raw: str = ""
    source: Source | None = None
    label: str = ""  # the row label as printed (after normalisation), for label checks
    how: str = "label"  # label | position | split | placed | ambiguous | series
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "value": self.value, "raw": self.raw, "how": self.how}
        if self.unit:
            d["unit"] = self.unit
        if self.label:
            d["label"] = self.label
        if self.source:
            d["source"] = self.source.to_dict()
        if self.confidence < 1.0:
            d["confidence"] = round(self.confidence, 3)
        return d


@dataclass(slots=True)
class Finding:
    """A problem found in a report: a stable rule code, a severity and a Chinese message."""

    rule: str
    severity: str  # error | warning | info
    message: str
    cells: list[str] = field(default_factory=list)
    where: dict[str, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "cells": list(self.cells),
        }
        if self.where:
            d["where"] = self.where
        return d


@dataclass(slots=True)
class RawRow:
    """A table row that no canonical ID fits (older local tables); kept, never guessed."""

    label: str
    unit: str | None
    values: list[str]
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"label": self.label, "unit": self.unit, "values": self.values}
        if self.source:
            d["source"] = self.source.to_dict()
        return d


@dataclass(slots=True)
class Section:
    """One of the report's numbered parts (一 … 六, or the legacy 附表)."""

    key: str  # overview | active | requests | review | problems | other | appendix
    title: str
    start: int
    end: int


META_KEYS = ("agency", "region", "year", "dated", "posted", "stat_period", "report_kind", "title")


@dataclass
class Report:
    """A parsed report: edition, metadata, canonical cells, findings and the text they came from."""

    edition: str | None
    meta: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Cell] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    unmapped: list[RawRow] = field(default_factory=list)
    text: str = ""
    path: str | None = None
    form: str = "text"  # text | html | pdf | scan | docx | xlsx | doc
    label_deviations: list[tuple[str, str, str]] = field(default_factory=list)  # (row id, printed, official)
    # rows left ambiguous: (cell IDs, every reading the row's digits allow) for cross-year resolution
    alternatives: list[tuple[tuple[str, ...], list[tuple[Number | None, ...]]]] = field(default_factory=list)

    def values(self) -> dict[str, Number | None]:
        return {k: c.value for k, c in self.cells.items()}

    def value(self, cell_id: str) -> Number | None:
        c = self.cells.get(cell_id)
        return None if c is None else c.value

    def units(self) -> dict[str, str]:
        return {k: c.unit for k, c in self.cells.items() if c.unit}

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)

    def to_contract(self) -> dict[str, Any]:
        """The JSON contract of `gongkai parse --format json` (shared spec fields.md)."""
        meta = {k: self.meta.get(k) for k in META_KEYS if k != "title"}
        meta["published"] = self.meta.get("posted") or self.meta.get("dated")
        return {
            "edition": self.edition,
            "meta": meta,
            "cells": self.values(),
            "units": self.units(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_full(self) -> dict[str, Any]:
        """Everything, including provenance of each cell and unmapped rows."""
        d = self.to_contract()
        d["meta"]["title"] = self.meta.get("title")
        d["path"] = self.path
        d["form"] = self.form
        d["cell_detail"] = {k: c.to_dict() for k, c in self.cells.items()}
        d["unmapped"] = [r.to_dict() for r in self.unmapped]
        d["sections"] = [asdict(s) for s in self.sections]
        return d


class GongkaiError(Exception):
    """A user-facing error with a Chinese message (file could not be read, holds no report…)."""
