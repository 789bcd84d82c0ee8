"""SourceClient against small real servers on loopback: an answer is read only until the call's end,
whatever part of it trickles and whatever its encoding, and only up to its size limit once decoded."""
from __future__ import annotations

import gzip

import pytest

from backend.deadline import Deadline
from backend.errors import SourceBadResponse, SourceTimeout
from backend.sources.http import MAX_ANSWER_BYTES, SourceClient
from tests.fakes import Encoded, FakeHTTP, Trickle
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


def answer_of(size: int) -> bytes:
    """Valid JSON of exactly size bytes."""
    return b"{}" + b" " * (size - 2)


@pytest.mark.parametrize("reply", [
    pytest.param(Encoded(answer_of(MAX_ANSWER_BYTES + 1)), id="plain"),
    # A few kilobytes on the wire: only the decoded size tells (a decompression bomb).
    pytest.param(Encoded(gzip.compress(answer_of(MAX_ANSWER_BYTES + 1)), {"Content-Encoding": "gzip"}),
                 id="gzip"),
])
def test_an_answer_over_the_size_limit_once_decoded_is_a_bad_response(reply):
    api = FakeHTTP({"/orders": reply, "/small": Encoded(gzip.compress(answer_of(MAX_ANSWER_BYTES)),
                                                          {"Content-Encoding": "gzip"})})
    client = client_of(api, retries=2, call_timeout_ms=5000)
    try:
        assert client.get("/small", None, Deadline(10_000)) == {}  # at the limit: read
        with pytest.raises(SourceBadResponse):
            client.get("/orders", None, Deadline(10_000))
    finally:
        client.close()
        api.stop()
    assert api.requests == ["/small", "/orders"]  # a bad answer is not asked again


def test_an_answer_that_does_not_decode_is_a_bad_response_not_retried():
    api = FakeHTTP({"/orders": Encoded(b"{}" * 50, {"Content-Encoding": "gzip"})})
    client = client_of(api, retries=2)
    try:
        with pytest.raises(SourceBadResponse):
            client.get("/orders", None, Deadline(2000))
    finally:
        client.close()
        api.stop()
    assert api.requests == ["/orders"]
