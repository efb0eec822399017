"""Load run of `gongkai serve` on loopback: concurrent clients uploading and browsing, bounded in time.

    python bench/bench_web.py [--clients 20] [--seconds 60] [--db PATH]

Starts the server on 127.0.0.1 (a free port) over a fresh SQLite store filled with the shared
seeds and real reports, runs the clients for the given time, stops everything by itself and prints
p50/p99 latency per kind of request and overall, with the error count. Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
HOST = "127.0.0.1"  # loopback only, by design
MAX_SECONDS = 600


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def prepare(db: Path) -> list[Path]:
    from gongkai.web.data import Corpus
    from gongkai.web.demo import load_folder

    c = Corpus(str(db))
    for sub in ("seeds", "real"):
        if (CORPUS / sub).is_dir():
            load_folder(c, CORPUS / sub)
    c.close()
    return sorted(p for p in (CORPUS / "seeds").glob("*.txt"))


def pct(xs: list[float], q: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))]


async def client(i: int, base: str, seeds: list[bytes], ids: list[int], agency: str | None, deadline: float,
                 lat: dict[str, list[float]], errors: dict[str, int], rng: random.Random) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        n = 0
        while time.monotonic() < deadline:
            n += 1
            r = rng.random()
            seed = rng.choice(seeds)
            if r < 0.25:
                kind, req = "上传检查", c.post("/api/check", files=[("files", ("r.txt", seed, "text/plain"))])
            elif r < 0.35:
                kind, req = "检查页上传", c.post("/check", files=[("files", ("r.txt", seed, "text/plain"))],
                                              headers={"X-Fragment": "1"})
            elif r < 0.40:
                body = seed + f"\n附注:负载测试 {i}-{n}\n".encode()
                kind, req = "存入语料库", c.post("/api/reports", files=[("files", (f"b{i}-{n}.txt", body, "text/plain"))])
            elif r < 0.55:
                kind, req = "语料库列表", c.get("/corpus", params={"has_errors": rng.choice(["", "1"])})
            elif r < 0.70:
                kind, req = "报告页", c.get(f"/reports/{rng.choice(ids)}")
            elif r < 0.80:
                kind, req = "接口列表", c.get("/api/reports", params={"per_page": 50})
            elif r < 0.88 and agency:
                kind, req = "机关页", c.get("/agency", params={"key": agency})
            elif r < 0.94:
                a, b = rng.sample(ids, 2)
                kind, req = "比较页", c.get("/compare", params={"a": a, "b": b})
            else:
                kind, req = "概览", c.get("/api/overview")
            t0 = time.perf_counter()
            try:
                resp = await req
                ok = resp.status_code < 400
            except httpx.HTTPError:
                ok = False
            dt = time.perf_counter() - t0
            lat[kind].append(dt)
            if not ok:
                errors[kind] += 1


async def run(base: str, clients: int, seconds: float, seeds: list[bytes]) -> tuple[dict[str, list[float]],
                                                                                       dict[str, int], float]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as c:
        items = (await c.get("/api/reports", params={"per_page": 500})).json()["items"]
    ids = [x["id"] for x in items]
    keys = [x["agency_key"] for x in items if x["agency_key"]]
    agency = max(set(keys), key=keys.count) if keys else None
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    t0 = time.monotonic()
    deadline = t0 + seconds
    await asyncio.gather(*(client(i, base, seeds, ids, agency, deadline, lat, errors, random.Random(i))
                           for i in range(clients)))
    return lat, errors, time.monotonic() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--db", type=Path, default=None, help="SQLite file (default: a fresh temporary one)")
    args = ap.parse_args()
    seconds = min(max(args.seconds, 1), MAX_SECONDS)
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    seed_files = prepare(db)
    seeds = [p.read_bytes() for p in seed_files]
    port = free_port()
    base = f"http://{HOST}:{port}"
    proc = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "serve", "--db", str(db), "--host", HOST,
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("服务器启动失败:\n" + (proc.stderr.read().decode() if proc.stderr else "")) from None
                time.sleep(0.1)
        lat, errors, took = asyncio.run(run(base, args.clients, seconds, seeds))
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        tmp.cleanup()
    allx = [x for xs in lat.values() for x in xs]
    print(f"{args.clients} 个并发客户端,{took:.0f} 秒,{len(allx)} 个请求({len(allx) / took:.1f} 个/秒),"
          f"错误 {sum(errors.values())}")
    print(f"{'请求':<10}{'次数':>7}{'p50 ms':>10}{'p99 ms':>10}{'平均 ms':>10}{'错误':>6}")
    for kind in sorted(lat, key=lambda k: -len(lat[k])):
        xs = lat[kind]
        print(f"{kind:<10}{len(xs):>7}{pct(xs, .5) * 1000:>10.0f}{pct(xs, .99) * 1000:>10.0f}"
              f"{statistics.mean(xs) * 1000:>10.0f}{errors.get(kind, 0):>6}")
    print(f"{'全部':<10}{len(allx):>7}{pct(allx, .5) * 1000:>10.0f}{pct(allx, .99) * 1000:>10.0f}"
          f"{statistics.mean(allx) * 1000:>10.0f}{sum(errors.values()):>6}")


if __name__ == "__main__":
    main()
