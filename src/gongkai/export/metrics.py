"""Derived metrics of one report (definitions: docs/metrics.md).

Every metric is blank (None) when a cell it needs is blank or absent, or when its denominator
is 0 — never 0 by default. Shares are fractions in [0, 1], not percentages.
"""

from __future__ import annotations

from collections.abc import Callable

from ..editions.common import S3_HEAD

Values = dict[str, int | float | None]
Metric = Callable[[Values], float | int | None]

DENIED = [f"s3.{r.key}.total" for r in S3_HEAD if r.key.startswith("denied.")]
UNABLE = [f"s3.{r.key}.total" for r in S3_HEAD if r.key.startswith("unable.")]
S4_DECIDED = ("upheld", "corrected", "other")


def _sum(v: Values, ids: list[str]) -> float | None:
    if not ids or any(v.get(i) is None for i in ids):
        return None
    return sum(float(v[i]) for i in ids)  # type: ignore[arg-type]


def _ratio(num: float | None, den: float | None) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return num / den


def _legacy(v: Values) -> bool:
    return any(k.startswith("legacy.") for k in v)


def applications(v: Values) -> float | None:
    return _sum(v, ["legacy.apply.received.total"] if _legacy(v) else ["s3.new.total"])


def processed(v: Values) -> float | None:
    return _sum(v, ["legacy.apply.replied.total"] if _legacy(v) else ["s3.processed_total.total"])


def share_granted(v: Values) -> float | None:
    if _legacy(v):
        return _ratio(_sum(v, ["legacy.apply.replied.granted"]), processed(v))
    return _ratio(_sum(v, ["s3.granted.total"]), processed(v))


def share_partial(v: Values) -> float | None:
    if _legacy(v):
        return _ratio(_sum(v, ["legacy.apply.replied.partial"]), processed(v))
    return _ratio(_sum(v, ["s3.partial.total"]), processed(v))


def share_denied(v: Values) -> float | None:
    if _legacy(v):
        return _ratio(_sum(v, ["legacy.apply.replied.denied.total"]), processed(v))
    return _ratio(_sum(v, DENIED), processed(v))


def share_unable(v: Values) -> float | None:
    if _legacy(v):
        return _ratio(_sum(v, ["legacy.apply.replied.not_this_organ", "legacy.apply.replied.not_exist"]),
                      processed(v))
    return _ratio(_sum(v, UNABLE), processed(v))


def review_correction_rate(v: Values) -> float | None:
    if _legacy(v):
        return _ratio(_sum(v, ["legacy.review.corrected"]),
                      _sum(v, [f"legacy.review.{k}" for k in S4_DECIDED]))
    return _ratio(_sum(v, ["s4.review.corrected"]), _sum(v, [f"s4.review.{k}" for k in S4_DECIDED]))


def suit_correction_rate(v: Values) -> float | None:
    if _legacy(v):
        return _ratio(_sum(v, ["legacy.suit.corrected"]), _sum(v, [f"legacy.suit.{k}" for k in S4_DECIDED]))
    groups = ("suit_direct", "suit_after_review")
    return _ratio(_sum(v, [f"s4.{g}.corrected" for g in groups]),
                  _sum(v, [f"s4.{g}.{k}" for g in groups for k in S4_DECIDED]))


METRICS: dict[str, Metric] = {
    "applications": applications,
    "processed": processed,
    "share_granted": share_granted,
    "share_partial": share_partial,
    "share_denied": share_denied,
    "share_unable": share_unable,
    "review_correction_rate": review_correction_rate,
    "suit_correction_rate": suit_correction_rate,
}

# cells any metric reads (to fetch only these for stats)
NEEDED_CELLS = sorted({
    "s3.new.total", "s3.processed_total.total", "s3.granted.total", "s3.partial.total", *DENIED, *UNABLE,
    *(f"s4.{g}.{k}" for g in ("review", "suit_direct", "suit_after_review") for k in S4_DECIDED),
    "legacy.apply.received.total", "legacy.apply.replied.total", "legacy.apply.replied.granted",
    "legacy.apply.replied.partial", "legacy.apply.replied.denied.total", "legacy.apply.replied.not_this_organ",
    "legacy.apply.replied.not_exist", *(f"legacy.{g}.{k}" for g in ("review", "suit") for k in S4_DECIDED),
})


def metrics(v: Values) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for name, fn in METRICS.items():
        x = fn(v)
        out[name] = None if x is None else (int(x) if name in ("applications", "processed") else round(x, 6))
    return out
