"""Small real servers on loopback for faults the sandbox cannot produce: scripted, trickling, black hole."""
from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Trickle:
    """A 200 JSON answer sent one byte every interval_s (each read by the client gets a byte)."""

    body: bytes
    interval_s: float = 0.1
    whole: bool = False  # the status line and headers trickle too, not only the body
    headers: dict[str, str] = field(default_factory=dict)  # more headers, e.g. Content-Encoding


@dataclass
class Encoded:
    """A 200 answer of exactly these bytes, with more headers (e.g. Content-Encoding: gzip)."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hang:
    """Accept the request and answer nothing until the server stops (or hold_s passes)."""

    hold_s: float = 30.0


Reply = tuple[int, object] | Trickle | Encoded | Hang | bytes
Route = Reply | Callable[[str], Reply]


class FakeHTTP:
    """A threaded HTTP server whose answers are scripted per path; it records what it saw."""

    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.requests: list[str] = []  # paths with query, in arrival order
        self.aborted: list[str] = []  # paths whose client hung up before the whole answer was sent
        self.completed: list[str] = []  # paths whose whole answer was sent
        self.trickled: dict[str, int] = {}  # bytes of a trickled answer sent so far, per path
        self.stopping = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
                fake.requests.append(self.path)
                route = fake.routes.get(self.path.split("?")[0], (404, {"error": "not found"}))
                reply = route(self.path) if callable(route) else route
                fake.answer(self, reply)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        if isinstance(reply, Hang):
            self.stopping.wait(reply.hold_s)
            return
        status, body = (200, reply.body) if isinstance(reply, Trickle | Encoded) else (
            (200, reply) if isinstance(reply, bytes) else (reply[0], json.dumps(reply[1]).encode()))
        extra = "".join(f"{name}: {value}\r\n" for name, value in getattr(reply, "headers", {}).items())
        head = (f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n{extra}"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        sent = b"" if isinstance(reply, Trickle) and reply.whole else head
        trickled = head + body if isinstance(reply, Trickle) and reply.whole else body
        try:
            handler.wfile.write(sent)
            if not isinstance(reply, Trickle):
                handler.wfile.write(body)
            else:
                for index in range(len(trickled)):
                    handler.wfile.write(trickled[index:index + 1])
                    handler.wfile.flush()
                    self.trickled[handler.path] = index + 1
                    if self.stopping.wait(reply.interval_s):
                        return
            self.completed.append(handler.path)
        except OSError:
            self.aborted.append(handler.path)
        handler.close_connection = True

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()


class BlackHole:
    """A TCP server that accepts connections and never answers: an unresponsive Redis or API."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.accepted = 0
        self._held: list[socket.socket] = []
        self._stop = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted += 1
            self._held.append(conn)  # kept open, never read from or written to

    def stop(self) -> None:
        self._stop = True
        self.sock.close()
        for conn in self._held:
            conn.close()

