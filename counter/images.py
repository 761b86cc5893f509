"""Checks for images people send us: document photos and signatures from the signature pad.

We trust the decoded pixels, never the file name or the declared content type.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PHOTO_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
SIGNATURE_MAX_BYTES = 512 * 1024
MAX_PIXELS = 40_000_000  # refuse decompression bombs long before Pillow's own warning

MESSAGES = {
    "too_large": _("The file is too large: at most %(max_mb)s MB."),
    "not_an_image": _("The file is not a photo: upload a JPEG, PNG or WebP image."),
    "empty": _("The file is empty."),
    "bad_signature": _("The signature could not be read: please sign again."),
    "blank_signature": _("The signature pad is empty: please sign before confirming."),
}


class ImageProblem(ValueError):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params

    @property
    def message(self) -> str:
        return str(MESSAGES[self.code]) % self.params if self.params else str(MESSAGES[self.code])


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    content_type: str
    width: int
    height: int
    sha256: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_photo(data: bytes, *, max_bytes: int) -> CheckedImage:
    if not data:
        raise ImageProblem("empty")
    if len(data) > max_bytes:
        raise ImageProblem("too_large", max_mb=round(max_bytes / 1024 / 1024, 1))
    image = _open(data, "not_an_image")
    if image.format not in PHOTO_FORMATS:
        raise ImageProblem("not_an_image")
    return CheckedImage(data, PHOTO_FORMATS[image.format], image.width, image.height, sha256_hex(data))


def _open(data: bytes, code: str) -> Image.Image:
    try:
        probe = Image.open(io.BytesIO(data))
        if probe.width * probe.height > MAX_PIXELS:
            raise ImageProblem(code)
        probe.verify()  # verify() leaves the image unusable, so reopen for the caller
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageProblem(code) from None
    return image


def check_signature(data_url: str) -> CheckedImage:
    """A signature arrives as a canvas `data:image/png;base64,...` URL; it must be a non-blank PNG."""
    prefix = "data:image/png;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        raise ImageProblem("bad_signature")
    if len(data_url) > SIGNATURE_MAX_BYTES * 4 // 3 + len(prefix) + 4:
        raise ImageProblem("too_large", max_mb=round(SIGNATURE_MAX_BYTES / 1024 / 1024, 1))
    try:
        data = base64.b64decode(data_url[len(prefix) :], validate=True)
    except (binascii.Error, ValueError):
        raise ImageProblem("bad_signature") from None
    image = _open(data, "bad_signature")
    if image.format != "PNG":
        raise ImageProblem("bad_signature")
    if _is_blank(image):
        raise ImageProblem("blank_signature")
    return CheckedImage(data, "image/png", image.width, image.height, sha256_hex(data))


def _is_blank(image: Image.Image) -> bool:
    # A canvas is transparent or white until someone draws on it.
    rgba = image.convert("RGBA")
    _, alpha_hi = rgba.getchannel("A").getextrema()
    if alpha_hi == 0:
        return True
    flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    flat.alpha_composite(rgba)
    lo, _ = flat.convert("L").getextrema()
    return lo > 245
