"""Number parsing: separators, decimals, units, signed changes, blanks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.normalize import parse_number


@pytest.mark.parametrize("text,value,unit", [
    ("+6980", 6980, None), ("减3项", -3, "项"), ("增35项", 35, "项"), ("增1945", 1945, None), ("减1", -1, None),
    ("0", 0, None), ("2694.35万元", 2694.35, "万元"), ("6154570.0", 6154570.0, None), ("1,234", 1234, None),
    ("184项", 184, "项"), ("-18", -18, None), ("75394432.52元", 75394432.52, "元"), ("约20件", 20, "件"),
    ("20(件)", 20, "件"), ("减少 5 项", -5, "项"),
    # what a lossy re-encoding leaves for a character it could not map
    ("? 0", 0, None), ("\ufffd12", 12, None),
])
def test_values(text: str, value: float, unit: str | None) -> None:
    p = parse_number(text)
    assert p is not None and p.value == value and p.unit == unit


@pytest.mark.parametrize("text", ["", "—", "-", "/", "无", "——", " "])
def test_blank_is_null_not_zero(text: str) -> None:
    p = parse_number(text)
    assert p is not None and p.value is None


@pytest.mark.parametrize("text", ["abc", "1 2", "第二十条", "2019年", "?5"])
def test_not_a_value(text: str) -> None:
    assert parse_number(text) is None


@given(st.integers(0, 10**12), st.sampled_from(["", "项", "件", "条", "元", "万元"]), st.booleans())
def test_integers_round_trip(n: int, unit: str, commas: bool) -> None:
    text = (f"{n:,}" if commas else str(n)) + unit
    p = parse_number(text)
    assert p is not None and p.value == n and (p.unit or "") == unit


@given(st.integers(-10**6, 10**6), st.sampled_from(["sign", "word"]))
def test_signed_changes(n: int, style: str) -> None:
    if style == "sign":
        text = f"+{n}" if n >= 0 else str(n)
    else:
        text = f"增{n}项" if n >= 0 else f"减{-n}项"
    p = parse_number(text)
    assert p is not None and p.value == n


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_decimals(d) -> None:
    p = parse_number(f"{d}万元")
    assert p is not None and abs(p.value - float(d)) < 1e-6 and p.unit == "万元"
