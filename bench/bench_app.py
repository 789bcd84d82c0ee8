"""Sidebar app weight: JS + CSS sent to the agent's browser, gzipped, against the 30 KB budget."""
from __future__ import annotations

import gzip
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "zendesk-app" / "assets"
BUDGET_BYTES = 30 * 1024


def _gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def measure(assets: Path = ASSETS) -> dict[str, int]:
    """Bytes of all JS + CSS, and of the worst download: the code plus the two largest catalogs.

    Each file is gzipped on its own, as a server sends it. The app imports only the agent's catalog
    and, for "insert into reply", the learner's; English is always loaded as the fallback, so the
    worst case is code + en + the largest other catalog.
    """
    files = sorted(p for p in assets.rglob("*") if p.suffix in (".js", ".css") and p.is_file())
    catalogs = {p.stem: _gz(p) for p in files if p.parent.name == "i18n"}
    code = [p for p in files if p.parent.name != "i18n"]
    others = sorted((size for name, size in catalogs.items() if name != "en"), reverse=True)
    code_gz = sum(_gz(p) for p in code)
    return {
        "files": len(files), "raw": sum(p.stat().st_size for p in files),
        "all_gzip": code_gz + sum(catalogs.values()),
        "download_gzip": code_gz + catalogs.get("en", 0) + (others[0] if others else 0),
    }


def run() -> str:
    """Markdown section with the measured sizes and their ratio to the budget."""
    m = measure()
    kb = 1024
    return "\n".join([
        "## Sidebar app size",
        "",
        "JS + CSS of `zendesk-app/assets/`, each file gzipped on its own (the ZAF SDK comes from Zendesk's",
        "CDN and is not counted). An agent downloads the code, the English catalog and at most one more",
        "(its own language or the learner's for the reply summary).",
        "",
        "| what | gzipped | gzipped / 30 KB budget |",
        "|---|---|---|",
        f"| worst download for an agent | {m['download_gzip'] / kb:.1f} KB "
        f"| {m['download_gzip'] / BUDGET_BYTES:.2f} |",
        f"| every file in the package ({m['files']} files, {m['raw'] / kb:.1f} KB raw) "
        f"| {m['all_gzip'] / kb:.1f} KB | {m['all_gzip'] / BUDGET_BYTES:.2f} |",
        "",
    ])


if __name__ == "__main__":
    print(run())
