"""The proxy's outgoing call: send the prepared request, always come back with {status, headers, body}."""
from __future__ import annotations

import json

import requests

from sandbox.ticket_page.proxy import Outgoing

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length",
              "proxy-authenticate", "proxy-authorization", "te", "trailer", "upgrade", "set-cookie"}
MAX_RESPONSE_BYTES = 5 * 1024 * 1024


def forward(out: Outgoing, session: requests.Session) -> dict[str, object]:
    """Send the request; the answer is {status, statusText, headers, body}; never raises."""
    try:
        resp = session.request(out.method, out.url, headers=out.headers, data=out.body,
                               timeout=out.timeout_s, allow_redirects=False, stream=True)
        raw = resp.raw.read(MAX_RESPONSE_BYTES + 1, decode_content=True)
        resp.close()
    except requests.Timeout:
        return failure(504, "proxy_timeout", f"the upstream did not answer within {out.timeout_s:g}s")
    except requests.RequestException:
        return failure(502, "proxy_unreachable", "the upstream could not be reached")
    if len(raw) > MAX_RESPONSE_BYTES:
        return failure(502, "proxy_response_too_large", "the upstream answer is too large")
    headers = {k.lower(): v for k, v in resp.headers.items() if k.lower() not in HOP_BY_HOP}
    return {"status": resp.status_code, "statusText": resp.reason or "",
            "headers": headers, "body": raw.decode(resp.encoding or "utf-8", errors="replace")}


def failure(status: int, code: str, message: str) -> dict[str, object]:
    """A proxy-made answer in the same shape as a forwarded one."""
    body = json.dumps({"error": {"code": code, "message": message}})
    headers = {"content-type": "application/json"}
    return {"status": status, "statusText": code, "headers": headers, "body": body}
