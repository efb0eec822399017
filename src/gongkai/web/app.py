"""The web app: `create_app(db_url, read_only, token)` -> FastAPI (pages + JSON API)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .core import Settings
from .data import Corpus
from .uploads import MAX_FILE, MAX_REQUEST, BodyTooLarge, UploadError

HERE = Path(__file__).parent
log = logging.getLogger("gongkai.web")

STATUS_ZH = {400: "请求无效", 401: "需要写入令牌", 403: "禁止访问", 404: "没有找到", 405: "不支持该请求方法",
             413: "上传内容过大", 415: "不支持的文件类型", 422: "无法处理该内容", 429: "请求过多",
             500: "服务器内部错误", 503: "服务暂不可用"}

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class GuardMiddleware:
    """Caps the request body (by Content-Length and while streaming) and adds security headers."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_REQUEST) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope.get("path", "").startswith("/api/")
        for k, v in scope.get("headers", []):
            if k == b"content-length":
                try:
                    n = int(v)
                except ValueError:
                    n = -1
                if n < 0 or n > self.max_body:
                    await _too_large(scope, send, is_api, self.max_body)
                    return
        seen = 0
        started = False

        async def guarded_receive() -> Message:
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge
            return msg

        async def send_with_headers(msg: Message) -> None:
            nonlocal started
            if msg["type"] == "http.response.start":
                started = True
                headers = list(msg.get("headers", []))
                names = {k for k, _ in headers}
                headers += [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                msg = dict(msg, headers=headers)
            await send(msg)

        try:
            await self.app(scope, guarded_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _too_large(scope, send_with_headers, is_api, self.max_body)


async def _too_large(scope: Scope, send: Send, is_api: bool, limit: int) -> None:
    msg = f"上传内容过大:单次请求上限 {limit // 1048576} MB(单个文件上限 {MAX_FILE // 1048576} MB)"
    if is_api:
        resp: Response = JSONResponse({"error": msg, "status": 413}, status_code=413)
    else:
        resp = HTMLResponse(_plain_error_page(413, msg), status_code=413)
    resp.headers["connection"] = "close"

    async def _noop_receive() -> Message:
        return {"type": "http.disconnect"}

    await resp(scope, _noop_receive, send)


def _plain_error_page(status: int, message: str) -> str:
    from html import escape

    return (f"<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{status} {STATUS_ZH.get(status, '')}"
            f"</title><body><h1>{status} {escape(STATUS_ZH.get(status, '错误'))}</h1><p>{escape(message)}</p>"
            f"<p><a href=\"/\">返回首页</a></p></body></html>")


def wants_json(request: Request) -> bool:
    if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def make_templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, undefined=jinja2.ChainableUndefined)
    from .render import SEV_ZH, fmt_number

    env.globals["SEV_ZH"] = SEV_ZH
    env.filters["num"] = fmt_number
    env.filters["pct"] = lambda v: "" if v is None else f"{float(v) * 100:.1f}%"
    return Jinja2Templates(env=env)


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    templates: Jinja2Templates = request.app.state.templates
    frag = request.headers.get("x-fragment") == "1"
    return templates.TemplateResponse(request, "error.html", {"status": status, "title": STATUS_ZH.get(status, "错误"),
                                                             "message": message, "fragment": frag},
                                      status_code=status)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    app.state.gk.corpus.close()


def create_app(db_url: str | None = None, read_only: bool = False, token: str | None = None) -> FastAPI:
    """The gongkai web app over the store at `db_url` (SQLite path/URL or PostgreSQL URL)."""
    app = FastAPI(title="gongkai 政府信息公开年报检查", version="1",
                  description="解析、检查、浏览和比较政府信息公开工作年度报告。所有接口返回 JSON;写入接口需要令牌(如已设置)。",
                  docs_url=None, redoc_url=None, openapi_url="/openapi.json", lifespan=_lifespan)
    app.state.gk = Settings(Corpus(db_url, read_only=read_only), read_only, token or None)
    app.state.templates = make_templates()

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        msg = exc.detail if isinstance(exc.detail, str) and exc.detail and not exc.detail.isascii() \
            else STATUS_ZH.get(exc.status_code, "请求失败")
        if exc.status_code == 404 and exc.detail == "Not Found":
            msg = "没有找到该页面或资源"
        return error_response(request, exc.status_code, msg)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(".".join(str(x) for x in e.get("loc", ())[1:]) or "请求" for e in exc.errors()[:5])
        return error_response(request, 422, f"参数无效: {fields}")

    @app.exception_handler(UploadError)
    async def upload_error(request: Request, exc: UploadError) -> Response:
        return error_response(request, exc.status, exc.message)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        from ..model import GongkaiError

        if isinstance(exc, GongkaiError):
            return error_response(request, 503, str(exc))
        return error_response(request, 500, "服务器内部错误,已记录。请稍后重试。")

    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(GuardMiddleware)

    return app


def context(request: Request, **kw: Any) -> dict[str, Any]:
    s: Settings = request.app.state.gk
    return {"read_only": s.read_only, "needs_token": bool(s.token), **kw}


def app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` with several workers (settings from the environment)."""
    import os

    return create_app(os.environ.get("GONGKAI_WEB_DB") or None,
                      read_only=bool(os.environ.get("GONGKAI_WEB_READ_ONLY")),
                      token=os.environ.get("GONGKAI_WEB_TOKEN") or None)
