"""Paged and office readers: fixtures built with the real tools (python-docx, openpyxl,
LibreOffice, pdfium, Tesseract) inside the test run, table cells checked through the round trip."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from conftest import gold_pairs
from gongkai import parse_path
from gongkai.model import GongkaiError
from gongkai.read import read_bytes, read_path
from gongkai.read.base import Block

HAVE_SOFFICE = shutil.which("soffice") is not None
HAVE_TESSERACT = shutil.which("tesseract") is not None
needs_soffice = pytest.mark.skipif(not HAVE_SOFFICE, reason="LibreOffice (soffice) not installed: "
                                   "apt-get install libreoffice-writer libreoffice-calc")
needs_tesseract = pytest.mark.skipif(not HAVE_TESSERACT, reason="Tesseract not installed: "
                                     "apt-get install tesseract-ocr tesseract-ocr-chi-sim")

HEAD = ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _tables(doc) -> list[Block]:
    return [b for b in doc.blocks if b.kind == "table"]


def _cellset(b: Block) -> set[tuple[int, int, int, int, str]]:
    return {(c.row, c.col, c.rowspan, c.colspan, _norm(c.text)) for c in b.cells}


# --- fixtures ---------------------------------------------------------------------------------------

def _merged_docx(n_rows: int = 6, repeat_header: bool = False) -> bytes:
    """A report-like DOCX: a heading, a table with horizontal and vertical merges, a nested table."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    doc = Document()
    doc.add_paragraph("某某市某某局2021年政府信息公开工作年度报告")
    doc.add_paragraph("二、主动公开政府信息情况")
    t = doc.add_table(rows=2 + n_rows, cols=4)
    t.style = "Table Grid"
    top = t.cell(0, 0).merge(t.cell(0, 3))
    top.text = "第二十条第(一)项"
    for k, h in enumerate(HEAD):
        t.cell(1, k).text = h
    if repeat_header:
        for r in (0, 1):
            tr_pr = t.rows[r]._tr.get_or_add_trPr()
            el = OxmlElement("w:tblHeader")
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
    for r in range(n_rows):
        t.cell(2 + r, 1).text = str(r)
        t.cell(2 + r, 2).text = str(r * 7)
        t.cell(2 + r, 3).text = str(r * 11 + 1)
    label = t.cell(2, 0).merge(t.cell(3, 0))  # vertical merge
    label.text = "规章"
    for r in range(4, 2 + n_rows):
        t.cell(r, 0).text = f"项目{r}"
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    outer = doc.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=2, cols=2)
    inner.style = "Table Grid"
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"{r}{c}"
    doc.add_paragraph("六、其他需要报告的事项")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _soffice(data: bytes, suffix: str, target: str, tmp: Path) -> bytes:
    src = tmp / f"in{suffix}"
    src.write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                    "--convert-to", target, "--outdir", str(tmp), str(src)],
                   check=True, capture_output=True, timeout=180)
    return (tmp / f"in.{target.split(':')[0]}").read_bytes()


@pytest.fixture(scope="module")
def merged_docx() -> bytes:
    return _merged_docx()


@pytest.fixture(scope="module")
def merged_pdf(merged_docx, tmp_path_factory) -> bytes:
    if not HAVE_SOFFICE:
        pytest.skip("LibreOffice (soffice) not installed")
    return _soffice(merged_docx, ".docx", "pdf", tmp_path_factory.mktemp("pdf"))


# --- DOCX -------------------------------------------------------------------------------------------

def test_docx_merged_cells_are_spans(merged_docx) -> None:
    doc = read_bytes(merged_docx, "t.docx")
    assert doc.form == "docx"
    paras = [b.text for b in doc.blocks if b.kind == "para"]
    assert paras[0].startswith("某某市某某局2021年")
    tables = _tables(doc)
    assert len(tables) == 2  # the layout table holding a table is a container, not a table
    t = tables[0]
    cells = {(c.row, c.col): c for c in t.cells}
    assert (cells[(0, 0)].colspan, cells[(0, 0)].text) == (4, "第二十条第(一)项")
    assert (cells[(2, 0)].rowspan, cells[(2, 0)].text) == (2, "规章")
    assert (3, 0) not in cells  # merged text is not repeated
    assert sum(1 for c in t.cells if c.text == "规章") == 1
    assert [c.text for c in t.rows()[1]] == HEAD
    assert t.n_rows() == 8 and t.n_cols() == 4
    assert tables[1].grid() == [["00", "01"], ["10", "11"]]
    # order: the heading sits between the tables
    kinds = [(b.kind, b.text[:2]) for b in doc.blocks]
    assert kinds.index(("para", "三、")) > kinds.index(("table", ""))


def test_docx_corrupt_is_an_error() -> None:
    data = _merged_docx()
    broken = data[:200] + b"\0" * 50 + data[250:]
    with pytest.raises(GongkaiError):
        read_bytes(broken, "坏.docx")


# --- PDF (LibreOffice) ------------------------------------------------------------------------------

@needs_soffice
def test_pdf_tables_round_trip(merged_docx, merged_pdf) -> None:
    want = _tables(read_bytes(merged_docx, "t.docx"))
    doc = read_bytes(merged_pdf, "t.pdf")
    assert doc.form == "pdf"
    got = _tables(doc)
    assert len(got) == len(want)
    for a, b in zip(want, got, strict=True):
        assert _cellset(a) == _cellset(b)
    assert all(b.page == 1 for b in doc.blocks)
    assert any(b.text == "三、收到和处理政府信息公开申请情况" for b in doc.blocks)


@needs_soffice
def test_pdf_table_across_pages_is_joined(tmp_path) -> None:
    """A 70-row table with a repeated header row breaks over pages: one table, header once."""
    docx = _merged_docx(n_rows=70, repeat_header=True)
    pdf = _soffice(docx, ".docx", "pdf", tmp_path)
    doc = read_bytes(pdf, "long.pdf")
    t = _tables(doc)[0]
    want = _tables(read_bytes(docx, "long.docx"))[0]
    assert _cellset(t) == _cellset(want)
    assert sum(1 for c in t.cells if c.text == "信息内容") == 1
    pages = {b.page for b in doc.blocks}
    assert max(p for p in pages if p) >= 2


@needs_soffice
def test_pdf_running_footer_and_page_numbers_dropped(tmp_path) -> None:
    from docx import Document
    from docx.enum.text import WD_BREAK

    d = Document()
    d.sections[0].footer.paragraphs[0].text = "某某市人民政府办公室"
    d.sections[0].header.paragraphs[0].text = "政府信息公开年报"
    for k in range(3):
        p = d.add_paragraph(f"第{k + 1}部分正文内容。")
        if k < 2:
            p.add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    d.save(buf)
    doc = read_bytes(_soffice(buf.getvalue(), ".docx", "pdf", tmp_path), "f.pdf")
    texts = [b.text for b in doc.blocks]
    assert texts == ["第1部分正文内容。", "第2部分正文内容。", "第3部分正文内容。"]
    assert [b.page for b in doc.blocks] == [1, 2, 3]


def test_pdf_damaged_inputs_fail_fast(corpus) -> None:
    data = (corpus / "forms" / "000-pdf.pdf").read_bytes()
    cases = {
        "truncated": data[: len(data) // 2],
        "truncated-with-eof": data[: len(data) // 2] + b"\n%%EOF\n",
        "garbage": b"%PDF-1.4\n" + bytes(range(256)) * 50 + b"\n%%EOF\n",
        "header-only": b"%PDF-1.7\n%%EOF\n",
    }
    for label, blob in cases.items():
        t0 = time.perf_counter()
        with pytest.raises(GongkaiError) as e:
            read_bytes(blob, f"{label}.pdf")
        assert time.perf_counter() - t0 < 5, label
        msg = str(e.value)
        assert f"{label}.pdf" in msg and "\n" not in msg and "PDF" in msg


@needs_soffice
def test_pdf_encrypted_is_an_error(merged_docx, tmp_path) -> None:
    opts = ('pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
            '"DocumentOpenPassword":{"type":"string","value":"secret"}}')
    pdf = _soffice(merged_docx, ".docx", opts, tmp_path)
    t0 = time.perf_counter()
    with pytest.raises(GongkaiError, match="加密"):
        read_bytes(pdf, "enc.pdf")
    assert time.perf_counter() - t0 < 5


# --- legacy office through LibreOffice ----------------------------------------------------------------

@needs_soffice
def test_doc_via_libreoffice(merged_docx, tmp_path) -> None:
    doc_bytes = _soffice(merged_docx, ".docx", "doc", tmp_path)
    doc = read_bytes(doc_bytes, "t.doc")
    assert doc.form == "doc"
    want = _tables(read_bytes(merged_docx, "t.docx"))
    got = _tables(doc)
    assert [_cellset(t) for t in got] == [_cellset(t) for t in want]


@needs_soffice
def test_xls_via_libreoffice(tmp_path) -> None:
    doc = read_bytes(_soffice(_xlsx_bytes(), ".xlsx", "xls", tmp_path), "t.xls")
    assert doc.form == "xls"
    assert _cellset(_tables(doc)[0]) == _cellset(_tables(read_bytes(_xlsx_bytes(), "t.xlsx"))[0])


def test_missing_libreoffice_says_how_to_install(monkeypatch) -> None:
    from gongkai.read import office

    monkeypatch.setattr(office, "soffice_path", lambda: None)
    with pytest.raises(GongkaiError, match="apt-get install libreoffice-writer libreoffice-calc"):
        header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 20 + b"\xfe\xff\x09\x00\x06\x00"
        read_bytes(header + b"\0" * 600, "old.doc")


@needs_soffice
def test_corrupt_doc_is_an_error() -> None:
    t0 = time.perf_counter()
    with pytest.raises(GongkaiError):
        read_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 20, "bad.doc")
    assert time.perf_counter() - t0 < 60


# --- XLSX -------------------------------------------------------------------------------------------

def _xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "某某县人民政府2020年政府信息公开工作年度报告"
    ws.merge_cells("A1:D1")
    for k, h in enumerate(HEAD):
        ws.cell(row=2, column=k + 1, value=h)
    ws["A3"] = "规章"
    ws.merge_cells("A3:A4")
    ws["B3"], ws["C3"], ws["D3"] = 0, 2.0, 3
    ws["B4"], ws["C4"], ws["D4"] = 5, 6, 7
    ws["A5"] = "政府集中采购"
    ws["B5"] = 137
    ws["C5"] = 6154570.5
    ws.merge_cells("C5:D5")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_merged_ranges_are_spans() -> None:
    doc = read_bytes(_xlsx_bytes(), "t.xlsx")
    assert doc.form == "xlsx"
    assert doc.blocks[0].kind == "para" and doc.blocks[0].text.startswith("某某县")
    t = _tables(doc)[0]
    cells = {(c.row, c.col): c for c in t.cells}
    assert (cells[(1, 0)].text, cells[(1, 0)].rowspan) == ("规章", 2)
    assert cells[(1, 2)].text == "2"  # whole floats read as integers
    assert (cells[(3, 2)].text, cells[(3, 2)].colspan) == ("6154570.5", 2)
    assert (2, 0) not in cells
    assert [c.text for c in t.rows()[0]] == HEAD


def test_xlsx_corrupt_is_an_error() -> None:
    data = _xlsx_bytes()
    with pytest.raises(GongkaiError):
        read_bytes(data[:300] + b"\0" * 100 + data[400:], "bad.xlsx")


# --- scans ------------------------------------------------------------------------------------------

def test_digit_fixes() -> None:
    from gongkai.read.ocr import drop_stray_quotes, fix_digits

    assert fix_digits("O") == "0"
    assert fix_digits("l0") == "10"
    assert fix_digits("0,") == "0"
    assert fix_digits("-3") == "-3"
    assert fix_digits("+6980") == "+6980"
    assert fix_digits("6154570.0") == "6154570.0"
    assert fix_digits("规章") == "规章"
    assert drop_stray_quotes("科研“机构") == "科研机构"
    assert drop_stray_quotes("3、危及“三安全一稳定”") == "3、危及“三安全一稳定”"


def test_corrupt_image_is_an_error() -> None:
    with pytest.raises(GongkaiError):
        read_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "bad.png")


@needs_soffice
@needs_tesseract
def test_scan_round_trip(merged_docx, merged_pdf) -> None:
    """Rasterise the LibreOffice PDF at 300 dpi (as a scanner would), then read it as an image
    and as an image-only PDF: same table cells as the DOCX."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(merged_pdf)
    img = pdf[0].render(scale=300 / 72, grayscale=True).to_pil()
    pdf.close()
    png = io.BytesIO()
    img.save(png, format="PNG", dpi=(300, 300))
    want = [_cellset(t) for t in _tables(read_bytes(merged_docx, "t.docx"))]
    doc = read_bytes(png.getvalue(), "scan.png")
    assert doc.form == "scan"
    got = _tables(doc)
    assert [_cellset(t) for t in got] == want
    assert all(0.0 <= b.confidence <= 1.0 for b in doc.blocks)
    scanned_pdf = io.BytesIO()
    img.save(scanned_pdf, format="PDF", resolution=300)
    doc2 = read_bytes(scanned_pdf.getvalue(), "scan.pdf")
    assert doc2.form == "scan"
    assert [_cellset(t) for t in _tables(doc2)] == want


# --- the shared forms corpus --------------------------------------------------------------------------

def _score(src: Path, gold: dict) -> tuple[int, list]:
    report = parse_path(src)
    got = report.values()

    def same(a: float | None, b: float | None) -> bool:
        return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)

    wrong = [(k, v, got.get(k, "<missing>")) for k, v in gold["cells"].items()
             if k not in got or not same(v, got[k])]
    return len(gold["cells"]), wrong


@pytest.mark.parametrize("src,gold", gold_pairs("forms", (".pdf", ".docx")), ids=lambda x: getattr(x, "stem", ""))
def test_forms_exact(corpus, src, gold) -> None:
    if "scan" in src.stem and not HAVE_TESSERACT:
        pytest.skip("Tesseract not installed")
    n, wrong = _score(src, gold)
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("stem", ["000-pdf", "001-pdf", "000-docx"])
def test_forms_tables_match_html_twin(corpus, stem) -> None:
    """The PDF/DOCX SourceDoc has the same tables, cell for cell, as the HTML of the same report."""
    seed = stem.split("-")[0]
    html = _tables(read_path(corpus / "forms" / f"{seed}-html.html"))
    src = next(p for p in (corpus / "forms").glob(f"{stem}.*") if not p.name.endswith(".gold.json"))
    other = read_path(src)
    assert [_cellset(t) for t in _tables(other)] == [_cellset(t) for t in html]
    assert all(b.page for b in other.blocks) or other.form == "docx"


@pytest.mark.slow
@needs_tesseract
def test_noisy_scans_mostly_read(corpus) -> None:
    """Noisy scans are not exact; keep them above a floor so a regression shows."""
    total = bad = 0
    for src, gold in gold_pairs("scans-noisy", (".pdf",)):
        n, wrong = _score(src, gold)
        total += n
        bad += len(wrong)
    assert total and (total - bad) / total >= 0.9
