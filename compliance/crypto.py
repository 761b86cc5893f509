"""Field encryption at rest with FIELD_ENCRYPTION_KEY (Fernet: AES-128-CBC + HMAC-SHA256).

FIELD_ENCRYPTION_KEY is a list, newest key first: values are written with the first key and read
with any, so keys can be rotated. `blind_index` gives a keyed digest (newest key) for exact-match
lookups of an encrypted value without decrypting every row; `blind_indexes` the digests under
every key for lookups while a rotation runs. `manage.py rotate_keys` re-encrypts and rebuilds.
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


def _blind_index_with(key: str, value: str, purpose: str) -> str:
    digest_key = hashlib.sha256(("blind-index:" + key).encode()).digest()
    message = f"{purpose}:{value.strip().upper()}".encode()
    return base64.b32encode(hmac.new(digest_key, message, hashlib.sha256).digest()).decode().rstrip("=")


def blind_index(value: str, *, purpose: str) -> str:
    """The digest stored for exact-match lookups, with the newest key."""
    return _blind_index_with(settings.FIELD_ENCRYPTION_KEY[0], value, purpose)


def blind_indexes(value: str, *, purpose: str) -> list[str]:
    """The digests of `value` under every configured key, newest first: a lookup matches rows
    written before `manage.py rotate_keys` rebuilt them with the newest key."""
    return [_blind_index_with(key, value, purpose) for key in settings.FIELD_ENCRYPTION_KEY]
