"""The editions of the report format, declared as data."""

from __future__ import annotations

from .base import Col, Edition, Relation, Row, Table
from .legacy import EDITION as LEGACY
from .y2019 import EDITION as E2019
from .y2021 import EDITION as E2021

EDITIONS: dict[str, Edition] = {"2021": E2021, "2019": E2019, "legacy": LEGACY}


def get(name: str | None) -> Edition | None:
    return EDITIONS.get(name) if name else None


def expected_edition(year: int | None) -> str | None:
    """The edition a report for statistics year `year` should use (rule M1)."""
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return "legacy"


__all__ = ["EDITIONS", "Col", "Edition", "Relation", "Row", "Table", "get", "expected_edition", "E2019", "E2021", "LEGACY"]
