"""Server-rendered pages (Jinja2, autoescaped). Each page has a JSON twin in api.py."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from .api import (
    compare_data,
    get_checked,
    list_filters,
    load_report,
    resolve_compare,
    stored_view,
)
from .app import context
from .core import can_write, check_all, overall_status, read_uploads, settings
from .data import OUTCOMES
from .render import report_view
from .uploads import MAX_FILE, MAX_FILES, UploadError

router = APIRouter(include_in_schema=False)


def render(request: Request, name: str, code: int = 200, **kw: Any) -> HTMLResponse:
    return request.app.state.templates.TemplateResponse(request, name, context(request, **kw), status_code=code)


def _opt_int(v: str | None) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except ValueError:
        return None


def _opt_bool(v: str | None) -> bool | None:
    return {"1": True, "true": True, "0": False, "false": False}.get((v or "").lower())


@router.get("/", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return render(request, "index.html", can_store=not settings(request).read_only, max_mb=MAX_FILE // 1048576,
                  max_files=MAX_FILES, results=None)


@router.post("/check", response_class=HTMLResponse)
async def check_page(request: Request) -> HTMLResponse:
    fragment = request.headers.get("x-fragment") == "1"
    try:
        uploads, text, fields = await read_uploads(request)
    except UploadError as e:
        return render(request, "error.html", e.status, status=e.status, title="上传被拒绝", message=e.message,
                      fragment=fragment)
    store = fields.get("store") in ("1", "on", "true")
    if store:
        ok, why = can_write(request, fields.get("token"))
        if not ok:
            code = 403 if settings(request).read_only or "跨站" in why else 401
            return render(request, "error.html", code, status=code, title="无法存入语料库", message=why,
                          fragment=fragment)
    results = await check_all(request, uploads, text, store=store)
    views = []
    for r in results:
        if r["ok"]:
            c = r["checked"]
            views.append({"ok": True, "token": c.token, "stored_id": c.stored_id, "stored_new": c.stored_new,
                          "view": report_view(c.report, name=c.name)})
        else:
            views.append(r)
    status = overall_status(results)
    tpl = "results.html" if fragment else "index.html"
    return render(request, tpl, status, results=views, max_mb=MAX_FILE // 1048576, max_files=MAX_FILES,
                  can_store=False)


@router.get("/check/{token}", response_class=HTMLResponse)
def checked_page(request: Request, token: str) -> HTMLResponse:
    c = get_checked(request, token)
    views = [{"ok": True, "token": c.token, "stored_id": c.stored_id, "view": report_view(c.report, name=c.name)}]
    return render(request, "index.html", results=views, max_mb=MAX_FILE // 1048576, max_files=MAX_FILES,
                  can_store=False)


@router.get("/corpus", response_class=HTMLResponse)
def corpus(request: Request, region: str | None = None, year: str | None = None, edition: str | None = None,
           agency: str | None = None, has_errors: str | None = None, rule: str | None = None,
           page: int = Query(1, ge=1)) -> HTMLResponse:
    c = settings(request).corpus
    f = list_filters(region, _opt_int(year), edition, agency, _opt_bool(has_errors), rule)
    data = c.list_reports(page=page, per_page=50, **f)
    qs = {k: ("1" if v is True else "0" if v is False else v) for k, v in f.items() if v is not None}
    return render(request, "corpus.html", data=data, filters=f, qs=qs, facets=c.facets(), tree=c.region_tree())


@router.get("/reports/{report_id}", response_class=HTMLResponse)
async def report_page(request: Request, report_id: int) -> HTMLResponse:
    row, rep = await run_in_threadpool(load_report, request, report_id)
    view = stored_view(row, rep)
    years = settings(request).corpus.agency_years(row["agency_key"]) if row.get("agency_key") else {}
    return render(request, "report.html", view=view, row=row, years=years)


@router.get("/agency", response_class=HTMLResponse)
def agency_page(request: Request, key: str) -> HTMLResponse:
    d = settings(request).corpus.agency(key)
    if d is None:
        raise HTTPException(404, "语料库中没有该机关的报告")
    chart = {"years": d["trend"]["years"], "applications": d["trend"]["applications"],
             "outcomes": [{"key": k, "label": label, "values": d["trend"]["outcomes"][k]} for k, label in OUTCOMES]}
    return render(request, "agency.html", d=d, chart=chart)


@router.get("/compare", response_class=HTMLResponse)
async def compare_page(request: Request, a: str | None = None, b: str | None = None, agency: str | None = None,
                       y1: str | None = None, y2: str | None = None) -> HTMLResponse:
    ia, ib, iy1, iy2 = _opt_int(a), _opt_int(b), _opt_int(y1), _opt_int(y2)
    if (ia is None or ib is None) and not (agency and iy1 is not None and iy2 is not None):
        return render(request, "compare.html", cmp=None, a=a or "", b=b or "")
    x, y = resolve_compare(request, ia, ib, agency, iy1, iy2)
    cmp = await run_in_threadpool(compare_data, request, x, y)
    return render(request, "compare.html", cmp=cmp, a=str(x), b=str(y))


@router.get("/overview", response_class=HTMLResponse)
def overview_page(request: Request) -> HTMLResponse:
    return render(request, "overview.html", o=settings(request).corpus.overview())


@router.get("/apidoc", response_class=HTMLResponse)
def apidoc(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    eps = [{"method": m.upper(), "path": p, "summary": op.get("summary", ""), "doc": op.get("description", "")}
           for p, ops in spec["paths"].items() for m, op in ops.items()]
    return render(request, "apidoc.html", endpoints=eps)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)
