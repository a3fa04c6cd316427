"""A local stand-in for messaging platforms' outbound APIs (Telegram, Slack, Bot Framework).

The connectors are pointed at it on 127.0.0.1, so tests can see what the assistant
sends back without the internet. Every request is recorded; replies are the minimal
successful answers each API documents.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Tuple

Handler = Callable[[str, Dict[str, Any]], Tuple[int, Dict[str, Any]]]


class StandIn:
    """Records requests and answers them through handlers matched by path substring."""

    def __init__(self) -> None:
        self.requests: List[Dict[str, Any]] = []
        self.handlers: List[Tuple[str, Handler]] = []
        self._lock = threading.Lock()
        stand_in = self

        class RequestHandler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = _parse(raw, self.headers.get("Content-Type", ""))
                with stand_in._lock:
                    stand_in.requests.append(
                        {
                            "method": self.command,
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": body,
                        }
                    )
                status, payload = stand_in._dispatch(self.path, body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def on(self, path_part: str, handler: Handler) -> None:
        self.handlers.append((path_part, handler))

    def _dispatch(self, path: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        for part, handler in self.handlers:
            if part in path:
                return handler(path, body)
        return 200, {"ok": True}

    def received(self, path_part: str) -> List[Dict[str, Any]]:
        with self._lock:
            return [r for r in self.requests if path_part in r["path"]]

    def close(self) -> None:
        self.server.shutdown()


def _parse(raw: bytes, content_type: str) -> Dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        try:
            return json.loads(raw)
        except ValueError:
            return {"raw": raw.decode(errors="replace")}
    if "x-www-form-urlencoded" in content_type:
        from urllib.parse import parse_qsl

        return dict(parse_qsl(raw.decode()))
    if "multipart/form-data" in content_type:
        return {"multipart": raw.decode(errors="replace")}
    return {"raw": raw.decode(errors="replace")}


def wait_for(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    return condition()
