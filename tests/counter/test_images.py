import base64
import io

import pytest
from PIL import Image, ImageDraw

from counter import images


def png(size=(300, 120), draw=True, fmt="PNG"):
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    if draw:
        ImageDraw.Draw(image).line([(10, 60), (150, 20), (290, 100)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.convert("RGB" if fmt == "JPEG" else "RGBA").save(buffer, fmt)
    return buffer.getvalue()


def data_url(data):
    return "data:image/png;base64," + base64.b64encode(data).decode()


def test_a_drawn_signature_is_accepted_with_its_hash():
    checked = images.check_signature(data_url(png()))
    assert checked.content_type == "image/png" and len(checked.sha256) == 64


def test_a_blank_signature_pad_is_refused():
    with pytest.raises(images.ImageProblem) as problem:
        images.check_signature(data_url(png(draw=False)))
    assert problem.value.code == "blank_signature"


@pytest.mark.parametrize(
    "url", ["data:image/jpeg;base64,AAAA", "data:image/png;base64,@@@", data_url(b"GIF89a")]
)
def test_a_signature_that_is_not_a_png_is_refused(url):
    with pytest.raises(images.ImageProblem):
        images.check_signature(url)


def test_an_oversized_photo_is_refused():
    with pytest.raises(images.ImageProblem) as problem:
        images.check_photo(png(fmt="JPEG"), max_bytes=100)
    assert problem.value.code == "too_large"


def test_a_text_file_posing_as_a_photo_is_refused():
    with pytest.raises(images.ImageProblem) as problem:
        images.check_photo(b"%PDF-1.4 not a photo", max_bytes=10_000)
    assert problem.value.code == "not_an_image"


def test_a_jpeg_photo_is_accepted():
    assert images.check_photo(png(fmt="JPEG"), max_bytes=1_000_000).content_type == "image/jpeg"
