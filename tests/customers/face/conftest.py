import pytest
from django.core.cache import cache

from branches.roles import Role
from customers.face import engine, gallery
from customers.face.services import face_enrol
from customers.models import Customer, FaceEnrolment
from tests.customers.face.camera import camera_frame, head_turn, held_photo, jpeg, photo_bytes
from tests.factories import make_customer, make_device, make_staff, resident_id


@pytest.fixture
def faces(require_service):
    """The real test photos beside the checkout (../shared/faces); skips where they are absent."""
    require_service("faces")


@pytest.fixture(scope="session")
def frames_of():
    """Camera frames of each test photo and the faces found in them, computed once per run."""
    found: dict[str, tuple] = {}

    def frame(name: str):
        if name not in found:
            image = camera_frame(name)
            found[name] = (image, engine.detect_faces(image))
        return found[name]

    return frame


@pytest.fixture(autouse=True)
def _face_setup(settings):
    # Messages are asserted in English, whether or not the Chinese catalogue is compiled.
    settings.LANGUAGE_CODE = "en"
    cache.clear()
    gallery.forget_cached_galleries()
    yield
    gallery.forget_cached_galleries()


@pytest.fixture
def events(monkeypatch):
    """Every live event pushed (after commit), as (group, event, payload)."""
    sent = []
    monkeypatch.setattr("core.live.send_now",
                        lambda group, event, payload: sent.append((group, event, payload)))
    return sent


@pytest.fixture
def kiosk(branch):
    device, token = make_device(branch, "kiosk")
    return device, token


@pytest.fixture
def vip(branch):
    # Odd 17th ID digit: a man, greeted as Mr Wang.
    return make_customer(branch=branch, name="王建国", vip_tier=Customer.VipTier.GOLD,
                         id_number=resident_id(serial=123), preferred_language="en")


def enrol(customer, branch, *photos, actor=None) -> FaceEnrolment:
    actor = actor or make_staff(Role.TELLER, branch)
    return face_enrol(actor=actor, customer=customer, branch=branch,
                      photos=[photo_bytes(name) for name in photos],
                      source=FaceEnrolment.Source.UPLOAD, consent_captured=True)


def live_burst(frames_of, name: str) -> list[bytes]:
    """Three frames of a face that turns a little (the middle of the face moves against its
    edges), as a person in front of the camera does."""
    frame, (face,) = frames_of(name)
    width = face.box[2] - face.box[0]
    nose = face.landmarks[4]
    return [jpeg(frame),
            jpeg(head_turn(held_photo(frame, shift=3), nose, 0.06 * width, 0.2 * width)),
            jpeg(head_turn(held_photo(frame, shift=5), nose, 0.12 * width, 0.2 * width))]


def still_burst(frames_of, name: str) -> list[bytes]:
    """Three frames of the photo itself held up to the camera: moved, turned, tilted."""
    frame, _ = frames_of(name)
    return [jpeg(held_photo(frame)), jpeg(held_photo(frame, shift=4, turn=2)),
            jpeg(held_photo(frame, tilt=(0.03, 0.02), turn=4, scale=0.97, shift=5))]
