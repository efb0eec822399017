"""Scanned reports: page images -> Tesseract (chi_sim) word boxes -> lines and table cells.

Ruling lines are found in the image itself (long dark runs), turned into cell boxes with
the same intersection finder the PDF reader uses, then erased before OCR so they are not
read as "|" or "1" and do not glue neighbouring cells' words together. Words are placed
into the cells by position; numeric cells get the usual OCR letter/digit confusions fixed
and every block keeps its mean word confidence so checks can flag doubtful digits.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time

from ..model import GongkaiError
from .base import SourceDoc
from .grid import Box, boxes_from_segments, group_boxes
from .layout import Glyph, cell_text, glyphs_to_lines
from .paged import Page, PageTable, assemble, fill_boxes, find_text_tables

DPI = int(os.environ.get("GONGKAI_OCR_DPI", "300"))
MAX_OCR_PAGES = 100
PAGE_TIMEOUT = 120.0  # seconds for one tesseract run
TIME_LIMIT = float(os.environ.get("GONGKAI_OCR_TIMEOUT", "1200"))  # whole document
LANG = os.environ.get("GONGKAI_OCR_LANG", "chi_sim")
PSM = os.environ.get("GONGKAI_OCR_PSM", "6")


def _tesseract() -> str:
    exe = shutil.which("tesseract")
    if not exe:
        raise GongkaiError("扫描件需要 OCR,但未安装 Tesseract:请运行 apt-get install tesseract-ocr "
                           "tesseract-ocr-chi-sim")
    return exe


# --- image preparation --------------------------------------------------------------------------

def _otsu(hist: list[int]) -> int:
    total = sum(hist)
    sum_all = sum(i * h for i, h in enumerate(hist))
    w0 = s0 = 0.0
    best, best_t = -1.0, 128
    for t in range(256):
        w0 += hist[t]
        if w0 == 0 or w0 == total:
            continue
        s0 += t * hist[t]
        m0, m1 = s0 / w0, (sum_all - s0) / (total - w0)
        between = w0 * (total - w0) * (m0 - m1) ** 2
        if between > best:
            best, best_t = between, t
    return best_t


def _skew_angle(img) -> float:  # noqa: ANN001 - PIL image (binary, small)
    """Angle (degrees) that makes text rows and rules horizontal: maximise row-profile variance."""
    import numpy as np

    best, best_a = -1.0, 0.0
    for tenth in range(-30, 31, 2):
        a = tenth / 10
        rot = img.rotate(a, fillcolor=0) if a else img
        rows = np.asarray(rot, dtype=np.float32).sum(axis=1)
        score = float(np.var(rows))
        if score > best:
            best, best_a = score, a
    if best_a:  # refine around the best coarse angle
        for hundredth in range(int(best_a * 100) - 15, int(best_a * 100) + 16, 5):
            a = hundredth / 100
            rows = np.asarray(img.rotate(a, fillcolor=0), dtype=np.float32).sum(axis=1)
            score = float(np.var(rows))
            if score > best:
                best, best_a = score, a
    return best_a


def prepare(img):  # noqa: ANN001, ANN201 - PIL image in, PIL "L" image out
    """Grey, despeckled, deskewed, with a clean white background."""
    from PIL import Image, ImageFilter, ImageOps

    g = ImageOps.exif_transpose(img).convert("L")
    if g.getextrema()[0] > 200:  # nearly blank page
        return g
    # no median filter: it erases the 1-px rules of a 200 dpi scan rendered at 300 dpi
    t = _otsu(g.filter(ImageFilter.MedianFilter(3)).histogram())
    small = g.resize((max(1, g.width // 4), max(1, g.height // 4)))
    ink = small.point(lambda v: 255 if v < t else 0)
    angle = _skew_angle(ink)
    if abs(angle) >= 0.05:
        g = g.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    # flatten a grey/speckled background to white, keep ink
    return g.point(lambda v: 255 if v > min(250, t + 40) else v)


# --- ruling lines ---------------------------------------------------------------------------------

def _runs(dark, min_len: int, gap: int) -> list[tuple[int, int, int]]:  # noqa: ANN001 - numpy bool 2-D
    """Horizontal dark runs (row, start, end) of at least min_len, bridging gaps <= gap."""
    import numpy as np

    h, w = dark.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = dark
    d = np.diff(padded, axis=1)
    sr, sc = np.nonzero(d == 1)
    er, ec = np.nonzero(d == -1)
    keep = (ec - sc) >= max(4, gap)
    sr, sc, ec = sr[keep], sc[keep], ec[keep]
    out: list[tuple[int, int, int]] = []
    cur_r, cur_s, cur_e = -1, 0, 0
    for r, s, e in zip(sr.tolist(), sc.tolist(), ec.tolist(), strict=True):
        if r == cur_r and s - cur_e <= gap:
            cur_e = e
            continue
        if cur_r >= 0 and cur_e - cur_s >= min_len:
            out.append((cur_r, cur_s, cur_e))
        cur_r, cur_s, cur_e = r, s, e
    if cur_r >= 0 and cur_e - cur_s >= min_len:
        out.append((cur_r, cur_s, cur_e))
    return out


def _merge_runs(strong: list[tuple[int, int, int]], faint: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Strong runs plus the faint ones on pixel rows that hold no strong run."""
    rows = {r for r, _, _ in strong}
    return strong + [f for f in faint if f[0] not in rows and f[0] - 1 not in rows and f[0] + 1 not in rows]


FAINT_INK = 110  # ink (255 - grey) summed over three pixel rows/columns that makes a faint rule


def find_rules(gray, dpi: float, noisy: bool = False):  # noqa: ANN001, ANN201
    """Horizontal (y, x0, x1) and vertical (x, top, bottom) ruling segments, in pixels.

    Noisy scans have broken, blurred rules: bridge wider gaps and accept looser crossings."""
    import numpy as np

    a = np.asarray(gray)
    dark = a < 160
    gap = max(2, int(dpi / 60))
    h = _runs(dark, int(dpi * 0.35), gap)
    v = _runs(dark.T, int(dpi * 0.12), gap if noisy else max(1, int(dpi / 150)))
    if not noisy:
        # a thin grey rule that resampling or JPEG smeared over two pixel rows (values ~190) has
        # as much ink across three rows as one dark pixel; it must be unbroken (a run of text
        # always has gaps between characters). Speckled pages would grow false rules: clean only.
        ink = 255 - a.astype(np.int16)
        across_rows = ink.copy()
        across_rows[1:] += ink[:-1]
        across_rows[:-1] += ink[1:]
        across_cols = ink.copy()
        across_cols[:, 1:] += ink[:, :-1]
        across_cols[:, :-1] += ink[:, 1:]
        h = _merge_runs(h, _runs(across_rows > FAINT_INK, int(dpi * 0.35), 1))
        v = _merge_runs(v, _runs((across_cols > FAINT_INK).T, int(dpi * 0.12), 1))
    hs = [(float(r), float(s), float(e)) for r, s, e in h]
    vs = [(float(c), float(s), float(e)) for c, s, e in v]
    # a vertical rule runs between horizontal ones; glyph strokes do not
    # a rule's run ends on the crossing line; glyph strokes stop short of it
    tol = dpi / 40 if noisy else max(2.0, dpi / 100)
    ys = sorted({round(y) for y, _, _ in hs})

    def near_h(y: float, x: float) -> bool:
        return any(abs(hy - y) <= tol and x0 - tol <= x <= x1 + tol for hy, x0, x1 in hs
                   if abs(hy - y) <= tol)

    vs = [s for s in vs if ys and near_h(s[1], s[0]) and near_h(s[2], s[0])]
    return hs, vs


def _erase(gray, hs, vs, dpi: float):  # noqa: ANN001, ANN201
    """A copy with the ruling lines painted white (they confuse OCR)."""
    from PIL import ImageDraw

    out = gray.copy()
    dr = ImageDraw.Draw(out)
    pad = max(2, int(dpi / 75))
    for y, x0, x1 in hs:
        dr.rectangle([x0 - pad, y - pad, x1 + pad, y + pad], fill=255)
    for x, t, b in vs:
        dr.rectangle([x - pad, t - pad, x + pad, b + pad], fill=255)
    return out


def speckle_ratio(gray) -> float:  # noqa: ANN001
    """Share of ink pixels with at most one inked neighbour: high on noisy scans."""
    import numpy as np

    d = np.asarray(gray) < 128
    total = int(d.sum())
    if not total:
        return 0.0
    p = np.pad(d, 1).astype(np.uint8)
    n = sum(np.roll(np.roll(p, dy, 0), dx, 1) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)
    return float((d & (n[1:-1, 1:-1] <= 1)).sum()) / total


def _box_count(d, k: int):  # noqa: ANN001, ANN202
    """Number of set pixels in the k x k window centred on each pixel (k odd)."""
    import numpy as np

    r = k // 2
    p = np.pad(d.astype(np.int32), ((r + 1, r), (r + 1, r)))
    ii = p.cumsum(0).cumsum(1)
    h, w = d.shape
    return ii[k:k + h, k:k + w] - ii[0:h, k:k + w] - ii[k:k + h, 0:w] + ii[0:h, 0:w]


def despeckle(gray, dpi: float):  # noqa: ANN001, ANN201
    """Erase specks: ink blobs that fit in a small window with clear paper all around them.

    Median filtering would also eat the 1-px rules and thin strokes; this only removes blobs
    smaller than a decimal point."""
    import numpy as np
    from PIL import Image

    a = np.asarray(gray)
    d = a < 200
    k = max(3, int(dpi / 60) | 1)
    inner = _box_count(d, k)
    outer = _box_count(d, k + 4)
    seed = (inner > 0) & (inner == outer)
    kill = _box_count(seed, k) > 0
    out = a.copy()
    out[kill & d] = 255
    return Image.fromarray(out)


def denoise(g, dpi: float = 300):  # noqa: ANN001, ANN201
    """Specks removed, then a light median for the grain left around the strokes."""
    from PIL import ImageFilter

    return despeckle(g, dpi).filter(ImageFilter.MedianFilter(3))


# --- tesseract ------------------------------------------------------------------------------------

def tesseract_batch(images: list, label: str, timeout: float = PAGE_TIMEOUT) -> list[list[Glyph]]:  # noqa: ANN001
    """Word boxes (pixels, confidence 0..1) for several images in one Tesseract run.

    Tesseract reads a list file as a multi-page job, so the language model loads once per
    page instead of once per table cell."""
    import tempfile

    if not images:
        return []
    exe = _tesseract()
    with tempfile.TemporaryDirectory(prefix="gongkai-ocr-") as tmp:
        paths = []
        for k, im in enumerate(images):
            path = os.path.join(tmp, f"{k:05d}.png")
            im.save(path, format="PNG")
            paths.append(path)
        listing = os.path.join(tmp, "list.txt")
        with open(listing, "w", encoding="utf-8") as fh:
            fh.write("\n".join(paths) + "\n")
        cmd = [exe, listing, "stdout", "-l", LANG, "--psm", PSM, "tsv"]
        env = dict(os.environ, OMP_THREAD_LIMIT=os.environ.get("OMP_THREAD_LIMIT", "1"))
        try:
            res = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise GongkaiError(f"{label}: OCR 识别超时(单页超过 {timeout:.0f} 秒)") from None
    if res.returncode != 0:
        err = res.stderr.decode("utf-8", "replace").strip().splitlines()
        tail = err[-1] if err else f"退出码 {res.returncode}"
        if LANG in tail or "language" in tail.lower():
            raise GongkaiError(f"{label}: OCR 缺少中文语言包:请运行 apt-get install tesseract-ocr-chi-sim")
        raise GongkaiError(f"{label}: OCR 识别失败({tail})")
    out: list[list[Glyph]] = [[] for _ in images]
    for row in res.stdout.decode("utf-8", "replace").splitlines():
        f = row.split("\t")
        if len(f) < 12 or f[0] != "5":
            continue
        text = f[11].strip()
        page = int(f[1]) - 1
        if not text or not 0 <= page < len(out):
            continue
        left, top, width, height = (int(float(x)) for x in f[6:10])
        conf = max(0.0, min(1.0, float(f[10]) / 100))
        out[page].append(Glyph(text, left, top, left + width, top + height, conf))
    return out


def tesseract_words(img, label: str, timeout: float = PAGE_TIMEOUT) -> list[Glyph]:  # noqa: ANN001
    """Word boxes of one image."""
    return tesseract_batch([img], label, timeout)[0]


# --- digits -------------------------------------------------------------------------------------

_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "〇": "0", "l": "1", "I": "1",
                            "|": "1", "i": "1", "!": "1", "]": "1", "[": "1", "S": "5", "s": "5",
                            "B": "8", "Z": "2", "z": "2", "g": "9", "q": "9", "G": "6", "b": "6",
                            "，": ",", "。": ".", "．": "."})
_JUNK = ".,，。:：;；'\"‘’“”_~、·`"
_NUMERIC = re.compile(r"^[+\-—]?\d[\d,.]*%?$")
_FIXABLE = re.compile(r"^[+\-—]?[\dOoDQ〇lI|i!\]\[SsBZzgqGb,.，。．]+%?$")


def fix_digits(text: str) -> str:
    """A cell that is a number misread with look-alike letters -> the number."""
    t = text.replace(" ", "")
    core = t.strip(_JUNK).rstrip("-—")
    if core and _NUMERIC.match(core) and len(core) >= len(t) - 2:
        t = core  # specks read as punctuation around a number
    if not t or _NUMERIC.match(t):
        return t if t else text
    if _FIXABLE.match(t):
        fixed = t.translate(_DIGIT_FIX)
        if _NUMERIC.match(fixed) and (any(c.isdigit() for c in t) or len(t) <= 2):
            return fixed
    return text


def drop_stray_quotes(text: str) -> str:
    """Remove quote marks that pair with nothing: Tesseract's chi_sim model invents them at
    the start of a cell's second line."""
    if not any(q in text for q in "“”"):
        return text
    out: list[str] = []
    open_at: int | None = None
    for ch in text:
        if ch == "“":
            if open_at is not None:
                out[open_at] = ""
            open_at = len(out)
        elif ch == "”":
            if open_at is None:
                continue
            open_at = None
        out.append(ch)
    if open_at is not None:
        out[open_at] = ""
    return "".join(out)


# --- one page -------------------------------------------------------------------------------------

def _blank(img, dpi: float) -> bool:  # noqa: ANN001
    """No ink worth reading (an empty cell, or only specks)."""
    import numpy as np

    return int((np.asarray(img) < 128).sum()) < 20 * (dpi / 300) ** 2


def ocr_page(img, number: int, dpi: float, label: str) -> Page:  # noqa: ANN001 - PIL image
    """OCR one page image into a `Page` in points (so paged assembly works as for PDFs).

    A clean page is read in one pass and words are placed into cells by position (whole
    lines give Tesseract the most context). On a noisy page Tesseract's word boxes stretch
    over the specks and across cells, so each cell is cut out and read on its own.
    """
    g = prepare(img)
    scale = 72.0 / dpi
    mode = os.environ.get("GONGKAI_OCR_DENOISE", "auto")
    noisy = mode == "1" or (mode == "auto" and speckle_ratio(g) >= 0.01)
    hs, vs = find_rules(g, dpi, noisy)
    tol = dpi / 40  # ~2 pt
    boxes = [b for b in boxes_from_segments(hs, vs, tol)
             if b.x1 - b.x0 > dpi * 0.08 and b.bottom - b.top > dpi * 0.08]
    erased = _erase(g, hs, vs, dpi) if hs or vs else g
    groups = group_boxes(boxes, tol)
    if noisy:
        words = _read_cells_apart(denoise(erased, dpi), groups, dpi, label)
    else:
        words = tesseract_words(erased, label)
    glyphs = [Glyph(w.text, w.x0 * scale, w.top * scale, w.x1 * scale, w.bottom * scale, w.conf) for w in words]
    page = Page(number, g.width * scale, g.height * scale)
    for group in groups:
        for b in group:
            b.x0, b.top, b.x1, b.bottom = b.x0 * scale, b.top * scale, b.x1 * scale, b.bottom * scale
    taken: set[int] = set()
    for group in groups:
        if not noisy:
            gx0, gx1 = min(b.x0 for b in group), max(b.x1 for b in group)
            gt, gb = min(b.top for b in group), max(b.bottom for b in group)
            members = [i for i, w in enumerate(glyphs)
                       if gx0 <= (w.x0 + w.x1) / 2 <= gx1 and gt <= (w.top + w.bottom) / 2 <= gb]
            taken.update(members)
            fill_boxes(group, glyphs_to_lines([glyphs[i] for i in members]))
        for b in group:
            b.text = fix_digits(drop_stray_quotes(b.text))
        page.tables.append(PageTable(group, number))
    if not noisy:
        _second_look(erased, groups, dpi, label)
    page.lines = glyphs_to_lines([w for i, w in enumerate(glyphs) if i not in taken])
    find_text_tables(page)
    return page


_NUMBER = re.compile(r"^[+\-]?\d[\d,.]*$")


def _cell_crop(img, b: Box, dpi: float, scale: float = 1.0):  # noqa: ANN001, ANN202
    """The inside of a cell box (box units * scale = pixels) with a white margin for Tesseract,
    or None when the cell is blank or too small."""
    from PIL import ImageOps

    inset = max(2, int(dpi / 60))
    crop = img.crop((int(b.x0 * scale) + inset, int(b.top * scale) + inset,
                     int(b.x1 * scale) - inset, int(b.bottom * scale) - inset))
    if crop.width < 4 or crop.height < 4 or _blank(crop, dpi):
        return None
    return ImageOps.expand(crop, border=int(dpi / 15), fill=255)


def _second_look(erased, groups: list[list[Box]], dpi: float, label: str) -> None:  # noqa: ANN001
    """Re-read, each on its own, the inked cells that came out as no number in a row or a column
    of numbers.

    In a tall row (a label wrapped over several lines) a one-pass read can attach the digits to
    the label's text line and lose them; a cell crop read alone gets them back."""
    todo: list[Box] = []
    crops: list = []
    for group in groups:
        for b in group:
            if _NUMBER.match(b.text.strip()):
                continue
            row = [o for o in group if o is not b and abs(o.top - b.top) < 2 and abs(o.bottom - b.bottom) < 2]
            col = [o for o in group if o is not b and abs(o.x0 - b.x0) < 2 and abs(o.x1 - b.x1) < 2]
            if sum(1 for o in row if _NUMBER.match(o.text.strip())) < 2 and \
                    sum(1 for o in col if _NUMBER.match(o.text.strip())) < 3:
                continue
            crop = _cell_crop(erased, b, dpi, dpi / 72.0)  # boxes are in points by now
            if crop is not None:
                todo.append(b)
                crops.append(crop)
    if not crops:
        return
    for b, words in zip(todo, tesseract_batch(crops, label), strict=True):
        text = fix_digits(cell_text(glyphs_to_lines(words)))
        if _NUMBER.match(text.strip()):
            b.text = text
            b.conf = [w.conf for w in words] or [0.0]


def _read_cells_apart(clean, groups: list[list[Box]], dpi: float, label: str) -> list[Glyph]:  # noqa: ANN001
    """OCR every non-blank cell crop (one batched Tesseract run) and set the boxes' text;
    returns the words of the page outside the tables."""
    from PIL import ImageDraw

    text_img = clean.copy()
    draw = ImageDraw.Draw(text_img)
    inset = max(2, int(dpi / 60))
    crops: list = []
    owners: list[Box] = []
    for group in groups:
        draw.rectangle([min(b.x0 for b in group) - inset, min(b.top for b in group) - inset,
                        max(b.x1 for b in group) + inset, max(b.bottom for b in group) + inset], fill=255)
        for b in group:
            crop = _cell_crop(clean, b, dpi)
            if crop is not None:
                crops.append(crop)
                owners.append(b)
    results = tesseract_batch([text_img, *crops], label)
    for b, words in zip(owners, results[1:], strict=True):
        b.text = cell_text(glyphs_to_lines(words))
        b.conf = [w.conf for w in words] or [0.0]
    return results[0]


# --- documents ------------------------------------------------------------------------------------

def ocr_pdf_pages(data: bytes, indices: list[int], name: str,
                  dpis: dict[int, float] | None = None) -> tuple[list[Page], list[str]]:
    """Rasterise the given (0-based) PDF pages with pdfium and OCR them.

    Pages render at 300 dpi (measured best on 200 dpi scans: 200 dpi loses thin rules and
    small glyphs), or at the scan's own resolution when that is higher (up to 400)."""
    import pypdfium2 as pdfium

    label = name or "PDF 文件"
    _tesseract()
    notes: list[str] = []
    if len(indices) > MAX_OCR_PAGES:
        notes.append(f"扫描页共 {len(indices)} 页,仅识别前 {MAX_OCR_PAGES} 页")
        indices = indices[:MAX_OCR_PAGES]
    deadline = time.monotonic() + TIME_LIMIT
    pages: list[Page] = []
    doc = pdfium.PdfDocument(data)
    try:
        for i in indices:
            if time.monotonic() > deadline:
                raise GongkaiError(f"{label}: OCR 超时(超过 {TIME_LIMIT:.0f} 秒,已识别 {len(pages)} 页)")
            native = (dpis or {}).get(i, 0.0)
            dpi = min(400.0, float(round(native))) if native > DPI else float(DPI)
            img = doc[i].render(scale=dpi / 72, grayscale=True).to_pil()
            pages.append(ocr_page(img, i + 1, dpi, label))
    finally:
        doc.close()
    low = [p.number for p in pages if _page_conf(p) < 0.75]
    if pages:
        notes.append("内容来自 OCR 识别,数字可能有误")
    if low:
        notes.append(f"OCR 置信度低的页: {', '.join(map(str, low))}")
    return pages, notes


def _page_conf(p: Page) -> float:
    confs = [g.conf for ln in p.lines for g in ln.glyphs] + [c for t in p.tables for b in t.boxes for c in b.conf]
    return sum(confs) / len(confs) if confs else 1.0


def read_image(data: bytes, name: str) -> SourceDoc:
    """An image (or multi-page TIFF) of a report."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    label = name or "图片"
    _tesseract()
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as e:
        raise GongkaiError(f"{label}: 图片已损坏或格式不支持({type(e).__name__})") from None
    deadline = time.monotonic() + TIME_LIMIT
    pages: list[Page] = []
    notes: list[str] = []
    for k, frame in enumerate(ImageSequence.Iterator(im)):
        if k >= MAX_OCR_PAGES:
            notes.append(f"图片超过 {MAX_OCR_PAGES} 页,仅识别前 {MAX_OCR_PAGES} 页")
            break
        if time.monotonic() > deadline:
            raise GongkaiError(f"{label}: OCR 超时(超过 {TIME_LIMIT:.0f} 秒)")
        dpi = _image_dpi(frame)
        page_img = frame.convert("L")
        if dpi < float(os.environ.get("GONGKAI_OCR_UPSCALE_BELOW", "250")):  # small scans read better upscaled
            f = 300 / dpi
            page_img = page_img.resize((int(page_img.width * f), int(page_img.height * f)), Image.LANCZOS)
            dpi = 300.0
        pages.append(ocr_page(page_img, k + 1, dpi, label))
    blocks = assemble(pages)
    notes.append("内容来自 OCR 识别,数字可能有误")
    low = [p.number for p in pages if _page_conf(p) < 0.75]
    if low:
        notes.append(f"OCR 置信度低的页: {', '.join(map(str, low))}")
    return SourceDoc(blocks, "scan", name or None, notes=notes)


def _image_dpi(img) -> float:  # noqa: ANN001
    """The image's resolution: stored DPI, else guessed from an A4 page width."""
    info = img.info.get("dpi")
    if info and info[0] and 70 <= float(info[0]) <= 1200:
        return float(info[0])
    return max(72.0, min(600.0, img.width / 8.27))  # A4 portrait is 8.27 in wide
