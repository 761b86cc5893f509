"""Validation and decoding of uploaded camera frames and enrolment photos (no Django here).

The type is sniffed from the first bytes (the file name and the declared content type are not
trusted), the size is capped before anything is decoded, and the pixel count is read from the
header and refused before decoding, so a small file that would expand to gigabytes (a
decompression bomb) costs nothing.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ImageLimits:
    max_bytes: int
    max_pixels: int
    min_side: int
    # Decoded images are shrunk to fit this box: detection time grows with the pixel count.
    fit: tuple[int, int]


FRAME_LIMITS = ImageLimits(max_bytes=2 * 1024 * 1024, max_pixels=1920 * 1080, min_side=64, fit=(640, 640))
PHOTO_LIMITS = ImageLimits(max_bytes=8 * 1024 * 1024, max_pixels=40_000_000, min_side=64, fit=(1024, 1024))


class FrameRejected(ValueError):
    """An upload that is not a usable JPEG/PNG image; `code` says why (see REASONS)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


REASONS = ("empty", "too_large", "unsupported_type", "corrupt", "too_many_pixels", "too_small")


def sniff(data: bytes) -> str | None:
    if data.startswith(JPEG_MAGIC):
        return "JPEG"
    if data.startswith(PNG_MAGIC):
        return "PNG"
    return None


def decode_image(data: bytes, limits: ImageLimits = FRAME_LIMITS) -> np.ndarray:
    """An RGB uint8 array of a JPEG or PNG upload, shrunk to `limits.fit`; FrameRejected otherwise."""
    if not data:
        raise FrameRejected("empty")
    if len(data) > limits.max_bytes:
        raise FrameRejected("too_large", f"{len(data)} bytes > {limits.max_bytes}")
    kind = sniff(data)
    if kind is None:
        raise FrameRejected("unsupported_type")
    with warnings.catch_warnings():
        # Our own pixel limit is checked below, before any decoding; Pillow's warning is noise.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise FrameRejected("too_many_pixels", str(exc)) from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise FrameRejected("corrupt", str(exc)) from exc
        if image.format != kind:
            raise FrameRejected("unsupported_type", f"{image.format} inside a {kind} header")
        width, height = image.size
        if width * height > limits.max_pixels:
            raise FrameRejected("too_many_pixels", f"{width}x{height}")
        if min(width, height) < limits.min_side:
            raise FrameRejected("too_small", f"{width}x{height}")
        try:
            if kind == "JPEG":
                image.draft("RGB", limits.fit)  # decode at reduced scale straight from the DCT
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise FrameRejected("corrupt", str(exc)) from exc
    image.thumbnail(limits.fit)
    return np.asarray(image, dtype=np.uint8)
