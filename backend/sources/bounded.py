"""Every socket read of a call's answer waits only for what is left of the call, and none starts after
its end: the status line and headers as much as the body, whatever its content-encoding.

requests applies its read timeout to each socket read, so an answer trickling one byte at a time
never trips it; and urllib3 goes on reading by itself while a content decoder yields nothing (a gzip
stream of empty deflate blocks), so a deadline checked between the body's chunks is not checked at
all. Hence the file the answer is read from: http.client reads the status line, the headers and the
body through it, and urllib3 reads through http.client. A read after the end raises a socket
timeout, which urllib3 and requests report as a read timeout (and the connection is discarded)."""
from __future__ import annotations

import http.client
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3 import poolmanager
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_END: ContextVar[float | None] = ContextVar("call_end", default=None)


@contextmanager
def call_ends_at(end: float) -> Iterator[None]:
    """The answers to requests this thread sends meanwhile are read against end (time.monotonic())."""
    token = _END.set(end)
    try:
        yield
    finally:
        _END.reset(token)


class _ReadsUntil(io.RawIOBase):
    """The socket's reads, each given the time left until end; TimeoutError once end has passed."""

    def __init__(self, raw: io.RawIOBase, sock: Any, end: float):
        super().__init__()
        self._raw = raw  # the socket's own SocketIO: it keeps the socket open while the answer is read
        self._sock = sock
        self._end = end

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError("the call's end has passed")
        self._sock.settimeout(left)
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _Response(http.client.HTTPResponse):
    def __init__(self, sock: Any, *args: Any, **kwargs: Any):
        super().__init__(sock, *args, **kwargs)
        end = _END.get()
        if end is not None:
            self.fp = io.BufferedReader(_ReadsUntil(self.fp.detach(), sock, end))


class _Connection(HTTPConnection):
    response_class = _Response


class _TLSConnection(HTTPSConnection):
    response_class = _Response


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


_POOLS = {"http": _Pool, "https": _TLSPool}


class BoundedAdapter(HTTPAdapter):
    """requests' adapter whose connections read answers against call_ends_at's end."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if manager.pool_classes_by_scheme is poolmanager.pool_classes_by_scheme:  # an HTTP(S) proxy
            manager.pool_classes_by_scheme = _POOLS
        return manager
