"""A playground server in a thread and a small HTTP client, for the playground's tests."""

from __future__ import annotations

import http.client
import json
import threading
from typing import Any

from crossentropy.playground import PlaygroundServer, make_server


class RunningServer:
    """A :class:`PlaygroundServer` serving in a daemon thread on a free port."""

    def __init__(self, **kwargs: Any) -> None:
        self.server: PlaygroundServer = make_server(port=0, **kwargs)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        return self.server.url

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            res = conn.getresponse()
            return res.status, {k.lower(): v for k, v in res.getheaders()}, res.read()
        finally:
            conn.close()

    def post(self, path: str, body: Any, **headers: str) -> tuple[int, Any]:
        """POST ``body`` as JSON; the status and the decoded JSON answer (or bytes)."""
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        head = {"Content-Type": "application/json", **headers}
        status, got, raw = self.request("POST", path, data, head)
        if got.get("content-type", "").startswith("application/json"):
            return status, json.loads(raw)
        return status, raw

    def ok(self, path: str, body: Any) -> Any:
        status, data = self.post(path, body)
        assert status == 200, (status, data)
        return data

    def bad(self, path: str, body: Any, status: int = 400) -> dict[str, Any]:
        got, data = self.post(path, body)
        assert got == status, (got, data)
        assert isinstance(data, dict) and isinstance(data["error"], str) and data["error"]
        return data

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
