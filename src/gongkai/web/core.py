"""Shared pieces of the web app: settings, the checked-report cache, write permission, upload intake."""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from ..model import Report
from .data import Corpus
from .uploads import (
    MAX_FILE,
    MAX_FILES,
    BodyTooLarge,
    Upload,
    UploadError,
    classify,
    clean_name,
    parse_text_upload,
    parse_upload,
)


@dataclass
class Checked:
    token: str
    name: str
    report: Report
    stored_id: int | None = None
    stored_new: bool = False


@dataclass
class CheckCache:
    """Recently checked uploads (not stored), so their downloads and links work for a while."""

    size: int = 200
    items: OrderedDict[str, Checked] = field(default_factory=OrderedDict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, name: str, report: Report) -> Checked:
        c = Checked(secrets.token_urlsafe(12), name, report)
        with self.lock:
            self.items[c.token] = c
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return c

    def get(self, token: str) -> Checked | None:
        with self.lock:
            c = self.items.get(token)
            if c is not None:
                self.items.move_to_end(token)
            return c


@dataclass
class Settings:
    corpus: Corpus
    read_only: bool = False
    token: str | None = None
    cache: CheckCache = field(default_factory=CheckCache)


def settings(request: Request) -> Settings:
    return request.app.state.gk


def token_from(request: Request, form_token: str | None = None) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.headers.get("x-gongkai-token") or form_token or request.cookies.get("gk_token")


def same_origin(request: Request) -> bool:
    """A browser write must come from this site's own pages (no cross-site form posts)."""
    origin = request.headers.get("origin")
    if not origin:
        return request.headers.get("sec-fetch-site") in (None, "same-origin", "none")
    return urlsplit(origin).netloc == request.headers.get("host", "")


def can_write(request: Request, form_token: str | None = None) -> tuple[bool, str]:
    s = settings(request)
    if s.read_only:
        return False, "服务器处于只读模式,不接受写入"
    if not same_origin(request):
        return False, "拒绝跨站写入请求"
    if s.token:
        given = token_from(request, form_token)
        if not given or not hmac.compare_digest(given.encode(), s.token.encode()):
            return False, "需要有效的写入令牌(请求头 Authorization: Bearer …)"
    return True, ""


def require_write(request: Request, form_token: str | None = None) -> None:
    ok, why = can_write(request, form_token)
    if not ok:
        s = settings(request)
        status = 403 if s.read_only or "跨站" in why else 401
        raise HTTPException(status, why)


@dataclass
class Rejected:
    name: str
    status: int
    message: str


async def read_uploads(request: Request) -> tuple[list[Upload | Rejected], str, dict[str, str]]:
    """Files (field `files` or `file`) and pasted text (field `text`) of a multipart/urlencoded form.

    Returns (validated uploads, pasted text, other form fields). Raises UploadError."""
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        raise UploadError(415, "请以表单(multipart/form-data)上传文件,字段名 files;或以字段 text 提交文本")
    try:
        form = await request.form(max_files=MAX_FILES + 1, max_fields=50, max_part_size=8 * 1024 * 1024)
    except HTTPException as e:  # starlette raises 400 for too many files/fields
        raise UploadError(e.status_code if e.status_code >= 400 else 400,
                          f"表单无效:一次最多上传 {MAX_FILES} 个文件,粘贴的文本不超过 8 MB") from None
    except BodyTooLarge:
        raise
    except Exception:
        raise UploadError(400, "表单格式无效,无法读取上传内容") from None
    files: list[tuple[str, bytes]] = []
    text = ""
    fields: dict[str, str] = {}
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if key not in ("files", "file"):
                    continue
                if not value.filename and not value.size:
                    continue  # an empty file input
                data = await value.read(MAX_FILE + 1)
                files.append((value.filename or "", data))
            elif key == "text":
                text = str(value)
            else:
                fields[key] = str(value)[:500]
    finally:
        await form.close()
    if len(files) > MAX_FILES:
        raise UploadError(413, f"一次最多上传 {MAX_FILES} 个文件")
    uploads: list[Upload | Rejected] = []
    for name, data in files:
        try:
            uploads.extend(await run_in_threadpool(classify, name, data))
        except UploadError as e:  # one bad file is reported; the others are still checked
            uploads.append(Rejected(clean_name(name), e.status, e.message))
        if len(uploads) > MAX_FILES:
            raise UploadError(413, f"一次最多处理 {MAX_FILES} 个文件(压缩包内文件也计数)")
    if not uploads and not text.strip():
        raise UploadError(400, "没有收到文件或文本:请选择文件,或粘贴报告全文")
    return uploads, text, fields


async def check_all(request: Request, uploads: list[Upload | Rejected], text: str, *, store: bool = False
                    ) -> list[dict[str, Any]]:
    """Parse and check every upload; with `store`, also add it to the corpus. One result per input."""
    s = settings(request)
    results: list[dict[str, Any]] = []
    jobs: list[tuple[str, Any]] = [(u.name, u) for u in uploads]
    if text.strip():
        jobs.append(("粘贴的文本", text))
    for name, item in jobs:
        if isinstance(item, Rejected):
            results.append({"name": name, "ok": False, "status": item.status, "error": item.message})
            continue
        try:
            if isinstance(item, Upload):
                report = await run_in_threadpool(parse_upload, item)
                data = item.data
            else:
                report = await run_in_threadpool(parse_text_upload, item)
                data = item.encode("utf-8")
        except UploadError as e:
            results.append({"name": name, "ok": False, "status": e.status, "error": e.message})
            continue
        checked = s.cache.put(name, report)
        if store:
            rid, new = await run_in_threadpool(s.corpus.add, report, data, name)
            checked.stored_id, checked.stored_new = rid, new
        results.append({"name": name, "ok": True, "checked": checked})
    return results


def overall_status(results: list[dict[str, Any]]) -> int:
    """200 when anything parsed; else the first failure's status."""
    if any(r["ok"] for r in results):
        return 200
    return next((r["status"] for r in results if not r["ok"]), 400)
