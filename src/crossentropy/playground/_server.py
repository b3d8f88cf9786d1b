"""The playground's web server: the standard library's ThreadingHTTPServer.

It serves the page (files shipped in ``static/``, read once at start) and the JSON
API of :mod:`._api`, and guards both:

* Bound to a loopback address (the default, 127.0.0.1), it answers only requests
  whose ``Host`` header names this computer (``127.0.0.1``, ``localhost`` or
  ``[::1]`` with the server's port): a page elsewhere that rebinds its own DNS name
  to 127.0.0.1 gets 403.  API calls must be ``application/json`` (or ``text/csv``
  for the upload) and carry no foreign ``Origin``, so that other sites' pages cannot
  post to it either.
* Only the files of ``static/`` are served, looked up by exact name: no path
  reaches the file system.
* A body must declare its length (411 otherwise), at most 1 MB for JSON and 5 MB
  (100,000 rows) for an upload; a longer one is refused (413) before it is read.
  A client that stops sending meets a read timeout (408); one that goes away
  mid-request is let go without a word.
* Bad input answers 400 with the library's message, as JSON with the field it
  concerns; nothing answers a traceback.

The library's computations run one at a time (a lock): Python's warnings are
process-wide, and the library's warnings (separation, convergence) are caught
around each computation and returned as notes.  A request takes milliseconds, so
the page stays live while connections are served concurrently.
"""

from __future__ import annotations

import ipaddress
import json
import signal
import socket
import sys
import threading
import traceback
import warnings
import webbrowser
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from ._api import ENDPOINTS, UPLOAD_PATH, Context, info
from ._classify import Download
from ._datasets import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, decode_upload
from ._inputs import Body, InputError

__all__ = ["PlaygroundServer", "make_server", "serve"]

MAX_JSON_BYTES = 1_000_000
READ_TIMEOUT = 10.0
MAX_CONNECTIONS = 64
_CHUNK = 1 << 16

#: The page's files: URL path -> (file in static/, media type).
STATIC_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
    "/plot.js": ("plot.js", "text/javascript; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
}

_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data: blob:; script-src 'self'; "
        "style-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str
    close: bool = False
    extra: tuple[tuple[str, str], ...] = ()


def _json_reply(status: int, payload: Any, *, close: bool = False) -> _Reply:
    data = json.dumps(payload, allow_nan=False, separators=(",", ":")).encode()
    return _Reply(status, data, "application/json", close)


def _error(status: int, message: str, field: str | None = None, *, close: bool = False) -> _Reply:
    return _json_reply(status, {"error": message, "field": field}, close=close)


def _load_static() -> dict[str, tuple[bytes, str]]:
    folder = resources.files("crossentropy.playground") / "static"
    files = {}
    for path, (name, media) in STATIC_FILES.items():
        files[path] = ((folder / name).read_bytes(), media)
    return files


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number the playground accepts")


class PlaygroundServer(ThreadingHTTPServer):
    """The playground's HTTP server (see the module notes for what it guards).

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Address to listen on; a loopback address also turns on the Host check.
    port : int, default 0
        0 picks a free port; :attr:`url` says which.
    read_timeout : float, default 10
        Seconds a connection may stay silent while a request is expected or read.
    verbose : bool, default False
        Log each request on stderr.
    """

    daemon_threads = True
    request_queue_size = 64

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        read_timeout: float = READ_TIMEOUT,
        verbose: bool = False,
    ) -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        self.read_timeout = read_timeout
        self.verbose = verbose
        self.context = Context()
        self.compute_lock = threading.Lock()
        self.static = _load_static()
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        super().__init__((host, port), PlaygroundHandler)
        address = self.server_address[0]
        try:
            self.loopback = ipaddress.ip_address(str(address)).is_loopback
        except ValueError:
            self.loopback = False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        """The page's address, such as ``http://127.0.0.1:8765/``."""
        host = str(self.server_address[0])
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def allowed_host(self, header: str | None) -> bool:
        """Whether a request's Host header names this computer and port (loopback only)."""
        if not self.loopback:
            return True
        if not header:
            return False
        try:
            parts = urlsplit(f"//{header.strip()}")
            name, port = parts.hostname, parts.port
        except ValueError:
            return False
        return name in ("127.0.0.1", "localhost", "::1") and port in (None, self.port)

    def allowed_origin(self, origin: str, host: str | None) -> bool:
        """Whether a request's Origin is this server's own page (the Host it asked for)."""
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        return parts.scheme == "http" and host is not None and parts.netloc == host.strip()

    # Backpressure: at most MAX_CONNECTIONS connections are served at once; more
    # wait in the listen queue instead of starting a thread each.
    def process_request(self, request: Any, client_address: Any) -> None:
        self._slots.acquire()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the client went away or fell silent: nothing to report
        print(f"playground: error serving {client_address[0]}: {exc!r}", file=sys.stderr)


class PlaygroundHandler(BaseHTTPRequestHandler):
    """One connection of the playground: the page's files and the JSON API."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm
    # would hold the body back until the client's delayed ACK, 40 ms later.
    disable_nagle_algorithm = True
    server_version = "crossentropy-playground"
    sys_version = ""
    server: PlaygroundServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.read_timeout)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def __getattr__(self, name: str) -> Any:
        # Every method other than GET, HEAD and POST: 405, not the 501 page.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    # ------------------------------------------------------------ replies
    def _send(self, reply: _Reply, *, head: bool = False) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for key, value in _SECURITY_HEADERS.items():
            self.send_header(key, value)
        for key, value in reply.extra:
            self.send_header(key, value)
        if reply.close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if not head:
            self.wfile.write(reply.body)

    def _method_not_allowed(self) -> None:
        reply = _error(HTTPStatus.METHOD_NOT_ALLOWED, f"method {self.command} is not allowed")
        self._send(
            _Reply(
                reply.status, reply.body, reply.content_type, True, (("Allow", "GET, HEAD, POST"),)
            )
        )

    def _refused_host(self) -> _Reply | None:
        if self.server.allowed_host(self.headers.get("Host")):
            return None
        return _error(
            HTTPStatus.FORBIDDEN,
            "the Host header must name this computer (127.0.0.1, localhost or [::1]) and the "
            "server's port; requests for other names are refused (DNS rebinding)",
            close=True,
        )

    # ------------------------------------------------------------ GET
    def do_GET(self) -> None:
        self._get(head=False)

    def do_HEAD(self) -> None:
        self._get(head=True)

    def _get(self, *, head: bool) -> None:
        refused = self._refused_host()
        if refused is not None:
            self._send(refused, head=head)
            return
        path = urlsplit(self.path).path
        if path in self.server.static:
            data, media = self.server.static[path]
            self._send(_Reply(HTTPStatus.OK, data, media), head=head)
        elif path == "/api/info":
            self._send(_json_reply(HTTPStatus.OK, info()), head=head)
        elif path.startswith("/api/"):
            self._send(_error(HTTPStatus.METHOD_NOT_ALLOWED, f"{path} takes POST"), head=head)
        else:
            self._send(
                _Reply(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8"),
                head=head,
            )

    # ------------------------------------------------------------ POST
    def do_POST(self) -> None:
        try:
            reply = self._post()
        except TimeoutError:
            reply = _error(
                HTTPStatus.REQUEST_TIMEOUT,
                "the request body did not arrive in time (its Content-Length promised more)",
                close=True,
            )
        self._send(reply)

    def _post(self) -> _Reply:
        refused = self._refused_host()
        if refused is not None:
            return refused
        origin = self.headers.get("Origin")
        if origin is not None and not self.server.allowed_origin(origin, self.headers.get("Host")):
            return _error(
                HTTPStatus.FORBIDDEN,
                f"requests from other sites are refused; Origin {origin!r}",
                close=True,
            )
        path = urlsplit(self.path).path
        upload = path == UPLOAD_PATH
        if not upload and path not in ENDPOINTS:
            return _error(HTTPStatus.NOT_FOUND, f"no endpoint {path}", close=True)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        wanted = "text/csv" if upload else "application/json"
        if media != wanted:
            return _error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"{path} takes Content-Type {wanted}; got {media or 'none'}",
                close=True,
            )
        limit = MAX_UPLOAD_BYTES if upload else MAX_JSON_BYTES
        length, problem = self._content_length(limit)
        if problem is not None:
            return problem
        if upload:
            return self._upload(length)
        data = self._read_exactly(length)
        if data is None:
            return _error(HTTPStatus.BAD_REQUEST, "the request body ended early", close=True)
        try:
            payload = json.loads(data, parse_constant=_reject_constant)
        except (ValueError, RecursionError) as exc:
            return _error(HTTPStatus.BAD_REQUEST, f"the request body must be JSON: {exc}")
        return self._compute(lambda: ENDPOINTS[path](Body(payload), self.server.context), True)

    def _content_length(self, limit: int) -> tuple[int, _Reply | None]:
        if self.headers.get("Transfer-Encoding"):
            return 0, _error(
                HTTPStatus.LENGTH_REQUIRED,
                "send the body with a Content-Length, not in chunks",
                close=True,
            )
        raw = self.headers.get("Content-Length")
        if raw is None:
            return 0, _error(HTTPStatus.LENGTH_REQUIRED, "a Content-Length is required", close=True)
        try:
            length = int(raw)
        except ValueError:
            length = -1
        if length < 0:
            return 0, _error(
                HTTPStatus.BAD_REQUEST,
                f"Content-Length must be a whole number; got {raw!r}",
                close=True,
            )
        if length > limit:
            # Refused before reading: the connection closes with the body unread.
            return 0, _error(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the body has {length} bytes; this endpoint takes at most {limit}",
                "file" if limit == MAX_UPLOAD_BYTES else None,
                close=True,
            )
        return length, None

    def _read_exactly(self, length: int) -> bytes | None:
        data = self.rfile.read(length)
        if len(data) < length:
            self.close_connection = True  # the client stopped sending and closed
            return None
        return data

    def _upload(self, length: int) -> _Reply:
        chunks: list[bytes] = []
        left, newlines = length, 0
        while left > 0:
            chunk = self.rfile.read(min(_CHUNK, left))
            if not chunk:
                return _error(HTTPStatus.BAD_REQUEST, "the upload ended early", "file", close=True)
            left -= len(chunk)
            newlines += chunk.count(b"\n")
            chunks.append(chunk)
            # A header line, then the rows: refuse as soon as there are too many,
            # without reading the rest.
            if newlines > MAX_UPLOAD_ROWS + 1:
                return _error(
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                    f"the CSV has more than {MAX_UPLOAD_ROWS} rows; the playground takes at "
                    f"most {MAX_UPLOAD_ROWS}",
                    "file",
                    close=True,
                )
        data = b"".join(chunks)

        def add() -> dict[str, Any]:
            table = decode_upload(data)
            key = self.server.context.uploads.add(table)
            return {
                "id": key,
                "rows": int(table.X.shape[0]),
                "inputs": list(table.input_names),
                "classes": list(table.classes),
            }

        return self._compute(add, False)

    def _compute(self, work: Any, check_body: bool) -> _Reply:
        with self.server.compute_lock, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = work()
            except InputError as exc:
                return _error(HTTPStatus.BAD_REQUEST, str(exc), exc.field)
            except (ValueError, TypeError) as exc:
                return _error(HTTPStatus.BAD_REQUEST, str(exc))
            except Exception as exc:  # a bug: say so briefly, keep serving
                print("playground: internal error:", file=sys.stderr)
                traceback.print_exc(file=sys.stderr)
                return _error(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error ({type(exc).__name__})"
                )
        if isinstance(result, Download):
            return _Reply(
                HTTPStatus.OK,
                result.data,
                result.content_type,
                extra=(("Content-Disposition", f'attachment; filename="{result.filename}"'),),
            )
        notes = list(dict.fromkeys([*result.get("notes", []), *(str(w.message) for w in caught)]))
        if notes:
            result = {**result, "notes": notes}  # a copy: results may be cached
        return _json_reply(HTTPStatus.OK, result)


def make_server(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    read_timeout: float = READ_TIMEOUT,
    verbose: bool = False,
) -> PlaygroundServer:
    """A playground server listening on ``host:port`` (not yet serving).

    Raises ValueError when the address cannot be listened on (in use, not this
    computer's, or not an address at all).
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise ValueError(f"`port` must be a whole number in [0, 65535]; got {port!r}")
    try:
        return PlaygroundServer(host, port, read_timeout=read_timeout, verbose=verbose)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ValueError(f"cannot listen on {host}:{port}: {reason}") from None


def serve(
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    open_browser: bool = True,
    verbose: bool = False,
) -> None:
    """Serve the playground until Ctrl-C; print its URL and open it in the browser.

    Parameters
    ----------
    host : str, default "127.0.0.1"
        Address to listen on.  Another address than a loopback one makes the page
        reachable from other computers (a note on stderr says so).
    port : int, default 0
        0 picks a free port.
    open_browser : bool, default True
        Open the page in the default web browser.
    verbose : bool, default False
        Log every request on stderr.
    """
    server = make_server(host, port, verbose=verbose)
    previous = _stop_on_signals()
    try:
        print(f"crossentropy playground: {server.url}  (Ctrl-C stops it)", flush=True)
        if not server.loopback:
            print(
                f"playground: listening on {host}, reachable from other computers",
                file=sys.stderr,
            )
        if open_browser:
            threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
        _serve_until_interrupted(server)
    except KeyboardInterrupt:
        print("playground: stopped", flush=True)
    finally:
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _serve_until_interrupted(server: PlaygroundServer) -> None:
    """``serve_forever`` in a thread of its own, the main thread waiting for Ctrl-C.

    The signal then interrupts a plain wait, never the server's own bookkeeping: a
    KeyboardInterrupt raised inside ``process_request`` (between starting a
    connection's thread and counting it) was swallowed there and left the server
    running.
    """
    worker = threading.Thread(target=server.serve_forever, name="playground", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.5)
    finally:
        server.shutdown()  # returns once serve_forever has left its loop


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> dict[int, Any]:
    """Ctrl-C and SIGTERM stop the server, also where the parent ignored SIGINT (a
    process started in the background of a script inherits that)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _raise_interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
