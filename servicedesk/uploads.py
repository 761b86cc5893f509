"""What an uploaded attachment really is: its first bytes must match its extension, and a picture
must be of a size a browser can open. The name and declared content type are the sender's claim."""

import io
import zipfile

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000  # a 20000x20000 one-bit PNG is a few kB on disk and 400 MB opened

_MAGIC = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
}


def content_matches(name: str, data: bytes) -> bool:
    """True when `data` is the kind of file its name says (and, for pictures, not a pixel bomb)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "txt":
        return _is_text(data)
    if not data.startswith(_MAGIC.get(extension, (b"\0never",))):
        return False
    if extension in ("png", "jpg", "jpeg"):
        return _is_reasonable_picture(data)
    if extension in ("docx", "xlsx"):
        return zipfile.is_zipfile(io.BytesIO(data))
    return True


def _is_text(data: bytes) -> bool:
    try:
        return "\0" not in data.decode("utf-8")
    except UnicodeDecodeError:
        return False


def _is_reasonable_picture(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            return image.width * image.height <= MAX_PIXELS
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False


def read_checked(upload) -> bool:
    """`content_matches` for a Django upload, leaving it rewound for storage."""
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return content_matches(upload.name or "", data)
