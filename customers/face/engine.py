"""Face detection, encoding, gallery matching and the liveness guard.

Pure Python + numpy + dlib: nothing here imports Django, so the worker start-up check and the
benchmarks can use it on their own. The dlib models are loaded straight from the
`face_recognition_models` package data without importing that package or `face_recognition`:
both go through `pkg_resources`, and when that import fails `face_recognition` calls `quit()`
with exit code 0 — a Celery worker would vanish without an error.

Only the 5-point landmark model is used (public domain); the 68-point model in the same package
is not licensed for commercial use.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENCODING_SIZE = 128
LANDMARK_MODEL = "shape_predictor_5_face_landmarks.dat"
ENCODER_MODEL = "dlib_face_recognition_resnet_model_v1.dat"


class FaceModelsUnavailable(RuntimeError):
    """The dlib models cannot be loaded: identification must not start silently without them."""


@dataclass(frozen=True)
class MatchPolicy:
    """When a face counts as an enrolled customer (see docs/face.md for how these were tuned).

    `threshold` is stricter than dlib's 0.6 verification default because every frame is compared
    with a whole branch gallery (one-against-many); `margin` is the gap the best customer must
    keep to the second-best customer; `frames_needed` of the frames in a burst must agree.
    """

    threshold: float = 0.50
    margin: float = 0.08
    frames_needed: int = 2
    # Liveness: the share of tracked face points that no flat-surface motion explains between two
    # frames (see face_parallax); a photo moved or tilted in front of the camera stays far below.
    min_parallax: float = 0.12
    min_face_size: int = 60


DEFAULT_POLICY = MatchPolicy()


@dataclass(frozen=True)
class Face:
    box: tuple[int, int, int, int]  # left, top, right, bottom in pixels
    landmarks: np.ndarray  # (5, 2) float: two points per eye, then the base of the nose
    encoding: np.ndarray  # (128,) float32 — C3 biometric data: never log, store or send it


@dataclass(frozen=True)
class Match:
    label: int
    distance: float
    margin: float


@dataclass(frozen=True)
class Identification:
    label: int
    distance: float
    frames_matched: int
    live: bool
    parallax: float


# -- models -----------------------------------------------------------------------------------


def models_dir() -> Path:
    configured = os.environ.get("FACE_MODELS_DIR")
    if configured:
        return Path(configured)
    # find_spec locates the package without executing its __init__ (which imports pkg_resources).
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FaceModelsUnavailable(
            "The face_recognition_models package is not installed: pip install face_recognition_models"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "models"


@dataclass(frozen=True)
class _Models:
    detector: object
    landmarks: object
    encoder: object


_models: _Models | None = None
_models_lock = threading.Lock()


def load_models() -> _Models:
    global _models
    if _models is not None:
        return _models
    with _models_lock:
        if _models is None:
            _models = _load_models(models_dir())
    return _models


def _load_models(folder: Path) -> _Models:
    try:
        import dlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise FaceModelsUnavailable(f"dlib cannot be imported ({exc}); install dlib-bin") from exc
    for name in (LANDMARK_MODEL, ENCODER_MODEL):
        if not (folder / name).is_file():
            raise FaceModelsUnavailable(f"Face model file missing: {folder / name}")
    try:
        return _Models(
            detector=dlib.get_frontal_face_detector(),
            landmarks=dlib.shape_predictor(str(folder / LANDMARK_MODEL)),
            encoder=dlib.face_recognition_model_v1(str(folder / ENCODER_MODEL)),
        )
    except RuntimeError as exc:
        raise FaceModelsUnavailable(f"Face models in {folder} cannot be loaded: {exc}") from exc


def check_face_models() -> None:
    """Load the models and run them once; raise FaceModelsUnavailable loudly when anything fails.

    The Celery worker calls this on start so a broken installation stops the worker with an error
    instead of failing (or exiting with status 0) on the first frame.
    """
    models = load_models()
    blank = np.zeros((120, 120, 3), dtype=np.uint8)
    try:
        import dlib

        with _inference_lock:
            found = models.detector(blank, 0)
            shape = models.landmarks(blank, dlib.rectangle(10, 10, 110, 110))
            encoding = np.asarray(models.encoder.compute_face_descriptor(blank, shape, 1))
    except Exception as exc:
        raise FaceModelsUnavailable(f"Face models loaded but do not run: {exc}") from exc
    if len(found) != 0 or encoding.shape != (ENCODING_SIZE,) or not np.isfinite(encoding).all():
        raise FaceModelsUnavailable("Face models gave an unexpected result on the self-test image")


def limit_blas_threads() -> None:
    """One BLAS thread in this process. Worker processes already share the cores; BLAS threads on
    top only contend (on this 2-core machine under load, matching 100,000 encodings took 14 ms with
    one thread against 23–32 ms with two)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - comes with scikit-learn
        return
    threadpool_limits(limits=1, user_api="blas")


# -- detection and encoding -----------------------------------------------------------------------


def detect_faces(
    image: np.ndarray, *, upsample: int = 0, jitters: int = 1, min_size: int = 0
) -> list[Face]:
    """Every face in an RGB uint8 image with its landmarks and 128-d encoding.

    `upsample=0` finds faces of about 80 px and up (fast enough for 640×480 camera frames);
    enrolment photos use `upsample=1`. `jitters` > 1 averages the encoding over re-sampled crops.
    """
    models = load_models()
    image = np.ascontiguousarray(image)
    with _inference_lock:
        return _detect(models, image, upsample=upsample, jitters=jitters, min_size=min_size)


# dlib's network keeps its activations in the model object: two threads must not run it at once
# (the embedded profile runs the Celery worker as a thread beside the web server's threads).
_inference_lock = threading.Lock()


def _detect(models: _Models, image: np.ndarray, *, upsample: int, jitters: int, min_size: int) -> list[Face]:
    faces = []
    for rect in models.detector(image, upsample):
        if min(rect.width(), rect.height()) < min_size:
            continue
        shape = models.landmarks(image, rect)
        encoding = np.asarray(
            models.encoder.compute_face_descriptor(image, shape, jitters), dtype=np.float32
        )
        points = np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)
        faces.append(
            Face(
                box=(rect.left(), rect.top(), rect.right(), rect.bottom()),
                landmarks=points,
                encoding=encoding,
            )
        )
    return faces


# -- gallery matching -----------------------------------------------------------------------------


class Gallery:
    """The enrolled encodings of one branch as one float32 matrix, rows grouped by label.

    A label (the enrolment id) may own several rows (1–3 photos). Matching a frame is one matrix
    product: |g - q|² = |g|² - 2 g·q + |q|², then the minimum per label with `reduceat`.
    """

    def __init__(self, labels: np.ndarray, matrix: np.ndarray):
        order = np.argsort(labels, kind="stable")
        self.labels = np.ascontiguousarray(labels[order], dtype=np.int64)
        self.matrix = np.ascontiguousarray(matrix[order], dtype=np.float32)
        self.sqnorms = np.einsum("ij,ij->i", self.matrix, self.matrix)
        if len(self.labels):
            self.starts = np.flatnonzero(np.r_[True, self.labels[1:] != self.labels[:-1]])
        else:
            self.starts = np.zeros(0, dtype=np.int64)
        self.unique_labels = self.labels[self.starts]

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, np.ndarray]]) -> Gallery:
        labels: list[np.ndarray] = []
        blocks: list[np.ndarray] = []
        for label, encodings in rows:
            block = np.asarray(encodings, dtype=np.float32).reshape(-1, ENCODING_SIZE)
            blocks.append(block)
            labels.append(np.full(len(block), label, dtype=np.int64))
        if not blocks:
            return cls(np.zeros(0, dtype=np.int64), np.zeros((0, ENCODING_SIZE), np.float32))
        return cls(np.concatenate(labels), np.concatenate(blocks))

    def __len__(self) -> int:
        return len(self.unique_labels)

    def match(self, encodings: np.ndarray, policy: MatchPolicy = DEFAULT_POLICY) -> list[Match | None]:
        """For each query encoding, the label it matches under `policy`, or None."""
        queries = np.asarray(encodings, dtype=np.float32).reshape(-1, ENCODING_SIZE)
        if not len(self.labels) or not len(queries):
            return [None] * len(queries)
        squared = self.sqnorms[None, :] - 2.0 * (queries @ self.matrix.T)
        squared += np.einsum("ij,ij->i", queries, queries)[:, None]
        per_label = np.minimum.reduceat(squared, self.starts, axis=1)
        return [self._pick(row, policy) for row in per_label]

    def _pick(self, squared: np.ndarray, policy: MatchPolicy) -> Match | None:
        if len(squared) == 1:
            best, second = 0, None
        else:
            best, second = np.argpartition(squared, 1)[:2]
            if squared[second] < squared[best]:
                best, second = second, best
        distance = float(np.sqrt(max(squared[best], 0.0)))
        runner_up = float(np.sqrt(max(squared[second], 0.0))) if second is not None else 2.0
        if distance >= policy.threshold or runner_up - distance < policy.margin:
            return None
        return Match(label=int(self.unique_labels[best]), distance=distance, margin=runner_up - distance)


# -- liveness and the burst rule -----------------------------------------------------------------


def face_parallax(image_a: np.ndarray, image_b: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """How much of the face moved in a way no flat picture can, between two frames (0..1).

    Corners inside the face box are tracked from frame a to frame b (Lucas-Kanade optical flow)
    and one homography — the exact motion of any flat surface, however it is moved or tilted — is
    fitted with RANSAC. A photo held up to the camera fits it almost everywhere; a real head that
    turns or changes expression does not (the nose, the cheeks and the ears move by different
    amounts). Returns the share of tracked points the plane does not explain; 0 when nothing moved
    or too little could be tracked.
    """
    import cv2

    gray_a = cv2.cvtColor(np.ascontiguousarray(image_a), cv2.COLOR_RGB2GRAY)
    gray_b = cv2.cvtColor(np.ascontiguousarray(image_b), cv2.COLOR_RGB2GRAY)
    if gray_a.shape != gray_b.shape:
        return 0.0
    left, top, right, bottom = (max(v, 0) for v in box)
    mask = np.zeros_like(gray_a)
    mask[top:bottom, left:right] = 255
    corners = cv2.goodFeaturesToTrack(gray_a, 200, 0.01, 4, mask=mask)
    if corners is None or len(corners) < 16:
        return 0.0
    flow = {"winSize": (15, 15), "maxLevel": 3}
    moved, status, _ = cv2.calcOpticalFlowPyrLK(gray_a, gray_b, corners, None, **flow)
    back, status_back, _ = cv2.calcOpticalFlowPyrLK(gray_b, gray_a, moved, None, **flow)
    # A point counts only when tracking it back lands where it started: lost tracks would
    # otherwise look like motion that no plane explains.
    round_trip = np.linalg.norm((back - corners).reshape(-1, 2), axis=1)
    tracked = (status.ravel() == 1) & (status_back.ravel() == 1) & (round_trip < 0.5)
    start, end = corners[tracked].reshape(-1, 2), moved[tracked].reshape(-1, 2)
    if len(start) < 16 or np.median(np.linalg.norm(end - start, axis=1)) < 0.5:
        return 0.0
    tolerance = max(1.0, 0.01 * (right - left))
    plane, _ = cv2.findHomography(start, end, cv2.RANSAC, tolerance)
    if plane is None:
        return 0.0
    predicted = cv2.perspectiveTransform(start.reshape(-1, 1, 2), plane).reshape(-1, 2)
    return float(np.mean(np.linalg.norm(predicted - end, axis=1) > tolerance))


def _matches_by_label(
    burst: Sequence[tuple[np.ndarray, Sequence[Face]]], gallery: Gallery, policy: MatchPolicy
) -> dict[int, list[tuple[int, Face, Match]]]:
    """(frame index, face, match) per enrolment label; a label counts once per frame."""
    seen: dict[int, list[tuple[int, Face, Match]]] = {}
    for index, (_, faces) in enumerate(burst):
        matches = gallery.match(np.array([f.encoding for f in faces]), policy) if faces else []
        in_frame: dict[int, tuple[int, Face, Match]] = {}
        for face, found in zip(faces, matches, strict=True):
            if found is None:
                continue
            if found.label not in in_frame or found.distance < in_frame[found.label][2].distance:
                in_frame[found.label] = (index, face, found)
        for label, entry in in_frame.items():
            seen.setdefault(label, []).append(entry)
    return seen


def identify_burst(
    burst: Sequence[tuple[np.ndarray, Sequence[Face]]],
    gallery: Gallery,
    policy: MatchPolicy = DEFAULT_POLICY,
) -> list[Identification]:
    """The enrolled people seen in `frames_needed` frames of a burst of consecutive frames.

    `burst` holds (image, faces found in it) in capture order. The liveness guard compares that
    person's face between consecutive frames where it matched.
    """
    result = []
    for label, entries in _matches_by_label(burst, gallery, policy).items():
        if len(entries) < policy.frames_needed:
            continue
        parallax = max(
            face_parallax(burst[i][0], burst[j][0], face.box)
            for (i, face, _), (j, _, _) in itertools.pairwise(entries)
        )
        result.append(
            Identification(
                label=label,
                distance=min(found.distance for _, _, found in entries),
                frames_matched=len(entries),
                live=parallax >= policy.min_parallax,
                parallax=parallax,
            )
        )
    return sorted(result, key=lambda found: found.distance)


def identify_frames(
    images: Sequence[np.ndarray], gallery: Gallery, policy: MatchPolicy = DEFAULT_POLICY
) -> list[Identification]:
    """identify_burst over RGB frames, encoding them one at a time and stopping as soon as the
    answer cannot change: someone is identified and live, or nobody can still reach
    `frames_needed` with the frames left. Encoding is the costly step (~75 ms a face), and most
    bursts at an entrance show nobody who is enrolled: two empty frames end the burst."""
    burst: list[tuple[np.ndarray, list[Face]]] = []
    for index, image in enumerate(images):
        burst.append((image, detect_faces(image, min_size=policy.min_face_size)))
        left = len(images) - index - 1
        if len(burst) >= policy.frames_needed:
            found = identify_burst(burst, gallery, policy)
            if any(person.live for person in found):
                return found
        best = max((len(e) for e in _matches_by_label(burst, gallery, policy).values()), default=0)
        if left < policy.frames_needed and best + left < policy.frames_needed:
            break
    return identify_burst(burst, gallery, policy)
