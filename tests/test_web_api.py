"""The JSON API and pages through FastAPI's TestClient: every endpoint, bad uploads, permissions."""

from __future__ import annotations

import io
import json
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from gongkai.web import create_app
from gongkai.web.data import Corpus
from gongkai.web.demo import load_folder

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SEEDS = SHARED / "seeds"
REAL = SHARED / "real"
FORMS = SHARED / "forms"

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/corpus/seeds 不存在")

SEED_FILES = sorted(p for p in SEEDS.glob("*") if p.is_file() and not p.name.endswith(".json"))


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("api") / "corpus.db"
    c = Corpus(str(path))
    load_folder(c, SEEDS)
    if REAL.is_dir():
        load_folder(c, REAL)
    c.close()
    return str(path)


@pytest.fixture(scope="module")
def client(db: str) -> Iterator[TestClient]:
    with TestClient(create_app(db), raise_server_exceptions=False) as c:
        yield c


def count(client: TestClient) -> int:
    return client.get("/api/health").json()["reports"]


def up(name: str, data: bytes, ctype: str = "application/octet-stream") -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, data, ctype))]


def assert_healthy(client: TestClient, n: int) -> None:
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"
    assert r.json()["reports"] == n, "nothing may be stored by a rejected upload"


# ---------------------------------------------------------------- basics


def test_health_rules_editions_openapi(client: TestClient) -> None:
    h = client.get("/api/health").json()
    assert h["database"] == "ok" and h["reports"] >= 5 and h["writes"] == "open"
    rules = client.get("/api/rules").json()
    assert any(r["code"] == "GK101" for r in rules)
    eds = client.get("/api/editions").json()
    assert {e["name"] for e in eds} == {"2021", "2019", "legacy"}
    e = client.get("/api/editions/2021").json()
    assert e["labels"]["s3.new.total"].startswith("一、本年新收")
    assert client.get("/api/editions/1999").status_code == 404
    spec = client.get("/openapi.json").json()
    for path in ("/api/check", "/api/reports", "/api/reports/{report_id}", "/api/compare", "/api/overview",
                 "/api/agency", "/api/regions", "/api/facets"):
        assert path in spec["paths"]
    r = client.get("/")
    assert "content-security-policy" in r.headers and r.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_check_each_seed(client: TestClient, seed: Path) -> None:
    from gongkai import parse_bytes

    n = count(client)
    r = client.post("/api/check", files=up(seed.name, seed.read_bytes(), "text/plain"))
    assert r.status_code == 200
    res = r.json()["results"][0]
    assert res["ok"] and res["name"] == seed.name
    expected = parse_bytes(seed.read_bytes(), seed.name)
    assert res["contract"]["cells"] == expected.values()
    view = res["report"]
    assert view["edition"] == expected.edition and view["sections"]
    cells = [c for s in view["sections"] for t in s["tables"] for row in t["rows"] for c in row["cells"]]
    assert sum(not c["absent"] for c in cells) >= 50
    with_src = [c for c in cells if c["source"] and "start" in c["source"]]
    assert with_src and all(view["text"][c["source"]["start"]:c["source"]["end"]].strip() for c in with_src[:20])
    # every finding tied to cells marks those cells
    marked = {c["id"] for c in cells if c["severity"]}
    for f in view["findings"]:
        in_tables = [cid for cid in f["cells"] if any(c["id"] == cid for c in cells)]
        assert set(in_tables) <= marked
    assert count(client) == n  # checking stores nothing
    # downloads
    tok = res["token"]
    d = client.get(f"/api/check/{tok}/data.json")
    assert d.status_code == 200 and json.loads(d.content)["cells"] == res["contract"]["cells"]
    for what in ("data.xlsx", "findings.xlsx"):
        x = client.get(f"/api/check/{tok}/{what}")
        assert x.status_code == 200 and x.content[:2] == b"PK"
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(x.content))
        assert wb.active.max_row >= 1
    assert client.get(f"/api/check/{tok}").json()["token"] == tok
    assert client.get(f"/check/{tok}").status_code == 200
    assert client.get(f"/api/check/{tok}/data.csv").status_code == 404


def test_check_text_several_files_and_zip(client: TestClient) -> None:
    r = client.post("/api/check", data={"text": SEED_FILES[1].read_text(encoding="utf-8")})
    assert r.status_code == 200 and r.json()["results"][0]["name"] == "粘贴的文本"
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEED_FILES[:3]]
    r = client.post("/api/check", files=files)
    assert [x["ok"] for x in r.json()["results"]] == [True] * 3
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for p in SEED_FILES[:2]:
            zf.writestr(p.name, p.read_bytes())
        zf.writestr("x.gold.json", "{}")
    r = client.post("/api/check", files=up("batch.zip", buf.getvalue()))
    assert r.status_code == 200 and len(r.json()["results"]) == 2


@pytest.mark.skipif(not FORMS.is_dir(), reason="shared/corpus/forms 不存在")
def test_check_html_and_docx_forms(client: TestClient) -> None:
    import importlib.util

    names = ["000-html.html", "000-gbk.html", "000-messy.html"]
    if importlib.util.find_spec("gongkai.read.docx"):  # the DOCX reader may not be there yet
        names.append("000-docx.docx")
    for name in names:
        p = FORMS / name
        r = client.post("/api/check", files=up(p.name, p.read_bytes()))
        assert r.status_code == 200, r.text
        assert r.json()["results"][0]["report"]["n_cells"] > 50


def test_untrusted_content_is_escaped(client: TestClient) -> None:
    html = (FORMS / "000-html.html").read_bytes() if FORMS.is_dir() else None
    text = SEED_FILES[0].read_text(encoding="utf-8")
    evil = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    body = (html.replace(b"</body>", f"<p>{evil}</p></body>".encode()) if html
            else (evil + "\n" + text).encode("utf-8"))
    r = client.post("/check", files=up("<b>名字</b>.html", body), headers={"X-Fragment": "1"})
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "<img src=x" not in r.text and "<b>名字" not in r.text
    r = client.post("/check", data={"text": evil + "\n" + text}, headers={"X-Fragment": "1"})
    assert r.status_code == 200 and "&lt;script&gt;" in r.text and "<script>alert" not in r.text


# ---------------------------------------------------------------- bad uploads


def _zip_bomb(size: int = 300 * 1024 * 1024) -> bytes:
    buf = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf, \
            zf.open("report.txt", "w", force_zip64=True) as fh:
        for _ in range(size // len(chunk)):
            fh.write(chunk)
    return buf.getvalue()


def _docx_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            for _ in range(150):
                fh.write(b" " * (1024 * 1024))
    return buf.getvalue()


BAD = {
    "empty": (up("empty.txt", b""), 400),
    "oversize": (up("big.txt", b"1" * (21 * 1024 * 1024)), 413),
    "exe-as-pdf": (up("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 4096 + b"This program cannot be run"), 415),
    "elf": (up("report.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 2000), 415),
    "malformed-html": (up("page.html", b"<html><head><script>alert(1)</script></head><body><table><tr><td>1<td>"
                                        b"<script>document.write('x')</script><div><p><<<>>>"), 422),
    "junk-binary": (up("r.txt", bytes(range(1, 9)) * 1000), 415),
    "nested-zip": (None, 415),
}


@pytest.mark.parametrize("case", sorted(BAD) + ["zip-bomb", "docx-bomb"])
@pytest.mark.parametrize("endpoint", ["/api/reports", "/api/check"])
def test_bad_uploads_rejected(client: TestClient, case: str, endpoint: str) -> None:
    n = count(client)
    if case == "zip-bomb":
        files, status = up("bomb.zip", _zip_bomb()), 413
    elif case == "docx-bomb":
        files, status = up("bomb.docx", _docx_bomb()), 413
    elif case == "nested-zip":
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as zf:
            zf.writestr("a.txt", "x")
        outer = io.BytesIO()
        with zipfile.ZipFile(outer, "w") as zf:
            zf.writestr("inner.zip", inner.getvalue())
        files, status = up("outer.zip", outer.getvalue()), 415
    else:
        files, status = BAD[case]
    r = client.post(endpoint, files=files)
    assert r.status_code == status, r.text
    body = r.json()
    msg = body.get("error") or body["results"][0]["error"]
    assert msg and not msg.isascii(), "a Chinese message"
    assert "Traceback" not in r.text
    assert_healthy(client, n)


def test_request_limits(client: TestClient) -> None:
    n = count(client)
    # 200 MB body: refused by its Content-Length before it is read
    big = b"0" * (200 * 1024 * 1024)
    r = client.post("/api/reports", files=up("huge.pdf", big))
    assert r.status_code == 413 and "过大" in r.json()["error"]
    del big
    # streamed without Content-Length: cut off while reading

    def gen() -> Iterator[bytes]:
        yield b'--zz\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\n'
        for _ in range(500):
            yield b"x" * (1024 * 1024)
        yield b"\r\n--zz--\r\n"

    r = client.post("/api/check", content=gen(), headers={"content-type": "multipart/form-data; boundary=zz"})
    assert r.status_code == 413
    r = client.post("/api/check", files=[("files", (f"{i}.txt", b"abc", "text/plain")) for i in range(25)])
    assert r.status_code in (400, 413) and r.json()["error"]
    r = client.post("/api/check", content=b'{"x":1}', headers={"content-type": "application/json"})
    assert r.status_code == 415
    r = client.post("/api/check", files=[("other", ("a.txt", b"x", "text/plain"))])
    assert r.status_code == 400 and "没有收到" in r.json()["error"]
    r = client.post("/check", files=up("empty.txt", b""), headers={"X-Fragment": "1"})
    assert r.status_code == 400 and "文件为空" in r.text and "<html" not in r.text
    assert_healthy(client, n)


# ---------------------------------------------------------------- permissions


def test_read_only_and_token(db: str, tmp_path: Path) -> None:
    seed = SEED_FILES[0]
    with TestClient(create_app(db, read_only=True), raise_server_exceptions=False) as ro:
        n = count(ro)
        r = ro.post("/api/reports", files=up(seed.name, seed.read_bytes()))
        assert r.status_code == 403 and "只读" in r.json()["error"]
        assert ro.post("/api/check?store=true", files=up(seed.name, seed.read_bytes())).status_code == 403
        assert ro.post("/api/check", files=up(seed.name, seed.read_bytes())).status_code == 200
        r = ro.post("/check", files=up(seed.name, seed.read_bytes()), data={"store": "1"})
        assert r.status_code == 403
        assert count(ro) == n and ro.get("/api/health").json()["writes"] == "disabled"
    with TestClient(create_app(str(tmp_path / "t.db"), token="s3cret"), raise_server_exceptions=False) as tc:
        assert tc.post("/api/reports", files=up(seed.name, seed.read_bytes())).status_code == 401
        r = tc.post("/api/reports", files=up(seed.name, seed.read_bytes()), headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401
        assert count(tc) == 0
        r = tc.post("/api/reports", files=up(seed.name, seed.read_bytes()),
                    headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 201 and r.json()["results"][0]["stored_id"] == 1
        r = tc.post("/api/reports", files=up(seed.name, seed.read_bytes()), headers={"X-Gongkai-Token": "s3cret"})
        assert r.status_code == 201 and r.json()["results"][0]["stored_new"] is False
        r = tc.post("/api/reports", files=up("x.txt", SEED_FILES[1].read_bytes()),
                    headers={"Authorization": "Bearer s3cret", "Origin": "http://evil.example"})
        assert r.status_code == 403
        r = tc.post("/check", files=up(SEED_FILES[2].name, SEED_FILES[2].read_bytes()),
                    data={"store": "1", "token": "s3cret"})
        assert r.status_code == 200 and "已存入语料库" in r.text
        assert count(tc) == 2


def test_store_upload_and_concurrency(tmp_path: Path) -> None:
    """Concurrent uploads into one SQLite file: every one stored, none lost, no errors."""
    app = create_app(str(tmp_path / "c.db"))
    errors: list[str] = []
    with TestClient(app, raise_server_exceptions=False) as c:
        def work(i: int) -> None:
            seed = SEED_FILES[i % len(SEED_FILES)]
            data = seed.read_bytes() + f"\n附注 {i}\n".encode()
            r = c.post("/api/reports", files=up(f"{i}-{seed.name}", data))
            if r.status_code != 201:
                errors.append(f"{r.status_code} {r.text[:200]}")
            if c.get("/api/reports?per_page=5").status_code != 200:
                errors.append("list failed")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors
        assert count(c) == 12


# ---------------------------------------------------------------- corpus


def test_list_and_filters(client: TestClient) -> None:
    allr = client.get("/api/reports?per_page=500").json()
    assert allr["total"] >= 5 and len(allr["items"]) == allr["total"]
    tree = client.get("/api/regions").json()
    assert tree and all("children" in n for n in tree)
    fj = next(n for n in tree if n["name"] == "福建省") if REAL.is_dir() else tree[0]
    r = client.get("/api/reports", params={"region": fj["path"], "per_page": 500}).json()
    assert r["total"] == fj["count"] and all(x["region"].startswith(fj["path"]) for x in r["items"])
    facets = client.get("/api/facets").json()
    y = facets["years"][0]
    r = client.get("/api/reports", params={"year": y}).json()
    assert r["total"] >= 1 and all(x["year"] == y for x in r["items"])
    ed = facets["editions"][0]
    assert all(x["edition"] == ed for x in client.get("/api/reports", params={"edition": ed}).json()["items"])
    errs = client.get("/api/reports", params={"has_errors": True}).json()
    assert all(x["n_errors"] > 0 for x in errs["items"])
    clean = client.get("/api/reports", params={"has_errors": False}).json()
    assert errs["total"] + clean["total"] == allr["total"]
    rule = facets["rules"][0]["rule"]
    byrule = client.get("/api/reports", params={"rule": rule}).json()
    assert byrule["total"] == facets["rules"][0]["reports"]
    some = next(x for x in allr["items"] if x["agency"])
    byag = client.get("/api/reports", params={"agency": some["agency"][:4]}).json()
    assert any(x["id"] == some["id"] for x in byag["items"])
    p2 = client.get("/api/reports", params={"per_page": 2, "page": 2}).json()
    assert p2["page"] == 2 and len(p2["items"]) <= 2
    assert client.get("/api/reports", params={"per_page": 0}).status_code == 422
    assert client.get("/api/reports", params={"year": "abc"}).json()["error"].startswith("参数无效")
    for q in ("", f"?region={fj['path']}", f"?year={y}&has_errors=1", f"?rule={rule}", "?agency=%25_'\""):
        page = client.get("/corpus" + q)
        assert page.status_code == 200 and "语料库" in page.text


def test_report_agency_compare_overview(client: TestClient) -> None:
    items = client.get("/api/reports?per_page=500").json()["items"]
    rid = items[0]["id"]
    rep = client.get(f"/api/reports/{rid}").json()
    assert rep["id"] == rid and rep["sections"] and rep["text"]
    assert client.get(f"/reports/{rid}").status_code == 200
    for what in ("data.json", "data.xlsx", "findings.xlsx"):
        assert client.get(f"/api/reports/{rid}/{what}").status_code == 200
    assert client.get("/api/reports/999999").status_code == 404
    assert client.get("/reports/999999").status_code == 404
    assert client.get("/reports/abc").status_code == 422
    # agency with several years (the real corpus is one organ over 2014–2025)
    keys: dict[str, int] = {}
    for x in items:
        if x["agency_key"]:
            keys[x["agency_key"]] = keys.get(x["agency_key"], 0) + 1
    key = max(keys, key=lambda k: keys[k])
    ag = client.get("/api/agency", params={"key": key}).json()
    assert len(ag["reports"]) == keys[key] and ag["trend"]["years"] == sorted(ag["trend"]["years"])
    assert client.get("/agency", params={"key": key}).status_code == 200
    assert client.get("/api/agency", params={"key": "没有这个机关"}).status_code == 404
    a, b = ag["reports"][0]["id"], ag["reports"][-1]["id"]
    cmp = client.get("/api/compare", params={"a": a, "b": b}).json()
    assert cmp["a"]["id"] == a and cmp["b"]["id"] == b and cmp["n_cells"] > 0 and cmp["text"]
    years = [r["year"] for r in ag["reports"] if r["year"]]
    if len(set(years)) >= 2:
        y1, y2 = sorted(set(years))[-2:]
        cy = client.get("/api/compare", params={"agency": key, "y1": y1, "y2": y2}).json()
        assert {cy["a"]["year"], cy["b"]["year"]} == {y1, y2}
        assert client.get("/compare", params={"agency": key, "y1": y1, "y2": y2}).status_code == 200
    assert client.get("/api/compare").status_code == 400
    assert client.get("/api/compare", params={"a": a, "b": 999999}).status_code == 404
    assert client.get("/compare", params={"a": a, "b": b}).status_code == 200
    assert client.get("/compare").status_code == 200
    ov = client.get("/api/overview").json()
    assert ov["reports"] == len(items) and len(ov["outcomes"]) == 6 and ov["years"]
    assert sum(y["reports"] for y in ov["years"]) <= ov["reports"]
    assert client.get("/overview").status_code == 200
    assert client.get("/apidoc").status_code == 200


def test_errors_are_chinese_and_without_trace(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(Corpus, "overview", boom)
    r = client.get("/api/overview")
    assert r.status_code == 500 and "服务器内部错误" in r.json()["error"] and "secret" not in r.text
    r = client.get("/overview")
    assert r.status_code == 500 and "服务器内部错误" in r.text and "secret" not in r.text
    assert client.get("/nope").status_code == 404 and "没有找到" in client.get("/nope").text
    assert client.delete("/api/reports").status_code == 405
    assert client.get("/api/health").status_code == 200


def test_read_only_without_database(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with TestClient(create_app(str(missing), read_only=True), raise_server_exceptions=False) as c:
        h = c.get("/api/health").json()
        assert h["database"] == "unavailable" and h["read_only"] is True
        assert c.post("/api/check", files=up(SEED_FILES[0].name, SEED_FILES[0].read_bytes())).status_code == 200
        r = c.get("/api/reports")
        assert r.status_code == 503 and "数据库" in r.json()["error"]
        assert c.get("/corpus").status_code == 503
    assert not missing.exists()


def test_serve_command_registered() -> None:
    from typer.testing import CliRunner

    from gongkai.cli import app

    r = CliRunner().invoke(app, ["serve", "--help"])
    assert r.exit_code == 0
    for opt in ("--db", "--host", "--port", "--read-only", "--token"):
        assert opt in r.output


def test_doubtful_scan_digits_and_settled_cells_are_marked(client: TestClient) -> None:
    from gongkai import parse_path
    from gongkai.web.render import report_view

    rep = parse_path(SEED_FILES[0])
    low, settled = list(rep.cells.values())[:2]
    low.confidence = 0.42
    settled.how = "series"
    env = client.app.state.templates.env  # type: ignore[attr-defined]
    html = env.from_string('{% from "_report.html" import report %}{{ report(v) }}').render(v=report_view(rep))
    td = re.search(rf'<td[^>]*data-cid="{re.escape(low.id)}"[^>]*>', html)
    assert td and "lowconf" in td.group(0) and 'data-conf="42"' in td.group(0)
    other = re.search(rf'<td[^>]*data-cid="{re.escape(settled.id)}"[^>]*>', html)
    assert other and "how-series" in other.group(0) and "lowconf" not in other.group(0)
