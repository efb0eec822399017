"""Browser tests: Debian's chromium driven by Playwright against a real `gongkai serve` on loopback.

Screenshots go to artifacts/web/ (gitignored) for people to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEEDS = SHARED / "seeds"
REAL = SHARED / "real"
ART = ROOT / "artifacts" / "web"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium 不存在(apt-get install chromium)"),
    pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/corpus/seeds 不存在"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("web") / "corpus.db"
    # a corpus to browse: the seeds and the real 平潭 reports with their gold metadata
    from gongkai.web.data import Corpus
    from gongkai.web.demo import load_folder

    c = Corpus(str(db))
    load_folder(c, SEEDS)
    if REAL.is_dir():
        load_folder(c, REAL)
    c.close()
    port = _free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = (db.parent / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--db", str(db), "--host", "127.0.0.1",
                             "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(url + "/api/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.1)
            if proc.poll() is not None:
                raise RuntimeError((db.parent / "server.log").read_text(errors="replace"))
        else:
            raise RuntimeError("server did not start")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")  # type: ignore[attr-defined]
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield pg
    ctx.close()
    assert not errors, f"浏览器报错: {errors}"


def shot(pg: object, name: str, full: bool = True) -> None:
    ART.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ART / f"{name}.png"), full_page=full)  # type: ignore[attr-defined]


SEED_FILES = sorted(p for p in SEEDS.glob("*") if p.is_file() and not p.name.endswith(".json"))


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_upload_seed_shows_tables_findings_and_source(page: object, server: str, seed: Path) -> None:
    pg = page
    pg.goto(server + "/")  # type: ignore[attr-defined]
    t0 = time.perf_counter()
    pg.set_input_files("#files", str(seed))  # type: ignore[attr-defined]  # change -> upload
    pg.wait_for_selector(".result table.official td.v", timeout=15000)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - t0
    assert elapsed < 5, f"upload to tables took {elapsed:.1f}s"
    res = pg.locator(".result").first  # type: ignore[attr-defined]
    assert res.locator(".edition").inner_text().strip() != "未识别格式"
    n_cells = res.locator("td.v:not(.absent)").count()
    assert n_cells >= 50
    # findings: every one listed, and those tied to cells highlighted on their cells
    n_find = res.locator("li.finding").count()
    if n_find:
        assert res.locator("td.v.sev-error, td.v.sev-warning, td.v.sev-info").count() > 0 or \
            res.locator("li.finding[data-cells='']").count() == n_find
    # click a number that has a text span: the source panel and the highlighted span appear
    cell = res.locator("td.v[data-start]").nth(3)
    raw = cell.get_attribute("data-raw")
    cell.click()
    info = res.locator(".src-info")
    assert "数值" in info.inner_text()
    mark = res.locator("pre.srctext mark")
    assert mark.count() == 1
    assert raw is not None and (mark.inner_text().strip() == raw.strip() or raw.strip() in mark.inner_text())
    shot(pg, f"check-{seed.name[:3]}", full=False)
    # click a finding: its cells get outlined
    if res.locator("li.finding:not([data-cells=''])").count():
        res.locator("li.finding:not([data-cells=''])").first.click()
        assert res.locator("td.v.hl").count() >= 1


def test_several_files_and_bad_file(page: object, server: str, tmp_path: Path) -> None:
    pg = page
    bad = tmp_path / "virus.pdf"
    bad.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)
    evil = tmp_path / "evil.html"
    evil.write_text("<html><body><script>window.__pwned=1</script><img src=x onerror=alert(1)>"
                    "<table><tr><td>x", encoding="utf-8")
    pg.goto(server + "/")  # type: ignore[attr-defined]
    pg.set_input_files("#files", [str(SEED_FILES[0]), str(bad), str(evil)])  # type: ignore[attr-defined]
    pg.wait_for_selector(".result.failed", timeout=15000)  # type: ignore[attr-defined]
    assert pg.locator(".result:not(.failed)").count() == 1  # type: ignore[attr-defined]
    assert pg.locator(".result.failed").count() == 2  # type: ignore[attr-defined]
    text = pg.locator("#results").inner_text()  # type: ignore[attr-defined]
    assert "可执行程序" in text
    assert pg.evaluate("window.__pwned === undefined")  # type: ignore[attr-defined]
    shot(pg, "check-mixed", full=False)


def test_paste_text(page: object, server: str) -> None:
    pg = page
    pg.goto(server + "/")  # type: ignore[attr-defined]
    pg.click("details.paste summary")  # type: ignore[attr-defined]
    pg.fill("#text", SEED_FILES[2].read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    pg.click("#submit")  # type: ignore[attr-defined]
    pg.wait_for_selector(".result table.official", timeout=15000)  # type: ignore[attr-defined]
    assert "粘贴的文本" in pg.locator(".result .fname").inner_text()  # type: ignore[attr-defined]


def test_corpus_filter_report_and_compare(page: object, server: str) -> None:
    pg = page
    pg.goto(server + "/corpus")  # type: ignore[attr-defined]
    total = pg.locator("#report-list tbody tr").count()  # type: ignore[attr-defined]
    assert total >= 5
    shot(pg, "corpus")
    # region tree
    pg.click(".tree a:has-text('福建省')")  # type: ignore[attr-defined]
    pg.wait_for_url("**/corpus?region=*")  # type: ignore[attr-defined]
    n_region = pg.locator("#report-list tbody tr").count()  # type: ignore[attr-defined]
    assert 0 < n_region < total
    # year filter
    pg.goto(server + "/corpus")  # type: ignore[attr-defined]
    pg.select_option("select[name=year]", "2021")  # type: ignore[attr-defined]
    pg.click("#filters button[type=submit]")  # type: ignore[attr-defined]
    pg.wait_for_url("**year=2021**")  # type: ignore[attr-defined]
    years = pg.locator("#report-list tbody tr td:nth-child(2)").all_inner_texts()  # type: ignore[attr-defined]
    assert years and all(y == "2021" for y in years)
    # errors only
    pg.goto(server + "/corpus?has_errors=1")  # type: ignore[attr-defined]
    errs = pg.locator("#report-list tbody tr td:nth-child(7)").all_inner_texts()  # type: ignore[attr-defined]
    assert all(int(x) > 0 for x in errs)
    shot(pg, "corpus-errors")
    # a stored report page: click a number, see its source
    pg.goto(server + "/corpus?region=" + "福建省")  # type: ignore[attr-defined]
    pg.locator("#report-list tbody tr td:first-child a").first.click()  # type: ignore[attr-defined]
    pg.wait_for_selector("table.official td.v")  # type: ignore[attr-defined]
    pg.locator("td.v[data-start]").nth(5).click()  # type: ignore[attr-defined]
    assert pg.locator("pre.srctext mark").count() == 1  # type: ignore[attr-defined]
    shot(pg, "report", full=False)
    # agency page with charts
    pg.locator(".crumbs a[href^='/agency']").click()  # type: ignore[attr-defined]
    pg.wait_for_selector("#agency-reports")  # type: ignore[attr-defined]
    assert pg.locator("#agency-reports tbody tr").count() >= 3  # type: ignore[attr-defined]
    pg.wait_for_selector("canvas[data-ready='1']")  # type: ignore[attr-defined]
    shot(pg, "agency")
    # compare two consecutive years
    pg.locator("#agency-reports a:has-text('与上一份比较')").last.click()  # type: ignore[attr-defined]
    pg.wait_for_selector("#cmp-table")  # type: ignore[attr-defined]
    assert pg.locator("#cmp-table tr.diff").count() > 0  # type: ignore[attr-defined]
    assert pg.locator("#text-diff p").count() > 0  # type: ignore[attr-defined]
    shot(pg, "compare")
    pg.uncheck("#only-diff")  # type: ignore[attr-defined]
    assert pg.locator("#cmp-table tr.same").first.is_visible()  # type: ignore[attr-defined]


def test_overview_charts(page: object, server: str) -> None:
    pg = page
    pg.goto(server + "/overview")  # type: ignore[attr-defined]
    pg.wait_for_function("document.querySelectorAll(\"canvas[data-ready='1']\").length >= 5")  # type: ignore[attr-defined]
    shot(pg, "overview")
