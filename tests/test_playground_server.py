"""The playground's server: hostile requests get 4xx, never 500; the command line.

Raw sockets play the clients that lie about their length, stop sending, go away in
the middle, or knock with a foreign Host header; a thread pool plays many tabs.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _playground import RunningServer
from crossentropy.playground import make_server
from crossentropy.playground._api import ENDPOINTS


@pytest.fixture(scope="module")
def srv() -> RunningServer:
    running = RunningServer(read_timeout=1.0)
    yield running
    running.close()


def _raw(port: int, data: bytes, *, read: bool = True, timeout: float = 10.0) -> bytes:
    """Send ``data`` as it is on a new connection; the bytes answered until it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        if not read:
            return b""
        chunks = []
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _post_head(port: int, path: str, length: int | None, ctype: str = "application/json") -> bytes:
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
    if length is not None:
        head += f"Content-Length: {length}\r\n"
    return (head + "\r\n").encode()


VALID = {
    "/api/line/setup": {"scale": "years"},
    "/api/line/evaluate": {"scale": "centred", "a": 1.0, "b": 130.0},
    "/api/line/descend": {"scale": "decades", "a": 10.0, "b": 130.0, "rate": 0.2, "steps": 3},
    "/api/rate/setup": {},
    "/api/rate/descend": {"start": 2.0, "rate": 0.2, "steps": 3},
    "/api/classify/data": {"data": {"name": "xor", "seed": 1}},
    "/api/classify/evaluate": {
        "data": {"name": "xor", "seed": 1},
        "features": ["x1", "x2"],
        "model": "logistic",
        "weights": [[0.1, 0.2]],
        "bias": [0.0],
        "grid": 20,
    },
    "/api/classify/step": {
        "data": {"name": "xor", "seed": 1},
        "features": ["x1", "x2"],
        "model": "logistic",
        "weights": [[0.1, 0.2]],
        "bias": [0.0],
        "grid": 20,
        "method": "gd",
        "rate": 0.1,
    },
    "/api/classify/export": {
        "data": {"name": "blobs3", "seed": 1},
        "features": ["x1"],
        "model": "softmax",
        "weights": [[0.1], [0.2], [0.0]],
        "bias": [0.0, 0.0, 0.0],
    },
    "/api/classify/save_model": {
        "data": {"name": "blobs", "seed": 1},
        "features": ["x1"],
        "model": "logistic",
        "weights": [[0.1]],
        "bias": [0.0],
    },
    "/api/information/measures": {"p": [0.5, 0.5], "q": [0.25, 0.75]},
    "/api/information/coin": {"p": 0.5},
    "/api/information/draw": {"k": 3, "seed": 1},
    "/api/likelihood/dice": {"throws": 20, "reds": 5},
    "/api/likelihood/throw": {"throws": 20, "true_red_faces": 2, "seed": 1},
}


def test_every_endpoint_has_a_valid_example() -> None:
    assert set(VALID) == set(ENDPOINTS)


@pytest.mark.parametrize("path", sorted(VALID))
def test_valid_requests_answer_200(srv: RunningServer, path: str) -> None:
    status, _ = srv.post(path, VALID[path])
    assert status == 200


HOSTILE_VALUES = [
    None,
    True,
    "nan",
    "inf",
    "-inf",
    "1e999",
    "",
    "  ",
    "abc",
    [],
    {},
    [[1]],
    -1,
    0,
    1e308,
    -1e308,
    2**70,
    "0x10",
    "1/0",
    ["1", "2"],
    {"a": 1},
    "\x00",
    "9" * 5000,
]


@pytest.mark.parametrize("path", sorted(VALID))
def test_hostile_values_get_400_with_a_message(srv: RunningServer, path: str) -> None:
    body = VALID[path]
    for key in [*body, "unknown_field"]:
        for value in HOSTILE_VALUES:
            status, answer = srv.post(path, {**body, key: value})
            assert status in (200, 400), (key, value, status, answer)
            if status == 400:
                assert isinstance(answer["error"], str) and answer["error"]
                assert "Traceback" not in answer["error"]
    for key in body:
        status, answer = srv.post(path, {k: v for k, v in body.items() if k != key})
        assert status in (200, 400), (key, status, answer)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(path=st.sampled_from(sorted(VALID)), key=st.text(max_size=10), value=_json)
def test_fuzzed_bodies_never_answer_500(srv: RunningServer, path: str, key: str, value) -> None:
    body = dict(VALID[path])
    body[key if key not in ("", "grid") else "data"] = value
    status, answer = srv.post(path, body)
    assert status in (200, 400), (body, status, answer)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[1, 2]",
        b'"text"',
        b"{",
        b'{"p": NaN}',
        b'{"p": Infinity}',
        b"[" * 100_000 + b"]" * 100_000,
        b"\xff\xfe",
        b'{"p": 1' + b"0" * 10_000 + b"}",
    ],
)
def test_bodies_that_are_not_json_objects_get_400(srv: RunningServer, data: bytes) -> None:
    status, answer = srv.post("/api/information/measures", data)
    assert status == 400 and answer["error"]


def test_wrong_media_type_and_method(srv: RunningServer) -> None:
    status, answer = srv.post("/api/likelihood/dice", {}, **{"Content-Type": "text/plain"})
    assert status == 415 and "application/json" in answer["error"]
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS", "BREW"):
        status, headers, _ = srv.request(method, "/api/likelihood/dice")
        assert status == 405 and "POST" in headers["allow"]
    status, _, _ = srv.request("GET", "/api/likelihood/dice")
    assert status == 405
    assert srv.post("/api/nowhere", {})[0] == 404


def test_missing_length_and_chunks_get_411(srv: RunningServer) -> None:
    answer = _raw(srv.port, _post_head(srv.port, "/api/likelihood/dice", None))
    assert _status(answer) == 411
    head = _post_head(srv.port, "/api/likelihood/dice", None).replace(
        b"\r\n\r\n", b"\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    assert _status(_raw(srv.port, head + b"2\r\n{}\r\n0\r\n\r\n")) == 411


def test_oversized_bodies_are_refused_before_reading(srv: RunningServer) -> None:
    # Only the headers are sent: the answer comes without the server waiting for the body.
    t0 = time.perf_counter()
    answer = _raw(srv.port, _post_head(srv.port, "/api/information/coin", 2_000_000))
    assert _status(answer) == 413 and b"at most 1000000" in answer
    answer = _raw(srv.port, _post_head(srv.port, "/api/classify/upload", 6_000_000, "text/csv"))
    assert _status(answer) == 413 and b"at most 5000000" in answer
    assert time.perf_counter() - t0 < 0.9  # both well before the 1 s read timeout
    assert _status(_raw(srv.port, _post_head(srv.port, "/api/info", -5))) in (400, 404)
    bad = _post_head(srv.port, "/api/likelihood/dice", None).replace(
        b"\r\n\r\n", b"\r\nContent-Length: lots\r\n\r\n"
    )
    assert _status(_raw(srv.port, bad)) == 400


def test_a_body_shorter_than_promised_times_out(srv: RunningServer) -> None:
    answer = _raw(srv.port, _post_head(srv.port, "/api/likelihood/dice", 500) + b'{"throws"')
    assert _status(answer) == 408
    assert srv.post("/api/likelihood/dice", {})[0] == 200


def test_clients_that_go_away_do_not_hurt(srv: RunningServer) -> None:
    port = srv.port
    # Half a body, then gone; headers cut off; a request, then gone before the answer.
    _raw(port, _post_head(port, "/api/likelihood/dice", 100) + b'{"thr', read=False)
    _raw(port, b"POST /api/likelihood/dice HTTP/1.1\r\nHost: 127.0", read=False)
    big = json.dumps(VALID["/api/line/setup"]).encode()
    _raw(port, _post_head(port, "/api/line/setup", len(big)) + big, read=False)
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.sendall(_post_head(port, "/api/line/setup", len(big)) + big)
    time.sleep(0.2)
    assert srv.post("/api/likelihood/dice", {})[0] == 200


def test_many_requests_at_once(srv: RunningServer) -> None:
    paths = sorted(VALID) * 5
    expected = {p: srv.post(p, VALID[p]) for p in VALID}
    with ThreadPoolExecutor(max_workers=32) as pool:
        answers = list(pool.map(lambda p: (p, srv.post(p, VALID[p])), paths))
    for path, got in answers:
        assert got[0] == 200
        if path != "/api/classify/save_model":  # the file records the time of its fit
            assert got == expected[path], path  # stateless: the same answer every time


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1:1",
        "localhost.evil.example:{port}",
        "127.0.0.1.nip.io:{port}",
        "[::2]:{port}",
        "",
        "127.0.0.1:{port}@evil",
    ],
)
def test_foreign_host_headers_are_refused(srv: RunningServer, host: str) -> None:
    h = host.format(port=srv.port)
    for method in ("GET", "POST"):
        body = b"{}" if method == "POST" else None
        head = {"Host": h, "Content-Type": "application/json"}
        status, _, raw = srv.request(
            method, "/" if method == "GET" else "/api/rate/setup", body, head
        )
        assert status == 403 and b"DNS rebinding" in raw


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "localhost", "[::1]:{port}"]
)
def test_local_host_headers_are_served(srv: RunningServer, host: str) -> None:
    status, _, _ = srv.request("GET", "/", None, {"Host": host.format(port=srv.port)})
    assert status == 200


def test_foreign_origins_are_refused(srv: RunningServer) -> None:
    assert srv.post("/api/rate/setup", {}, Origin="http://evil.example")[0] == 403
    assert srv.post("/api/rate/setup", {}, Origin="null")[0] == 403
    assert srv.post("/api/rate/setup", {}, Origin=f"http://127.0.0.1:{srv.port}")[0] == 200
    # The page's own origin is the host it was asked for, by whichever local name.
    local = f"localhost:{srv.port}"
    assert srv.post("/api/rate/setup", {}, Origin=f"http://{local}", Host=local)[0] == 200
    assert srv.post("/api/rate/setup", {}, Origin=f"http://{local}")[0] == 403


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/static/../_server.py",
        "/app.js/../../_server.py",
        "//etc/passwd",
        "/index.html%00",
        "/_server.py",
        "/static/app.js",
        "/..%2f..%2fpyproject.toml",
        "/C:/Windows/win.ini",
        "/app.js?../../x",
    ],
)
def test_no_file_outside_the_page_is_served(srv: RunningServer, path: str) -> None:
    answer = _raw(
        srv.port,
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{srv.port}\r\nConnection: close\r\n\r\n".encode(),
    )
    status = _status(answer)
    if path == "/app.js?../../x":
        assert status == 200 and b"The playground page" in answer
    else:
        assert status in (400, 404), path
    assert b"root:" not in answer and b"import " not in answer


def test_the_page_and_its_headers(srv: RunningServer) -> None:
    status, headers, body = srv.request("GET", "/", None, {"Host": f"127.0.0.1:{srv.port}"})
    assert status == 200 and b"crossentropy playground" in body
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    for name in ("/app.js", "/plot.js", "/style.css"):
        assert srv.request("GET", name)[0] == 200
    assert srv.request("HEAD", "/")[2] == b""
    text = body.decode()
    assert "http://" not in text.replace(f"http://127.0.0.1:{srv.port}", "")
    for name in ("app.js", "plot.js", "style.css", "index.html"):
        source = (
            Path(__file__).parents[1] / "src/crossentropy/playground/static" / name
        ).read_text()
        assert "http://" not in source and "https://" not in source, name


def test_api_info_lists_every_endpoint(srv: RunningServer) -> None:
    with urllib.request.urlopen(srv.url + "api/info") as r:
        info = json.load(r)
    assert set(info["endpoints"]) == {*ENDPOINTS, "/api/classify/upload", "/api/info"}


def test_make_server_checks_its_arguments() -> None:
    with pytest.raises(ValueError, match="port"):
        make_server(port=70000)
    with pytest.raises(ValueError, match="port"):
        make_server(port=True)
    server = make_server(port=0)
    try:
        with pytest.raises(ValueError, match=r"cannot listen on 127\.0\.0\.1"):
            make_server(port=server.port)
    finally:
        server.server_close()
    with pytest.raises(ValueError, match="cannot listen"):
        make_server(host="192.0.2.1", port=0)


def test_import_crossentropy_does_not_import_the_playground() -> None:
    code = "import sys, crossentropy; print('crossentropy.playground' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _start_cli(
    *args: str, env: dict[str, str] | None = None, ignore_sigint: bool = False
) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "crossentropy.cli", "playground", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        # A job started in the background of a script inherits SIGINT ignored.
        preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
        if ignore_sigint
        else None,
    )
    line = proc.stdout.readline()
    assert line.startswith("crossentropy playground: http://127.0.0.1:"), line
    return proc, line.split()[2]


@pytest.mark.parametrize("ignore_sigint", [False, True])
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_the_command_serves_until_ctrl_c(ignore_sigint: bool, stop: signal.Signals) -> None:
    proc, url = _start_cli("--no-browser", "--port", "0", ignore_sigint=ignore_sigint)
    try:
        with urllib.request.urlopen(url + "api/info", timeout=30) as r:
            assert r.status == 200
        proc.send_signal(stop)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()  # reap it and close its pipes
    assert proc.returncode == 0, err
    assert "Traceback" not in err and "stopped" in out


def test_the_command_opens_the_browser(tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    browser = tmp_path / "browser.py"
    browser.write_text(f"import sys\nopen({str(seen)!r}, 'w').write(sys.argv[1])\n")
    proc, url = _start_cli(env={"BROWSER": f"{sys.executable} {browser} %s"})
    try:
        for _ in range(200):
            if seen.exists() and seen.read_text():
                break
            time.sleep(0.05)
        assert seen.read_text() == url
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)


def test_the_command_refuses_a_bad_port() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "crossentropy.cli", "playground", "--port", "99999", "--no-browser"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2 and "port" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(("ci", "outcome"), [("true", "1 error"), ("", "1 skipped")])
def test_browser_tests_without_chromium_skip_or_fail_under_ci(
    tmp_path: Path, ci: str, outcome: str
) -> None:
    test = Path(__file__).with_name("test_playground_browser.py")
    env = {**os.environ, "XENT_CHROMIUM": str(tmp_path / "no-chromium"), "CI": ci}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            f"{test}::test_likelihood_of_the_die",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=test.parents[1],
    )
    assert outcome in out.stdout, out.stdout
    assert "apt-get install chromium" in out.stdout
    if ci:
        assert out.returncode != 0 and "CI=true" in out.stdout
