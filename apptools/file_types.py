"""File types Zendesk refuses in a package: by extension, and by content (the leading magic bytes)."""
from __future__ import annotations

from pathlib import Path, PurePosixPath

# Zendesk's validator compares both a file's extension and the MIME subtype it sniffs from the
# content with one list; `gz` is ours on top (a gzip file is refused by its content anyway).
EXTENSIONS = frozenset({"rar", "zip", "gzip", "gz", "pdf", "doc", "docx", "avi", "bin", "bz", "bz2", "csh",
                        "sh", "jar", "mp3", "mpeg", "odt", "pptx", "ppt", "xls", "xlsx", "7z"})
# The leading bytes of the contents whose sniffed subtype (zip, gzip, pdf, mpeg) is on that list.
MPEG_AUDIO = tuple(b"\xff" + bytes([second]) for second in b"\xf2\xf3\xf4\xf5\xf6\xf7\xfa\xfb\xfc\xfd\xe3")
MAGIC = {
    "a zip archive": (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"),
    "gzip data": (b"\x1f\x8b",),
    "a PDF": (b"%PDF-", b"\xef\xbb\xbf%PDF-"),
    "MPEG video": (b"\x00\x00\x01\xb3", b"\x00\x00\x01\xba"),
    "MPEG audio": (b"ID3", *MPEG_AUDIO),
}
REFUSED = "this file type is not allowed in the package"


def refused_type(root: Path, rel: str) -> str | None:
    """Why the regular file root/rel cannot be packaged (its extension or its content), or None."""
    if PurePosixPath(rel).suffix.lower().removeprefix(".") in EXTENSIONS:
        return REFUSED
    with (root / rel).open("rb") as handle:
        head = handle.read(8)
    for kind, signatures in MAGIC.items():
        if head.startswith(signatures):
            return f"content is {kind}: {REFUSED}"
    return None
