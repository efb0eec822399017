"""Checks: a ruff-style rule engine over a parsed Report (see registry.py for the code ranges).

`run_checks(report, select, ignore)` keeps the parse-time findings (GK0xx) already on the
report, runs every enabled rule, stores the result on `report.findings` and returns it.
Rules only read the Report; nothing is re-parsed.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import Finding, Report
from . import arith, dates, parse_notes, structure, text  # noqa: F401 - registers the rules
from .registry import RULES, SEVERITIES, SEVERITY_ZH, Rule, Selection, all_rules, get_rule

_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


def run_checks(report: Report, select: list[str] | None = None, ignore: list[str] | None = None) -> list[Finding]:
    sel = Selection(select, ignore)
    kept = [f for f in report.findings if f.rule.startswith("GK0") and sel.enabled(f.rule)]
    found: list[Finding] = []
    for code in sorted(RULES):
        r = RULES[code]
        if r.parse_time or not sel.enabled(code):
            continue
        found.extend(r.run(report))
    report.findings = kept + found
    return report.findings


def count_by_severity(findings: Iterable[Finding]) -> dict[str, int]:
    out = dict.fromkeys(SEVERITIES, 0)
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)


__all__ = ["RULES", "SEVERITIES", "SEVERITY_ZH", "Rule", "Selection", "all_rules", "count_by_severity",
           "get_rule", "has_errors", "run_checks"]
