"""A load generator that costs the server's machine little: pre-built requests, keep-alive, processes."""
from __future__ import annotations

import asyncio
import json
import multiprocessing
import re
import time
from urllib.parse import urlsplit

RECONNECT_EVERY = 200  # requests per connection before reconnecting, so load spreads over workers
_LENGTH = re.compile(rb"\r\ncontent-length:[ \t]*(\d+)", re.IGNORECASE)


def post_request(url: str, body: object, headers: dict[str, str] | None = None) -> bytes:
    """The bytes of one keep-alive HTTP/1.1 POST of body as JSON, built once outside the timed loop."""
    parts = urlsplit(url)
    payload = json.dumps(body, separators=(",", ":")).encode()
    lines = [f"POST {parts.path} HTTP/1.1", f"Host: {parts.netloc}", "Content-Type: application/json",
             f"Content-Length: {len(payload)}", "Connection: keep-alive",
             *(f"{name}: {value}" for name, value in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _open(host: str, port: int, stop_at: float) -> tuple | None:
    while True:
        try:
            return await asyncio.open_connection(host, port)
        except OSError:
            if time.time() >= stop_at:
                return None
            await asyncio.sleep(0.01)


async def _connection(host: str, port: int, requests: list[bytes], offset: int, start_at: float,
                      stop_at: float, counts: list[int]) -> None:
    """One client connection: send, read the whole answer, repeat until stop_at; counts [ok, bad]."""
    opened = await _open(host, port, stop_at)
    sent = offset
    await asyncio.sleep(max(0.0, start_at - time.time()))
    while opened is not None and time.time() < stop_at:
        reader, writer = opened
        try:
            writer.write(requests[sent % len(requests)])
            sent += 1
            head = await reader.readuntil(b"\r\n\r\n")
            length = _LENGTH.search(head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            ok, fresh = head[9:12] == b"200", sent % RECONNECT_EVERY == 0
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            ok, fresh = False, True  # the connection is unusable: open another one
        if time.time() <= stop_at:
            counts[0 if ok else 1] += 1
        if fresh:
            writer.close()
            opened = await _open(host, port, stop_at)
    if opened is not None:
        opened[1].close()


def _process(url: str, requests: list[bytes], connections: int, index: int, start_at: float,
             seconds: float, results: multiprocessing.Queue) -> None:
    parts = urlsplit(url)
    counts = [0, 0]

    async def main() -> None:
        await asyncio.gather(*(_connection(parts.hostname or "127.0.0.1", parts.port or 80, requests,
                                           index * connections + c, start_at, start_at + seconds, counts)
                               for c in range(connections)))

    asyncio.run(main())
    results.put(counts)


def blast(url: str, requests: list[bytes], *, seconds: float, processes: int = 2,
          connections: int = 8) -> tuple[int, int]:
    """Keep processes × connections requests in flight for `seconds`; (answers 200, other answers
    or failures) completed inside that window. All clients start at the same instant."""
    ctx = multiprocessing.get_context("fork")
    results: multiprocessing.Queue = ctx.Queue()
    start_at = time.time() + 0.5  # after every process has forked and connected
    procs = [ctx.Process(target=_process, args=(url, requests, connections, i, start_at, seconds, results))
             for i in range(processes)]
    for proc in procs:
        proc.start()
    totals = [0, 0]
    for _ in procs:
        ok, bad = results.get(timeout=seconds + 60)
        totals[0] += ok
        totals[1] += bad
    for proc in procs:
        proc.join()
    return totals[0], totals[1]
