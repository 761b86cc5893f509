"""Photos taken on the inspector's phone: checked before they are stored (through Django's
default storage: the local media folder embedded, object storage in production) and served only
to people who may see the inspection."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 8 * 1024 * 1024
FORMATS = {"JPEG", "PNG", "WEBP"}


def check_photo(photo, field: str = "photo") -> None:
    """Refuse anything but a JPEG, PNG or WebP picture of at most 8 MB."""
    if photo.size > MAX_BYTES:
        raise ValidationError(
            {field: [_("The photo is larger than 8 MB; take it again at a lower resolution.")]}
        )
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        kind = None
    finally:
        photo.seek(0)
    if kind not in FORMATS:
        raise ValidationError({field: [_("Upload a photo (JPEG, PNG or WebP).")]})
