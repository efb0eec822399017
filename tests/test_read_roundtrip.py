"""Round trips through the real tools: a random report of each edition rendered as HTML, turned into
DOCX and PDF by LibreOffice, the PDF rasterised by poppler's pdftoppm and read back through OCR.
Every route must give back the cells the report was made from."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from gongkai import parse_doc
from gongkai.read import read_bytes, read_path
from gongkai.synth import EDITION_NAMES, make_report

NEEDS = {"soffice": "libreoffice-writer", "pdftoppm": "poppler-utils", "tesseract": "tesseract-ocr tesseract-ocr-chi-sim"}
pytestmark = [pytest.mark.skipif(shutil.which(tool) is None, reason=f"{tool} not installed: apt-get install {pkg}")
              for tool, pkg in NEEDS.items()]


FLOOR = {"2021": 0.99, "2019": 0.65, "legacy": 0.85}  # share of cells a 300 dpi scan gets back


def _convert(src: Path, target: str, out: Path) -> Path:
    """LibreOffice headless conversion, with a private profile so parallel runs do not collide."""
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless",
                    "--convert-to", target, "--outdir", str(out), str(src)],
                   check=True, capture_output=True, timeout=240)
    return out / f"{src.stem}.{target.split(':')[0]}"


def _wrong(got: dict, want: dict) -> list[tuple[str, object, object]]:
    def same(a, b) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)

    return [(k, v, got.get(k, "<missing>")) for k, v in want.items() if k not in got or not same(v, got[k])]


@pytest.fixture(scope="module", params=EDITION_NAMES)
def made(request, tmp_path_factory) -> tuple[dict, Path, Path]:
    """One random report of the edition as HTML, DOCX and PDF (fixed seed: CI runs are repeatable;
    set GONGKAI_RT_SEED to explore others)."""
    seed = int(os.environ.get("GONGKAI_RT_SEED", "7")) + EDITION_NAMES.index(request.param)
    print(f"edition {request.param} seed {seed}")
    rep = make_report(request.param, "html", random.Random(seed))
    tmp = tmp_path_factory.mktemp(f"rt-{request.param}")
    html = tmp / "report.html"
    # as government pages do, fit tables to the page with black rules; without a width
    # LibreOffice lets a wide table run off the right margin (the PDF then really lacks a column)
    html.write_text(rep.text.replace("<table ", '<table width="100%" bordercolor="#000000" '), encoding="utf-8")
    docx = _convert(html, "docx:MS Word 2007 XML", tmp)
    pdf = _convert(docx, "pdf", tmp)
    return rep.gold, docx, pdf


def test_docx_from_libreoffice(made) -> None:
    gold, docx, _ = made
    report = parse_doc(read_path(docx))
    assert report.edition == gold["edition"]
    assert not _wrong(report.values(), gold["cells"])


def test_text_pdf_from_libreoffice(made) -> None:
    gold, _, pdf = made
    doc = read_path(pdf)
    assert doc.form == "pdf" and all(b.page for b in doc.blocks)
    report = parse_doc(doc)
    assert report.edition == gold["edition"]
    assert not _wrong(report.values(), gold["cells"])


@pytest.mark.slow
def test_scan_via_pdftoppm(made, tmp_path) -> None:
    """300 dpi greyscale pages from pdftoppm, packed back into an image-only PDF, read by OCR."""
    from PIL import Image

    gold, _, pdf = made
    subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=240)
    pages = [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]
    assert pages
    scan = tmp_path / "scan.pdf"
    pages[0].save(scan, format="PDF", resolution=300, save_all=True, append_images=pages[1:])
    doc = read_bytes(scan.read_bytes(), "scan.pdf")
    assert doc.form == "scan"
    report = parse_doc(doc)
    assert report.edition == gold["edition"]
    wrong = _wrong(report.values(), gold["cells"])
    misread = [w for w in wrong if w[2] not in (None, "<missing>")]
    n = len(gold["cells"])
    print(f"scan {gold['edition']}: {n - len(wrong)}/{n} cells, {len(misread)} misread")
    # measured on these seeds: 2021 exact; 2019 and legacy lose the rows whose label wraps in a
    # tall cell (OCR attaches their digits to the label line). Floor against regressions, and a
    # misread digit (a wrong number rather than a missing one) stays rare.
    assert n - len(wrong) >= FLOOR[gold["edition"]] * n, wrong
    assert len(misread) <= max(2, n // 50), misread
    # OCR word confidence reaches the cells (for GK112), born-digital cells stay at 1.0
    assert any(0.0 < c.confidence < 1.0 for c in report.cells.values())
