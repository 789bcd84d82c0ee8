"""PNG dimensions from the IHDR chunk, without an imaging library."""
from __future__ import annotations

import struct
from pathlib import Path

SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path: Path) -> tuple[int, int] | None:
    """(width, height) of a PNG file, or None when it is not a PNG."""
    with path.open("rb") as handle:
        head = handle.read(24)
    # signature (8) + chunk length (4) + "IHDR" (4) + width (4) + height (4)
    if len(head) < 24 or head[:8] != SIGNATURE or head[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height
