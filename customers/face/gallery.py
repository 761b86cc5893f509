"""The per-worker cache of each branch's gallery, and how encodings are stored.

Every identification task reads the branch's FaceGallery.version (one indexed row) and rebuilds
its cached matrix when the version moved. Enrolment and erasure bump the version in their own
transaction, so the first task that starts after a withdrawal commits no longer sees the erased
encodings — in every worker process, with no message to lose. Only enrolments whose customer
still has an active "face" consent are loaded.
"""

from __future__ import annotations

import threading

import numpy as np
from django.db.models import Exists, F, OuterRef

from customers.face.engine import ENCODING_SIZE, Gallery
from customers.models import Consent, FaceEnrolment, FaceGallery

_cache: dict[int, tuple[int, Gallery]] = {}
_lock = threading.Lock()


def encodings_to_bytes(encodings: np.ndarray) -> bytes:
    return np.ascontiguousarray(encodings, dtype="<f4").reshape(-1, ENCODING_SIZE).tobytes()


def encodings_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").reshape(-1, ENCODING_SIZE)


def active_face_consent():
    return Exists(
        Consent.objects.filter(
            customer=OuterRef("customer"), kind=Consent.Kind.FACE, withdrawn_at__isnull=True
        )
    )


def gallery_version(branch_id: int) -> int:
    return FaceGallery.objects.filter(branch_id=branch_id).values_list("version", flat=True).first() or 0


def gallery_bump(branch_id: int) -> None:
    """Mark the branch's gallery stale for every worker; call inside the changing transaction."""
    updated = FaceGallery.objects.filter(branch_id=branch_id).update(version=F("version") + 1)
    if not updated:
        FaceGallery.objects.get_or_create(branch_id=branch_id, defaults={"version": 1})


def branch_gallery(branch_id: int) -> Gallery:
    version = gallery_version(branch_id)
    cached = _cache.get(branch_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        rows = (
            FaceEnrolment.objects.filter(branch_id=branch_id)
            .filter(active_face_consent())
            .values_list("pk", "encodings")
        )
        gallery = Gallery.from_rows((pk, encodings_from_bytes(data)) for pk, data in rows)
        _cache[branch_id] = (version, gallery)
    return gallery


def forget_cached_galleries() -> None:
    _cache.clear()
