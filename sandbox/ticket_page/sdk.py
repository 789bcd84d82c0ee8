"""Which ZAF SDK the app's pages load: Zendesk's CDN, or the local build when the CDN is out of reach."""
from __future__ import annotations

import logging
import re
import threading

import requests

from sandbox.ticket_page.config import SDK_CDN_URL, PageConfig

log = logging.getLogger("sandbox.ticket_page")
CDN_SCRIPT = re.compile(re.escape(SDK_CDN_URL).encode())
PROBE_TIMEOUT_S = 3.0


class SdkChoice:
    """cdn and local are fixed; auto asks the CDN once, at the first page that needs the answer."""

    def __init__(self, cfg: PageConfig, session: requests.Session):
        self.cfg = cfg
        self.session = session
        self._local: bool | None = {"cdn": False, "local": True}.get(cfg.sdk_source)
        self._lock = threading.Lock()

    def local(self) -> bool:
        """True when the app's HTML must point at this server's /_page/zaf_sdk.js."""
        if self._local is None:
            with self._lock:
                if self._local is None:
                    self._local = not self._cdn_answers()
                    log.info("ZAF SDK: %s", "Zendesk's CDN is out of reach, the app gets the local build "
                             "(/_page/zaf_sdk.js)" if self._local else "the app loads it from Zendesk's CDN")
        return self._local

    def _cdn_answers(self) -> bool:
        try:
            resp = self.session.head(self.cfg.sdk_probe_url, timeout=PROBE_TIMEOUT_S, allow_redirects=True)
        except requests.RequestException:
            return False
        return resp.status_code < 400

    def html(self, html: bytes, local_url: str) -> bytes:
        """html with Zendesk's CDN script replaced by local_url when the local build is chosen."""
        return CDN_SCRIPT.sub(local_url.encode(), html) if self.local() else html
