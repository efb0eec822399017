"""Checks (rule engine). Placeholder until the rule registry lands: keeps parse-time findings."""

from __future__ import annotations

from ..model import Finding, Report


def run_checks(report: Report, select: list[str] | None = None, ignore: list[str] | None = None) -> list[Finding]:
    return report.findings
