"""JSON API: everything the pages show, plus uploads. OpenAPI at /openapi.json."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from ..model import Report
from .core import Checked, check_all, overall_status, read_uploads, require_write, settings
from .exports import compare_view, data_xlsx, findings_xlsx, report_json
from .render import report_view

router = APIRouter(prefix="/api", tags=["api"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = ("data.json", "data.xlsx", "findings.xlsx")


# ---------------------------------------------------------------- shared with the pages


def checked_json(c: Checked, *, full: bool = True) -> dict[str, Any]:
    d: dict[str, Any] = {"name": c.name, "ok": True, "token": c.token,
                         "links": {k: f"/api/check/{c.token}/{k}" for k in DOWNLOADS} | {"page": f"/check/{c.token}"}}
    if c.stored_id is not None:
        d["stored_id"] = c.stored_id
        d["stored_new"] = c.stored_new
    if full:
        d["report"] = report_view(c.report, name=c.name)
        d["contract"] = c.report.to_contract()
    return d


def results_json(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in results:
        if r["ok"]:
            out.append(checked_json(r["checked"]))
        else:
            out.append({"name": r["name"], "ok": False, "status": r["status"], "error": r["error"]})
    return out


def download(report: Report, name: str, what: str) -> Response:
    stem = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name.rsplit(".", 1)[0])[:60] or "report"
    if what == "data.json":
        body, media, fname = report_json(report, name), "application/json", f"{stem}.json"
    elif what == "data.xlsx":
        body, media, fname = data_xlsx(report, name), XLSX, f"{stem}-数据.xlsx"
    elif what == "findings.xlsx":
        body, media, fname = findings_xlsx(report, name), XLSX, f"{stem}-问题.xlsx"
    else:
        raise HTTPException(404, "没有这种下载格式(可选 data.json、data.xlsx、findings.xlsx)")
    from urllib.parse import quote

    return Response(body, media_type=media, headers={
        "content-disposition": f"attachment; filename=\"{stem}-{what}\"; "
                               f"filename*=UTF-8''{quote(fname)}"})


def get_checked(request: Request, token: str) -> Checked:
    c = settings(request).cache.get(token)
    if c is None:
        raise HTTPException(404, "该检查结果已过期或不存在,请重新上传")
    return c


def load_report(request: Request, report_id: int) -> tuple[dict[str, Any], Report]:
    got = settings(request).corpus.report(report_id)
    if got is None:
        raise HTTPException(404, f"语料库中没有报告 #{report_id}")
    return got


def stored_view(row: dict[str, Any], rep: Report) -> dict[str, Any]:
    view = report_view(rep, name=row.get("file_name") or "", scopes=row.get("finding_scope"))
    view["id"] = row["id"]
    view["agency_key"] = row.get("agency_key")
    view["publication"] = row.get("publication")
    view["parser_version"] = row.get("parser_version")
    view["links"] = {k: f"/api/reports/{row['id']}/{k}" for k in DOWNLOADS}
    return view


def resolve_compare(request: Request, a: int | None, b: int | None, agency: str | None, y1: int | None,
                    y2: int | None) -> tuple[int, int]:
    if a is not None and b is not None:
        return a, b
    if agency and y1 is not None and y2 is not None:
        years = settings(request).corpus.agency_years(agency)
        if y1 not in years or y2 not in years:
            raise HTTPException(404, f"该机关没有 {y1} 年或 {y2} 年的报告")
        return years[y1], years[y2]
    raise HTTPException(400, "请指定两份报告(a、b),或机关与两个年度(agency、y1、y2)")


def compare_data(request: Request, a: int, b: int) -> dict[str, Any]:
    ra, rb = load_report(request, a), load_report(request, b)
    view = compare_view(ra[1], rb[1])
    side = []
    for row, _rep in (ra, rb):
        side.append({"id": row["id"], "agency": row["agency"], "agency_key": row.get("agency_key"),
                     "year": row["year"], "edition": row["edition"], "region": row["region"],
                     "file_name": row["file_name"], "n_errors": row["n_errors"], "n_warnings": row["n_warnings"]})
    view["a"], view["b"] = side
    return view


def list_filters(region: str | None, year: int | None, edition: str | None, agency: str | None,
                 has_errors: bool | None, rule: str | None) -> dict[str, Any]:
    return {"region": region or None, "year": year, "edition": edition or None, "agency": agency or None,
            "has_errors": has_errors, "rule": rule or None}


# ---------------------------------------------------------------- endpoints


@router.get("/health", summary="健康检查")
def health(request: Request) -> dict[str, Any]:
    s = settings(request)
    return {"status": "ok", **s.corpus.health(), "writes": "disabled" if s.read_only else (
        "token" if s.token else "open")}


@router.get("/rules", summary="全部检查规则")
def rules() -> list[dict[str, Any]]:
    from ..check import all_rules

    return [{"code": r.code, "severity": r.severity, "title": r.title, "aliases": list(r.aliases),
             "group": r.group, "doc": r.doc} for r in all_rules()]


@router.get("/editions", summary="报告格式(版本)列表")
def editions() -> list[dict[str, Any]]:
    from ..editions import EDITIONS

    return [{"name": e.name, "title": e.title, "years": list(e.years), "tables": [t.key for t in e.tables]}
            for e in EDITIONS.values()]


@router.get("/editions/{name}", summary="一个格式的表格定义(行、列、单元格标签)")
def edition(name: str) -> dict[str, Any]:
    from ..editions import EDITIONS

    e = EDITIONS.get(name)
    if e is None:
        raise HTTPException(404, f"没有格式 {name}(可选 {'、'.join(EDITIONS)})")
    return {"name": e.name, "title": e.title, "years": list(e.years), "labels": e.labels,
            "tables": [{"key": t.key, "title": t.title, "layout": t.layout,
                        "rows": [{"key": r.key, "label": r.label, "group": r.group, "unit": r.unit} for r in t.rows],
                        "cols": [{"key": c.key, "label": c.label, "unit": c.unit} for c in t.cols]}
                       for t in e.tables],
            "relations": [{"code": r.code, "lhs": list(r.lhs), "rhs": list(r.rhs), "op": r.op,
                           "severity": r.severity, "where": r.where, "title": r.title} for r in e.relations]}


@router.post("/check", summary="检查上传的报告(不存入语料库,除非 store=true)")
async def check(request: Request, store: bool = Query(False, description="同时存入语料库(需要写入权限)")
                ) -> JSONResponse:
    """multipart/form-data:字段 `files`(可多个,可为 .zip)和/或 `text`(粘贴的全文)。"""
    if store:
        require_write(request)
    uploads, text, _fields = await read_uploads(request)
    results = await check_all(request, uploads, text, store=store)
    return JSONResponse({"results": results_json(results)}, status_code=overall_status(results))


@router.get("/check/{token}", summary="一次检查的结果")
def checked(request: Request, token: str) -> dict[str, Any]:
    return checked_json(get_checked(request, token))


@router.get("/check/{token}/{what}", summary="下载检查结果:data.json、data.xlsx、findings.xlsx")
def checked_download(request: Request, token: str, what: str) -> Response:
    c = get_checked(request, token)
    return download(c.report, c.name, what)


@router.get("/reports", summary="语料库报告列表(可筛选、分页)")
def list_reports(request: Request, region: str | None = None, year: int | None = None, edition: str | None = None,
                 agency: str | None = None, has_errors: bool | None = None, rule: str | None = None,
                 page: int = Query(1, ge=1), per_page: int = Query(50, ge=1, le=500)) -> dict[str, Any]:
    f = list_filters(region, year, edition, agency, has_errors, rule)
    return settings(request).corpus.list_reports(page=page, per_page=per_page, **f)


@router.post("/reports", summary="上传报告并存入语料库(需要写入权限)", status_code=201)
async def add_reports(request: Request) -> JSONResponse:
    require_write(request)
    uploads, text, _fields = await read_uploads(request)
    results = await check_all(request, uploads, text, store=True)
    status = overall_status(results)
    body = {"results": [({k: v for k, v in r.items() if k not in ("report", "contract")})
                        for r in results_json(results)]}
    return JSONResponse(body, status_code=201 if status == 200 else status)


@router.get("/reports/{report_id}", summary="一份已存报告:表格、单元格来源、问题、正文")
def get_report(request: Request, report_id: int) -> dict[str, Any]:
    row, rep = load_report(request, report_id)
    return stored_view(row, rep)


@router.get("/reports/{report_id}/{what}", summary="下载已存报告:data.json、data.xlsx、findings.xlsx")
def report_download(request: Request, report_id: int, what: str) -> Response:
    row, rep = load_report(request, report_id)
    return download(rep, row.get("file_name") or f"report-{report_id}", what)


@router.get("/regions", summary="地区树(含报告数)")
def regions(request: Request) -> list[dict[str, Any]]:
    return settings(request).corpus.region_tree()


@router.get("/facets", summary="可筛选的年度、格式、规则")
def facets(request: Request) -> dict[str, Any]:
    return settings(request).corpus.facets()


@router.get("/agency", summary="一个机关:各年度报告、跨年度问题、趋势")
def agency(request: Request, key: str = Query(..., description="机关标识 agency_key")) -> dict[str, Any]:
    d = settings(request).corpus.agency(key)
    if d is None:
        raise HTTPException(404, "语料库中没有该机关的报告")
    return d


@router.get("/compare", summary="比较两份报告(或一个机关的两个年度):数值与正文差异")
async def compare(request: Request, a: int | None = None, b: int | None = None, agency: str | None = None,
                  y1: int | None = None, y2: int | None = None) -> dict[str, Any]:
    ia, ib = resolve_compare(request, a, b, agency, y1, y2)
    return await run_in_threadpool(compare_data, request, ia, ib)


@router.get("/overview", summary="概览:办理结果分布、各地区各年度错误率、逾期发布")
def overview(request: Request) -> dict[str, Any]:
    return settings(request).corpus.overview()
