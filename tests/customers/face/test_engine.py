"""The face engine on real photos: detection, one-against-many matching, the burst rule, liveness."""

import numpy as np
import pytest

from customers.face import engine
from tests.customers.face.camera import camera_frame, head_turn, held_photo

pytestmark = pytest.mark.usefixtures("faces")


def encoding_of(frames_of, name):
    (face,) = frames_of(name)[1]
    return face.encoding


@pytest.fixture
def gallery(frames_of):
    # Enrolment 1 is person A (obama.jpg), enrolment 2 person B (biden.jpg).
    return engine.Gallery.from_rows([(1, encoding_of(frames_of, "obama.jpg")),
                                     (2, encoding_of(frames_of, "biden.jpg"))])


def test_another_photo_of_the_same_person_matches(gallery, frames_of):
    found = gallery.match(encoding_of(frames_of, "obama2.jpg"))
    assert [m.label for m in found] == [1]
    assert found[0].distance < engine.DEFAULT_POLICY.threshold


def test_each_person_matches_only_themselves(gallery, frames_of):
    found = gallery.match(np.array([encoding_of(frames_of, "biden2.jpg"),
                                    encoding_of(frames_of, "obama2.jpg")]))
    assert [m.label for m in found] == [2, 1]


def test_a_person_who_is_not_enrolled_matches_nobody(frames_of):
    only_a = engine.Gallery.from_rows([(1, encoding_of(frames_of, "obama.jpg"))])
    assert only_a.match(encoding_of(frames_of, "biden2.jpg")) == [None]


def test_an_image_without_a_face_finds_nothing():
    rng = np.random.default_rng(3)
    noise = rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)
    assert engine.detect_faces(noise) == []
    assert engine.detect_faces(np.full((480, 640, 3), 200, dtype=np.uint8)) == []


def test_several_photos_of_one_customer_do_not_count_as_a_rival(frames_of):
    a = encoding_of(frames_of, "obama.jpg")
    gallery = engine.Gallery.from_rows([(1, np.array([a, encoding_of(frames_of, "obama2.jpg")])),
                                        (2, encoding_of(frames_of, "biden.jpg"))])
    assert [m.label for m in gallery.match(a)] == [1]


def test_two_customers_too_alike_to_tell_apart_match_neither(frames_of):
    a = encoding_of(frames_of, "obama2.jpg")
    gallery = engine.Gallery.from_rows([(1, a), (2, a + 0.004)])
    assert gallery.match(a + 0.002) == [None]
    assert gallery.match(a) == [None]  # 0.045 apart: well within the margin


def test_an_empty_gallery_matches_nobody(frames_of):
    assert engine.Gallery.from_rows([]).match(encoding_of(frames_of, "obama.jpg")) == [None]


def test_one_matching_frame_in_three_is_not_enough(gallery, frames_of):
    a, b, empty = frames_of("obama2.jpg"), frames_of("biden2.jpg"), (camera_frame("obama2.jpg"), [])
    assert engine.identify_burst([a, b, empty], gallery) == []


def test_a_photo_held_up_to_the_camera_is_recognised_but_not_live(gallery):
    frame = camera_frame("obama2.jpg")
    burst = [held_photo(frame), held_photo(frame, shift=4, turn=2),
             held_photo(frame, tilt=(0.03, 0.02), turn=4, scale=0.97, shift=5)]
    (found,) = engine.identify_burst([(image, engine.detect_faces(image)) for image in burst], gallery)
    assert found.label == 1 and found.frames_matched == 3
    assert not found.live


def test_the_same_frame_sent_three_times_is_not_live(gallery, frames_of):
    (found,) = engine.identify_burst([frames_of("obama2.jpg")] * 3, gallery)
    assert found.label == 1 and not found.live


def test_a_face_that_changes_shape_between_frames_is_live(gallery, frames_of):
    frame, (face,) = frames_of("obama2.jpg")
    width = face.box[2] - face.box[0]
    turned = head_turn(held_photo(frame, shift=3), face.landmarks[4], 0.06 * width, 0.2 * width)
    burst = [(frame, [face]), (turned, engine.detect_faces(turned))]
    (found,) = engine.identify_burst(burst, gallery)
    assert found.label == 1 and found.live


def test_missing_model_files_fail_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("FACE_MODELS_DIR", str(tmp_path))
    monkeypatch.setattr(engine, "_models", None)
    with pytest.raises(engine.FaceModelsUnavailable, match="missing"):
        engine.check_face_models()


def test_installed_models_pass_the_start_up_check():
    engine.check_face_models()


@pytest.fixture
def encoded_frames(monkeypatch):
    calls = []
    detect = engine.detect_faces
    monkeypatch.setattr(engine, "detect_faces", lambda image, **kw: calls.append(1) or detect(image, **kw))
    return calls


def test_a_burst_of_strangers_stops_after_two_frames(gallery, frames_of, encoded_frames):
    stranger = camera_frame("biden2.jpg")
    only_a = engine.Gallery.from_rows([(1, encoding_of(frames_of, "obama.jpg"))])
    assert engine.identify_frames([stranger] * 3, only_a) == []
    assert len(encoded_frames) == 2


def test_a_live_customer_is_identified_from_the_first_two_frames(gallery, frames_of, encoded_frames):
    frame, (face,) = frames_of("obama2.jpg")
    width = face.box[2] - face.box[0]
    turned = head_turn(held_photo(frame, shift=3), face.landmarks[4], 0.06 * width, 0.2 * width)
    (found,) = engine.identify_frames([frame, turned, frame], gallery)
    assert found.label == 1 and found.live and len(encoded_frames) == 2


def test_a_photo_held_up_uses_all_three_frames_and_stays_not_live(gallery, encoded_frames):
    frame = camera_frame("obama2.jpg")
    burst = [held_photo(frame), held_photo(frame, shift=4, turn=2), held_photo(frame, shift=8)]
    (found,) = engine.identify_frames(burst, gallery)
    assert found.frames_matched == 3 and not found.live and len(encoded_frames) == 3
