from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from appointments import codes
from appointments.ics import CalendarEvent, calendar_file
from appointments.qr import code_from_scan, qr_payload, qr_svg

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_booking_codes_are_nine_unambiguous_symbols():
    made = {codes.booking_code_new() for _ in range(500)}

    assert len(made) == 500
    for code in made:
        assert len(code) == 9
        assert not set(code) & set("ILOU")
        assert codes.normalise(code) == code


def test_typed_codes_are_forgiven_for_case_dashes_and_lookalikes():
    code = "0A1B" + "2C3D"
    code += codes._check_symbol(code)

    typed = codes.display(code).lower().replace("0", "o").replace("1", "l")

    assert codes.normalise(f" {typed} ") == code


@pytest.mark.parametrize("position", range(9))
def test_a_single_mistyped_symbol_is_rejected(position):
    code = codes.booking_code_new()
    wrong = codes.ALPHABET[(codes.ALPHABET.index(code[position]) + 1) % 32]

    assert codes.normalise(code[:position] + wrong + code[position + 1 :]) is None


def test_codes_of_the_wrong_length_are_rejected():
    assert codes.normalise("ABCD") is None
    assert codes.normalise("") is None


def event(**kw):
    base = dict(
        uid="appt-42@branchsvc",
        start=datetime(2025, 10, 9, 9, 30, tzinfo=SHANGHAI),
        end=datetime(2025, 10, 9, 10, 0, tzinfo=SHANGHAI),
        summary="预约：定期存款; deposit, branch",
        location="北京分行 中关村支行",
    )
    return CalendarEvent(**{**base, **kw})


def test_calendar_file_has_utc_times_crlf_lines_and_escaped_text():
    text = calendar_file(event(), stamp=datetime(2025, 10, 1, tzinfo=UTC)).decode()

    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "DTSTART:20251009T013000Z\r\n" in text
    assert "DTEND:20251009T020000Z\r\n" in text
    assert "SUMMARY:预约：定期存款\\; deposit\\, branch\r\n" in text
    assert "TRIGGER:-PT60M" in text
    assert text.endswith("END:VCALENDAR\r\n")


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    raw = calendar_file(event(description="网点地址" * 40), stamp=datetime(2025, 10, 1, tzinfo=UTC))

    for line in raw.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")
    unfolded = raw.decode().replace("\r\n ", "")
    assert "DESCRIPTION:" + "网点地址" * 40 + "\r\n" in unfolded


def test_a_cancelled_appointment_gives_a_cancel_without_alarm():
    text = calendar_file(event(cancelled=True, sequence=2), stamp=datetime(2025, 10, 1, tzinfo=UTC)).decode()

    assert "METHOD:CANCEL" in text
    assert "STATUS:CANCELLED" in text
    assert "SEQUENCE:2" in text
    assert "VALARM" not in text


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        calendar_file(event(start=datetime(2025, 10, 9, 9, 30)), stamp=datetime(2025, 10, 1, tzinfo=UTC))


def test_alarm_can_be_left_out():
    text = calendar_file(event(alarm_before=None), stamp=datetime(2025, 10, 1, tzinfo=UTC)).decode()
    assert "VALARM" not in text


def test_qr_is_an_inline_svg_carrying_the_booking_code():
    svg = qr_svg("ABCD12345")

    assert svg.startswith("<svg")
    assert "ABCD12345" in svg  # in the title, for screen readers
    assert code_from_scan(qr_payload("ABCD12345")) == "ABCD12345"
    assert code_from_scan(" ABCD-12345 ") == "ABCD-12345"
