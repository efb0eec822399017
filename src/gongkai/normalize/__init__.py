"""Normalisation of text and numbers (see text.py and numbers.py)."""

from .numbers import ParsedNumber, parse_number
from .text import Normalizer, is_traditional, normalize_text

__all__ = ["Normalizer", "ParsedNumber", "is_traditional", "normalize_text", "parse_number"]
