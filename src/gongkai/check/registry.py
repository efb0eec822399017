"""The rule registry: every rule has a stable code, a severity, a Chinese title and a doc string.

Rules are small functions `(report) -> Iterable[Finding]` registered with the `@rule` decorator.
Codes follow ruff's style:

- GK0xx parse-time notes, emitted by the extractor itself (documented here so that
  `gongkai explain` works and `--select/--ignore` apply to them);
- GK1xx arithmetic (the 勾稽关系 of the edition definitions, blank and odd values);
- GK2xx structure and template (edition, sections, tables, labels, units);
- GK3xx dates and deadlines;
- GK4xx text against table, text damage;
- GK5xx cross-year checks, reserved for the storage layer.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Finding, Report

RuleFunc = Callable[[Report], Iterable[Finding]]

SEVERITIES = ("error", "warning", "info")
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str  # default severity; relation-based rules take the relation's
    title: str
    func: RuleFunc
    doc: str = ""
    aliases: tuple[str, ...] = ()  # spec codes covered, e.g. ("A1",) or ("M3", "E2")
    parse_time: bool = False  # emitted by the extractor, not run here
    group: str = field(default="")

    def run(self, report: Report) -> list[Finding]:
        if self.parse_time:
            return []
        return list(self.func(report))


RULES: dict[str, Rule] = {}

GROUPS = {
    "GK0": "解析提示",
    "GK1": "算术关系",
    "GK2": "结构与模板",
    "GK3": "日期与期限",
    "GK4": "正文与表格",
    "GK5": "跨年度(存储层)",
}


def rule(code: str, severity: str, title: str, *, aliases: Sequence[str] = (),
         parse_time: bool = False) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under `code`; its doc string becomes `gongkai explain CODE`."""
    if severity not in SEVERITIES:
        raise ValueError(severity)

    def deco(func: RuleFunc) -> RuleFunc:
        if code in RULES:
            raise ValueError(f"duplicate rule code {code}")
        RULES[code] = Rule(code, severity, title, func, inspect.cleandoc(func.__doc__ or ""),
                           tuple(aliases), parse_time, GROUPS.get(code[:3], ""))
        return func

    return deco


def _split(codes: Iterable[str] | str | None) -> list[str]:
    if codes is None:
        return []
    if isinstance(codes, str):
        codes = [codes]
    out: list[str] = []
    for c in codes:
        out.extend(p.strip().upper() for p in c.replace(" ", ",").split(",") if p.strip())
    return out


def _specificity(code: str, rule_: Rule | None, patterns: list[str]) -> int:
    """Length of the longest pattern that selects `code` (0 = none). ALL matches everything."""
    best = 0
    aliases = rule_.aliases if rule_ else ()
    for p in patterns:
        if p == "ALL":
            best = max(best, 1)
        elif code.startswith(p):
            best = max(best, len(p) + 1)
        elif p in aliases:
            best = max(best, 10)  # an exact spec code (A2, L5, M3) is as specific as a full code
    return best


class Selection:
    """ruff-like selection: the most specific of --select/--ignore wins, ignore on a tie."""

    def __init__(self, select: Iterable[str] | str | None = None, ignore: Iterable[str] | str | None = None):
        self.select = _split(select) or ["ALL"]
        self.ignore = _split(ignore)

    def enabled(self, code: str) -> bool:
        r = RULES.get(code)
        s = _specificity(code, r, self.select)
        if not s:
            return False
        return s > _specificity(code, r, self.ignore)


def all_rules() -> list[Rule]:
    return [RULES[c] for c in sorted(RULES)]


def get_rule(code: str) -> Rule | None:
    code = code.strip().upper()
    if code in RULES:
        return RULES[code]
    for r in RULES.values():
        if code in r.aliases:
            return r
    return None
