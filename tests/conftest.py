"""Shared test helpers: where the shared corpus is, and gold loading."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"


def gold_pairs(folder: str, suffixes: tuple[str, ...] = (".txt", ".html")) -> list[tuple[Path, dict]]:
    d = CORPUS / folder
    out = []
    for g in sorted(d.glob("*.gold.json")):
        stem = g.name[: -len(".gold.json")]
        src = next((p for p in d.iterdir() if p.name.startswith(stem + ".") and p.suffix in suffixes), None)
        if src is not None:
            out.append((src, json.loads(g.read_text(encoding="utf-8"))))
    return out


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.exists():
        pytest.skip("shared corpus not present beside the repository")
    return CORPUS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On CI every tool is installed by `.ci/run`, so a skip means a missing install step: fail it."""
    outcome = yield
    rep = outcome.get_result()
    if os.environ.get("CI") == "true" and rep.skipped and not hasattr(rep, "wasxfail"):
        rep.outcome = "failed"
        rep.longrepr = f"skipped on CI (a set-up step is missing): {rep.longrepr}"
