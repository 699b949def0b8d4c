"""Decompression with a cap at every layer: bytes out and compression ratio (ADR 0014).

A compressed input is a promise about its size that only decompressing can check: 13 KB of
gzip holding a gzip can hold 8 GiB. Every layer a parser opens (a gzip, a gzip inside a gzip,
a zip member, a gzip inside a zip member, the XML parts of a workbook) is inflated here, in
chunks, and refused as soon as its output passes either limit. Nothing is allocated beyond
the limit plus one chunk. Pure Python, no Django.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

GZIP_MAGIC = b"\x1f\x8b"

MAX_DECOMPRESSED_BYTES = 512 * 1024**2
"""Largest output of any one layer (512 MiB): a month of the largest force's street crimes is
about 60 MB uncompressed, an ONS workbook's largest XML part about 5 MB."""

MAX_COMPRESSION_RATIO = 200.0
"""Largest output/input ratio of any one layer. Real CSV gzips 5 to 10 times and workbook XML
10 to 60 times; deflate's own maximum is about 1,030, reached only by repeated bytes."""

RATIO_EXEMPT_BYTES = 8 * 1024**2
"""Output up to this size is never refused for its ratio: a small file cannot exhaust memory
however well it compresses (a blank workbook's styles compress 100 times)."""

MAX_GZIP_LAYERS = 2
"""A police.uk ``.csv.gz`` has one gzip layer; one more (a ``.csv.gz`` gzipped again) is
tolerated, a third is refused."""

_CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """The caps applied to every layer (the module constants unless a caller passes others)."""

    max_bytes: int = MAX_DECOMPRESSED_BYTES
    max_ratio: float = MAX_COMPRESSION_RATIO
    ratio_exempt_bytes: int = RATIO_EXEMPT_BYTES
    max_gzip_layers: int = MAX_GZIP_LAYERS


DEFAULT_LIMITS = Limits()


class DecompressionRefused(ValueError):
    """A layer that is corrupt or expands beyond a limit; names the file and the layer."""

    def __init__(self, file: str, layer: str, message: str) -> None:
        self.file = file
        self.layer = layer
        self.message = message
        super().__init__(f"{file}: {layer}: {message}")


def _check(file: str, layer: str, produced: int, consumed: int, limits: Limits) -> None:
    if produced > limits.max_bytes:
        raise DecompressionRefused(
            file,
            layer,
            f"expands beyond the {limits.max_bytes:,}-byte limit: refusing a possible "
            "decompression bomb",
        )
    ratio = produced / max(consumed, 1)
    if produced > limits.ratio_exempt_bytes and ratio > limits.max_ratio:
        raise DecompressionRefused(
            file,
            layer,
            f"expands more than {limits.max_ratio:,.0f} times ({produced:,} bytes from "
            f"{consumed:,}): refusing a possible decompression bomb",
        )


def gunzip(
    file: str, data: bytes, *, layer: str = "gzip", limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """Inflate one gzip layer within ``limits``, refused as soon as its output passes one."""
    out = bytearray()
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    view = memoryview(data)
    position = 0
    pending = b""
    while not inflater.eof:
        if not pending and position < len(view):
            pending = bytes(view[position : position + _CHUNK])
            position += len(pending)
        elif not pending:  # all input given: drain what zlib still holds, or it is cut short
            piece = inflater.decompress(b"", _CHUNK)
            if not piece and not inflater.eof:
                raise DecompressionRefused(
                    file, layer, "the gzip data is truncated (file cut short)"
                )
            out += piece
            _check(file, layer, len(out), position, limits)
            continue
        try:
            out += inflater.decompress(pending, _CHUNK)
        except zlib.error as exc:
            raise DecompressionRefused(file, layer, f"the gzip data is corrupt ({exc})") from None
        pending = inflater.unconsumed_tail
        _check(file, layer, len(out), position - len(pending), limits)
    if (inflater.unused_data + bytes(view[position:])).strip(b"\0"):
        raise DecompressionRefused(file, layer, "unexpected data after the end of the gzip stream")
    return bytes(out)


def strip_gzip_layers(
    file: str, data: bytes, *, removed: int = 0, limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """Remove every gzip layer (at most ``limits.max_gzip_layers`` in all), each within the
    limits. Data that is not gzip comes back unchanged. ``removed`` is how many layers the
    caller has already removed (the import lifecycle strips the first); errors name the layer
    counting from the file as given: "gzip layer 1" is the outermost."""
    layer = removed
    while data[:2] == GZIP_MAGIC:
        layer += 1
        if layer > limits.max_gzip_layers:
            raise DecompressionRefused(
                file,
                f"gzip layer {layer}",
                f"more than {limits.max_gzip_layers} gzip layers: refusing a possible "
                "decompression bomb",
            )
        data = gunzip(file, data, layer=f"gzip layer {layer}", limits=limits)
    return data


def iter_zip_member(
    file: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[bytes]:
    """Stream one member of an open zip in chunks, capped by bytes out and ratio whatever it
    declares (checked before reading, and again as the bytes come).

    ``zipfile`` stops at the declared size and checks the CRC, so a member that lies about its
    size is reported as corrupt; the caps here hold even for an honest but enormous member."""
    layer = f"zip member '{info.filename}'"
    _check(file, layer, info.file_size, info.compress_size, limits)  # as declared
    produced = 0
    try:
        with archive.open(info) as handle:
            while piece := handle.read(_CHUNK):
                produced += len(piece)
                _check(file, layer, produced, info.compress_size, limits)
                yield piece
    # A damaged header offset makes zipfile seek before the start (ValueError).
    except (
        zipfile.BadZipFile,
        zlib.error,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise DecompressionRefused(file, layer, f"is corrupt or unreadable ({exc})") from None


def read_zip_member(
    file: str,
    archive: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes:
    """One member of an open zip, read within the caps of :func:`iter_zip_member`."""
    return b"".join(iter_zip_member(file, archive, info, limits=limits))
