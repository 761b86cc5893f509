import base64
import datetime as dt
import io

import pytest
from PIL import Image, ImageDraw

from branches.roles import Role
from tests.factories import make_customer_user, make_service_type, make_staff


def signature_data_url(*, drawn: bool = True):
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    if drawn:
        ImageDraw.Draw(image).line([(10, 80), (120, 20), (290, 90)], fill=(0, 0, 0, 255), width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def photo_bytes():
    image = Image.new("RGB", (640, 480), (200, 180, 160))
    ImageDraw.Draw(image).rectangle([(100, 100), (500, 380)], outline=(0, 0, 0), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def pension(db):
    return make_service_type(
        "PENSION_CERT", name_zh_hans="养老金领取资格认证", name_en="Pension eligibility check"
    )


@pytest.fixture
def elderly(branch):
    user = make_customer_user(branch=branch, phone="13900001111", birth_date=dt.date(1948, 5, 1))
    return user.customer


@pytest.fixture
def staff(branch):
    """Two tellers to visit, a lobby manager who schedules."""
    return {
        "a": make_staff(Role.TELLER, branch),
        "b": make_staff(Role.WEALTH_MANAGER, branch),
        "manager": make_staff(Role.LOBBY_MANAGER, branch),
    }
