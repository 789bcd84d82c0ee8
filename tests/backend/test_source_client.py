"""SourceClient against small real servers on loopback: an answer is read only until the call's end,
whatever part of it trickles and whatever its encoding."""
from __future__ import annotations

import pytest

from backend.deadline import Deadline
from backend.errors import SourceTimeout
from backend.sources.http import SourceClient
from tests.fakes import FakeHTTP, Trickle
from tests.servers import wait_for

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
EMPTY_DEFLATE_BLOCK = b"\x00\x00\x00\xff\xff"  # a stored block of no bytes, not the last one


def client_of(api: FakeHTTP, **changes) -> SourceClient:
    return SourceClient("payments", api.url, **{"retries": 0, "call_timeout_ms": 500, **changes})


def test_a_gzip_answer_that_decodes_to_nothing_is_cut_at_the_calls_end():
    # urllib3 reads on by itself while the decoder yields nothing: a check between decoded chunks never
    # ran, and the call lasted as long as the system kept sending (6.4 s for a 500 ms call timeout).
    body = GZIP_HEADER + EMPTY_DEFLATE_BLOCK * 38  # 200 bytes: 10 s at one byte every 50 ms
    api = FakeHTTP({"/orders": Trickle(body, interval_s=0.05, headers={"Content-Encoding": "gzip"})})
    client = client_of(api)
    try:
        with pytest.raises(SourceTimeout):
            client.get("/orders", None, Deadline(2000))
        # The client hung up while the system was still sending.
        wait_for(lambda: api.aborted == ["/orders"], timeout=5)
        assert api.trickled["/orders"] < len(body)
    finally:
        client.close()
        api.stop()


def test_a_status_line_and_headers_trickling_are_cut_at_the_calls_end():
    # Each byte comes well within the read timeout, so only the call's end can stop the reading.
    reply = Trickle(b"{}" + b" " * 300, interval_s=0.1, whole=True)
    head_bytes = 80  # the status line and headers FakeHTTP sends are longer than this
    api = FakeHTTP({"/orders": reply})
    client = client_of(api)
    try:
        with pytest.raises(SourceTimeout):
            client.get("/orders", None, Deadline(2000))
        wait_for(lambda: api.aborted == ["/orders"], timeout=5)
        # Hung up before the headers were all sent: the thread did not wait for them.
        assert api.trickled["/orders"] < head_bytes
    finally:
        client.close()
        api.stop()
