"""Sidebar app weight: JS + CSS sent to the agent's browser, gzipped, against the 30 KB budget."""
from __future__ import annotations

import gzip
import shutil
import tempfile
from pathlib import Path

from apptools.package import minify

ASSETS = Path(__file__).resolve().parent.parent / "zendesk-app" / "assets"
BUDGET_BYTES = 30 * 1024


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def measure(assets: Path) -> dict[str, int]:
    """All JS + CSS, and the worst download: the code, the largest panel catalog and the largest reply
    catalog.

    Each file is gzipped on its own, as a server sends it. The app imports only the agent's panel
    catalog (i18n/<locale>.js) and, for "insert into reply", the learner's reply strings
    (i18n/reply/<locale>.js): one of each.
    """
    files = sorted(p for p in assets.rglob("*") if p.suffix in (".js", ".css") and p.is_file())
    panel = [_gz(p) for p in files if p.parent.name == "i18n"]
    reply = [_gz(p) for p in files if p.parent.name == "reply" and p.parent.parent.name == "i18n"]
    code_gz = sum(_gz(p) for p in files) - sum(panel) - sum(reply)
    return {"files": len(files), "raw": sum(p.stat().st_size for p in files),
            "all_gzip": code_gz + sum(panel) + sum(reply),
            "download_gzip": code_gz + max(panel, default=0) + max(reply, default=0)}


def _row(label: str, size: int) -> str:
    return f"| {label} | {size / 1024:.1f} KB | {size / BUDGET_BYTES:.2f} |"


def run() -> str:
    """Markdown section with the sizes measured now (sources and the packaged, minified build)."""
    source = measure(ASSETS)
    with tempfile.TemporaryDirectory() as tmp:
        shipped_dir = Path(tmp) / "assets"
        shutil.copytree(ASSETS, shipped_dir)
        minify(shipped_dir)  # exactly what `make package` ships
        shipped = measure(shipped_dir)
    return "\n".join([
        "## Sidebar app size",
        "",
        f"JS + CSS of the app ({source['files']} files), each file gzipped on its own as a server sends it;",
        "the ZAF SDK comes from Zendesk's CDN and is not counted. `make package` minifies each file",
        "(esbuild, no bundling). An agent downloads the code, the panel's catalog in its own language and,",
        "for a reply summary, the reply strings in the learner's language (`i18n/reply/`), one of each.",
        "",
        "| what | gzipped | gzipped / 30 KB budget |",
        "|---|---|---|",
        _row("packaged: worst download for an agent", shipped["download_gzip"]),
        _row("packaged: every file", shipped["all_gzip"]),
        _row(f"sources as written ({source['raw'] / 1024:.1f} KB raw): every file", source["all_gzip"]),
        "",
    ])


if __name__ == "__main__":
    print(run())
