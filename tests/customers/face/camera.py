"""A simulated camera for tests: real photos turned into 640×480 frames, moved the way a photo
held up to a camera moves (flat: shifted, turned, tilted), or deformed the way a real head is not
flat (the middle of the face shifts against its edges)."""

from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from customers.face import frames

FACES_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "faces"


def photo_bytes(name: str) -> bytes:
    return (FACES_DIR / name).read_bytes()


def camera_frame(name: str) -> np.ndarray:
    """The photo on a grey 640×480 canvas, as the kiosk camera would see it."""
    picture = Image.fromarray(frames.decode_image(photo_bytes(name), frames.PHOTO_LIMITS))
    picture.thumbnail((640, 480))
    canvas = Image.new("RGB", (640, 480), (90, 90, 90))
    canvas.paste(picture, ((640 - picture.width) // 2, (480 - picture.height) // 2))
    return np.asarray(canvas)


def held_photo(frame: np.ndarray, *, tilt=(0.0, 0.0), turn=0.0, scale=1.0, shift=0.0) -> np.ndarray:
    """The frame as a flat picture moved in front of the camera (a perspective warp)."""
    height, width = frame.shape[:2]
    dx, dy = width * tilt[0], height * tilt[1]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    tilted = np.float32([[dx, dy], [width - dx, -dy], [width + dx, height + dy], [-dx, height - dy]])
    warp = cv2.getPerspectiveTransform(corners, tilted)
    rotate = np.vstack([cv2.getRotationMatrix2D((width / 2, height / 2), turn, scale), [0, 0, 1]])
    move = np.array([[1, 0, shift], [0, 1, 0], [0, 0, 1.0]])
    return cv2.warpPerspective(frame, move @ rotate @ warp, (width, height))


def head_turn(frame: np.ndarray, centre, amount: float, radius: float) -> np.ndarray:
    """The middle of the face around `centre` shifted sideways by `amount` px against the rest —
    what a turning head does to the nose and no flat picture can."""
    height, width = frame.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    weight = np.exp(-((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / radius**2)
    return cv2.remap(frame, (xs - amount * weight).astype(np.float32), ys, cv2.INTER_LINEAR)


def jpeg(frame: np.ndarray, quality: int = 90) -> bytes:
    bgr = cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)
    ok, data = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return data.tobytes()
