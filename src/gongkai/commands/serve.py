"""`gongkai serve`: the web app and JSON API over a store."""

from __future__ import annotations

import ipaddress
import os

import typer
from rich.console import Console


def serve(
    db: str | None = typer.Option(None, "--db", help="数据库:SQLite 文件路径或 PostgreSQL URL(默认 $GONGKAI_DB 或 gongkai.db)"),
    host: str = typer.Option("127.0.0.1", "--host", help="监听地址(默认只在本机)"),
    port: int = typer.Option(8000, "--port", help="端口"),
    read_only: bool = typer.Option(False, "--read-only", help="只读模式:不接受任何写入(适合公开部署)"),
    token: str | None = typer.Option(None, "--token", help="写入令牌(也可用环境变量 GONGKAI_TOKEN)"),
    workers: int = typer.Option(1, "--workers", help="进程数"),
) -> None:
    """启动网页和 JSON 接口:检查报告、浏览和比较语料库。"""
    import uvicorn

    err = Console(stderr=True)
    token = token or os.environ.get("GONGKAI_TOKEN") or None
    try:
        public = not ipaddress.ip_address(host).is_loopback
    except ValueError:
        public = host not in ("localhost",)
    if public and not read_only and not token:
        err.print("[yellow]警告:在非本机地址上监听且未设置写入令牌,任何人都可以写入语料库。"
                  "建议加 --read-only 或 --token。[/yellow]")
    from ..web.app import create_app

    if workers > 1:
        # uvicorn needs an import string for several workers; settings travel by environment
        os.environ["GONGKAI_WEB_DB"] = db or ""
        os.environ["GONGKAI_WEB_READ_ONLY"] = "1" if read_only else ""
        os.environ["GONGKAI_WEB_TOKEN"] = token or ""
        target: object = "gongkai.web.app:app_from_env"
        err.print(f"gongkai 网页: http://{host}:{port}/  ({workers} 个进程)")
        uvicorn.run(target, host=host, port=port, workers=workers, factory=True, log_level="warning",
                    limit_concurrency=200, timeout_keep_alive=5)
        return
    app = create_app(db, read_only=read_only, token=token)
    err.print(f"gongkai 网页: http://{host}:{port}/" + ("(只读)" if read_only else ""))
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=200, timeout_keep_alive=5)


def register(app: typer.Typer) -> None:
    """Add `serve` to the gongkai CLI."""
    app.command("serve")(serve)
