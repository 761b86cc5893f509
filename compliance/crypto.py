"""Field encryption at rest with FIELD_ENCRYPTION_KEY (Fernet: AES-128-CBC + HMAC-SHA256).

FIELD_ENCRYPTION_KEY is a list, newest key first: values are written with the first key and read
with any, so keys can be rotated. `blind_index` gives a keyed digest for exact-match lookups of an
encrypted value without decrypting every row.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be url-safe base64 encodings of 32 random bytes"
        ) from None


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEY))


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken:
        raise ValueError("encrypted value cannot be read with the configured keys") from None


def encrypt_text(value: str) -> str:
    return encrypt_bytes(value.encode()).decode()


def decrypt_text(token: str) -> str:
    return decrypt_bytes(token.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    key = hashlib.sha256(("blind-index:" + settings.FIELD_ENCRYPTION_KEY[-1]).encode()).digest()
    message = f"{purpose}:{value.strip().upper()}".encode()
    return base64.b32encode(hmac.new(key, message, hashlib.sha256).digest()).decode().rstrip("=")
