"""Upload validation: the type is sniffed, sizes are capped, bombs are refused before decoding."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from customers.face import frames


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def png_header_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge image (a decompression bomb's first bytes)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return frames.PNG_MAGIC + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


def rejected(data: bytes, limits=frames.FRAME_LIMITS) -> str:
    with pytest.raises(frames.FrameRejected) as caught:
        frames.decode_image(data, limits)
    return caught.value.code


def test_a_png_frame_decodes_to_rgb_pixels():
    image = frames.decode_image(png(640, 480))
    assert image.shape == (480, 640, 3) and image.dtype == np.uint8


def test_large_photos_are_shrunk_to_the_detection_size():
    assert frames.decode_image(png(1600, 1200), frames.PHOTO_LIMITS).shape == (768, 1024, 3)


def test_a_gif_is_refused_whatever_its_name():
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100)).save(buffer, "GIF")
    assert rejected(buffer.getvalue()) == "unsupported_type"


def test_a_truncated_jpeg_is_corrupt():
    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buffer, "JPEG")
    assert rejected(buffer.getvalue()[:3000]) == "corrupt"


def test_a_file_over_the_size_cap_is_refused_before_decoding():
    assert rejected(b"\xff\xd8\xff" + b"\0" * frames.FRAME_LIMITS.max_bytes) == "too_large"


def test_a_decompression_bomb_is_refused_from_its_header():
    assert rejected(png_header_claiming(30_000, 30_000), frames.PHOTO_LIMITS) == "too_many_pixels"
    assert rejected(png_header_claiming(100_000, 100_000), frames.PHOTO_LIMITS) == "too_many_pixels"


def test_empty_and_tiny_images_are_refused():
    assert rejected(b"") == "empty"
    assert rejected(png(20, 20)) == "too_small"
