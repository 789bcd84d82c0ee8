"""Small real servers on loopback for faults the sandbox cannot produce: scripted, trickling, black hole."""
from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Trickle:
    """A 200 JSON answer sent one byte every interval_s (each read by the client gets a byte)."""

    body: bytes
    interval_s: float = 0.1


@dataclass
class Hang:
    """Accept the request and answer nothing until the server stops (or hold_s passes)."""

    hold_s: float = 30.0


Reply = tuple[int, object] | Trickle | Hang | bytes
Route = Reply | Callable[[str], Reply]


class FakeHTTP:
    """A threaded HTTP server whose answers are scripted per path; it records what it saw."""

    def __init__(self, routes: dict[str, Route]):
        self.routes = routes
        self.requests: list[str] = []  # paths with query, in arrival order
        self.aborted: list[str] = []  # paths whose client hung up before the whole answer was sent
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
        status, body = (200, reply.body) if isinstance(reply, Trickle) else (
            (200, reply) if isinstance(reply, bytes) else (reply[0], json.dumps(reply[1]).encode()))
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            if not isinstance(reply, Trickle):
                handler.wfile.write(body)
                return
            for index in range(len(body)):
                handler.wfile.write(body[index:index + 1])
                handler.wfile.flush()
                if self.stopping.wait(reply.interval_s):
                    return
        except OSError:
            self.aborted.append(handler.path)

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

