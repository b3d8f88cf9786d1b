"""Latency of the playground's endpoints, on 127.0.0.1.

Run:  python benchmarks/bench_playground.py [--requests N] [--quick]

A playground server runs in its own process (``xent playground --no-browser``); one
client sends each endpoint's request N times (default 300, after 10 warm-up
requests) over one kept-alive connection, as the page does, and reports the median
and the 95th percentile of the round trip.  The floor is ``GET /api/info`` on the
same connection: the cost of HTTP and JSON alone; the ratio column is the median
over that floor.

Goals, so that dragging feels live: a slider move answers in under 20 ms and the
page's 100 x 100 decision-region grid (``/api/classify/evaluate``) in under 20 ms,
both at the 95th percentile.  Each goal line says met or NOT met.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any

BLOBS = {"name": "blobs", "noise": 0.1, "seed": 1, "n": 200, "test_fraction": 0.5}
CLASSIFY = {
    "data": BLOBS,
    "features": ["x1", "x2", "x1*x2"],
    "model": "logistic",
    "weights": [[0.6, 0.4, 0.1]],
    "bias": [0.0],
}

# (label, path, body, goal in ms or None); a goal marks what a slider move asks for.
CASES: list[tuple[str, str, dict[str, Any], float | None]] = [
    ("line: move a slider", "/api/line/evaluate", {"scale": "years", "a": 1.2, "b": 80}, 20.0),
    (
        "line: 10 GD steps",
        "/api/line/descend",
        {"scale": "decades", "a": 20, "b": 120, "rate": 0.2, "steps": 10},
        None,
    ),
    ("line: scale (cached)", "/api/line/setup", {"scale": "centred"}, None),
    (
        "rate: 10 steps as one run",
        "/api/rate/descend",
        {"start": 1.0, "rate": 0.3, "steps": 10},
        None,
    ),
    (
        "classify: move a weight, 100x100 grid",
        "/api/classify/evaluate",
        {**CLASSIFY, "grid": 100},
        20.0,
    ),
    ("classify: data set", "/api/classify/data", {"data": BLOBS}, 20.0),
    (
        "classify: 1 GD step (l2 = 0.01)",
        "/api/classify/step",
        {**CLASSIFY, "method": "gd", "rate": 0.1, "l2": 0.01},
        None,
    ),
    (
        "classify: 1 GD step (l2 = 0, separation test)",
        "/api/classify/step",
        {**CLASSIFY, "method": "gd", "rate": 0.1},
        None,
    ),
    (
        "classify: 1 SGD epoch, batch 10",
        "/api/classify/step",
        {**CLASSIFY, "method": "sgd", "rate": 0.1, "l2": 0.01, "batch": 10},
        None,
    ),
    (
        "classify: 1 Newton step",
        "/api/classify/step",
        {**CLASSIFY, "method": "newton", "l2": 0.01},
        None,
    ),
    (
        "information: move a slider",
        "/api/information/measures",
        {
            "p": [0.7, 0.2, 0.1],
            "q": [0.5, 0.2, 0.3],
            "adjust": {"which": "q", "index": 0, "value": 0.45},
        },
        20.0,
    ),
    ("information: coin slider", "/api/information/coin", {"p": 0.3}, 20.0),
    (
        "likelihood: move a slider",
        "/api/likelihood/dice",
        {"throws": 100, "reds": 34, "red_faces": 2},
        20.0,
    ),
]


def _start_server() -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossentropy.cli", "playground", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if "http://127.0.0.1:" not in line:
        proc.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
    return proc, port


def _timed(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None) -> float:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    t0 = time.perf_counter()
    conn.request(method, path, body=body, headers=headers)
    res = conn.getresponse()
    data = res.read()
    elapsed = time.perf_counter() - t0
    if res.status != 200:
        raise SystemExit(f"{path} answered {res.status}: {data[:200]!r}")
    return elapsed * 1e3


def _measure(
    conn: http.client.HTTPConnection, method: str, path: str, body: Any, n: int
) -> list[float]:
    raw = None if body is None else json.dumps(body).encode()
    for _ in range(10):
        _timed(conn, method, path, raw)
    return [_timed(conn, method, path, raw) for _ in range(n)]


def _p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per endpoint")
    parser.add_argument("--quick", action="store_true", help="50 requests per endpoint")
    args = parser.parse_args()
    n = 50 if args.quick else args.requests
    proc, port = _start_server()
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        floor = statistics.median(_measure(conn, "GET", "/api/info", None, n))
        print(f"playground latency on 127.0.0.1, {n} requests each, one kept-alive connection")
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; the floor (GET /api/info): "
            f"{floor:.2f} ms median\n"
        )
        print(f"{'endpoint':<46} {'median ms':>9} {'p95 ms':>8} {'/ floor':>8}  goal")
        verdicts = []
        for label, path, body, goal in CASES:
            times = _measure(conn, "POST", path, body, n)
            med, p95 = statistics.median(times), _p95(times)
            mark = ""
            if goal is not None:
                met = p95 < goal
                mark = f"p95 < {goal:g} ms: {'met' if met else 'NOT met'}"
                verdicts.append(met)
            print(f"{label:<46} {med:9.2f} {p95:8.2f} {med / floor:8.1f}  {mark}")
        conn.close()
        print(
            f"\nslider moves and the 100 x 100 grid: {sum(verdicts)} of {len(verdicts)} goals met"
        )
    finally:
        proc.terminate()
        proc.wait(timeout=30)


if __name__ == "__main__":
    main()
