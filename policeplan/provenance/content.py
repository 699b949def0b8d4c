"""Reading an import's bytes within limits, and what its SHA-256 digests are taken of."""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import ImportFailed

GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class ImportInput:
    """One thing to import: a display name (a path, ``zip!member`` or URL), a way to read its
    bytes and, where known, its size before reading (so an oversized file is never read)."""

    name: str
    read: Callable[[], bytes]
    url: str = ""
    size: Callable[[], int] | None = None
    fetched_at: datetime | None = None  # when the answers were fetched, for API sources

    @classmethod
    def from_path(cls, path: Path, url: str = "") -> ImportInput:
        # Bound methods and partials, not lambdas: inputs go to worker processes by pickle.
        return cls(str(path), read=path.read_bytes, url=url, size=functools.partial(_size, path))


def _size(path: Path) -> int:
    return path.stat().st_size


@dataclass(frozen=True)
class Content:
    """An input's bytes as given and as imported (gzip removed), with their digests."""

    data: bytes
    sha256: str
    size_bytes: int
    content: bytes
    content_sha256: str


def read_content(item: ImportInput, max_bytes: int | None, gunzip: bool) -> Content:
    """Read ``item`` within ``max_bytes`` (None: no limit), optionally gunzipping it with the
    same limit on the output, and hash both forms."""
    try:
        if max_bytes is not None and item.size is not None and item.size() > max_bytes:
            raise ImportFailed(item.name, [_too_big(item.name, item.size(), max_bytes)])
        data = item.read()
    except FileNotFoundError:
        raise ImportFailed(item.name, [f"{item.name}: no such file"]) from None
    except OSError as exc:
        raise ImportFailed(item.name, [f"{item.name}: cannot be read ({exc.strerror})"]) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise ImportFailed(item.name, [_too_big(item.name, len(data), max_bytes)])
    digest = hashlib.sha256(data).hexdigest()
    content = gunzipped(item.name, data, max_bytes) if gunzip else data
    content_digest = digest if content is data else hashlib.sha256(content).hexdigest()
    return Content(data, digest, len(data), content, content_digest)


def _too_big(name: str, size: int, limit: int) -> str:
    return f"{name}: {size:,} bytes is over the {limit:,} limit"


# The same caps as every inner layer (policeplan.sources.compression; ADR 0014): the
# lifecycle removes the outer gzip layer, the parsers any layer inside it.
MAX_GZIP_RATIO = 200.0
"""Largest output/input ratio of the outer gzip layer (CSV gzips 5 to 10 times)."""
GZIP_RATIO_EXEMPT_BYTES = 8 * 1024**2
"""Output up to this size is never refused for its ratio (too small to exhaust memory)."""


def gunzipped(name: str, data: bytes, max_bytes: int | None) -> bytes:
    """Gunzip in memory with a hard output limit and a ratio limit, so a gzip bomb cannot
    exhaust memory. Data that is not gzip comes back as it is."""
    if data[:2] != GZIP_MAGIC:
        return data
    limit = max_bytes if max_bytes is not None else 0
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    # Inflate at most what the ratio allows (and the byte limit), then look at what is left.
    ratio_cap = max(int(len(data) * MAX_GZIP_RATIO), GZIP_RATIO_EXEMPT_BYTES)
    cap = min(limit, ratio_cap) if limit else ratio_cap
    try:
        plain = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise ImportFailed(name, [f"{name}: gzip layer 1: the data is corrupt ({exc})"]) from exc
    if len(plain) > cap or inflater.unconsumed_tail:
        if limit and cap == limit:
            why = f"expands beyond the {limit:,}-byte limit"
        else:
            why = f"expands more than {MAX_GZIP_RATIO:,.0f} times"
        raise ImportFailed(
            name, [f"{name}: gzip layer 1: {why}: refusing a possible decompression bomb"]
        )
    if not inflater.eof:
        raise ImportFailed(name, [f"{name}: the gzip data is truncated (file cut short)"])
    if inflater.unused_data.strip(b"\0"):
        raise ImportFailed(
            name, [f"{name}: gzip layer 1: unexpected data after the end of the gzip stream"]
        )
    return plain
