"""Property-based tests (hypothesis) for the validators every form and API relies on: resident ID
numbers (GB 11643 check character), bank card numbers (Luhn), mainland mobile numbers, and the
counter's form engine (money, numbers, any input never crashing it)."""

import datetime as dt
import string
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from counter import formschema
from customers.validators import (
    luhn_valid,
    resident_id_check_char,
    validate_card_number,
    validate_cn_mobile,
    validate_resident_id,
)

ASCII_DIGITS = st.text(alphabet=string.digits, min_size=1, max_size=1)
# Up to a fixed past date: "today" differs between the machine's zone and Beijing.
birth_dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2020, 12, 31))
areas = st.text(alphabet=string.digits, min_size=6, max_size=6)
serials = st.text(alphabet=string.digits, min_size=3, max_size=3)
anything = st.one_of(st.text(), st.integers(), st.floats(), st.booleans(), st.none(),
                     st.lists(st.text(), max_size=3), st.dictionaries(st.text(), st.text(), max_size=3))


def _accepts(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


def _resident_id(area: str, birth: dt.date, serial: str) -> str:
    first17 = f"{area}{birth:%Y%m%d}{serial}"
    return first17 + resident_id_check_char(first17)


@given(area=areas, birth=birth_dates, serial=serials)
def test_every_well_formed_resident_id_is_accepted_in_either_case(area, birth, serial):
    number = _resident_id(area, birth, serial)
    assert _accepts(validate_resident_id, number)
    assert _accepts(validate_resident_id, number.lower())


@given(area=areas, birth=birth_dates, serial=serials, position=st.integers(0, 16), data=st.data())
def test_a_single_mistyped_digit_of_a_resident_id_is_caught(area, birth, serial, position, data):
    number = _resident_id(area, birth, serial)
    other = data.draw(ASCII_DIGITS.filter(lambda digit: digit != number[position]))
    assert not _accepts(validate_resident_id, number[:position] + other + number[position + 1:])


@given(value=st.text(max_size=25))
@example(value="\u0661" * 17 + "X")  # Arabic-Indic digits are digits to Python, not to an ID card
def test_any_accepted_resident_id_is_17_ascii_digits_and_a_check_character(value):
    if _accepts(validate_resident_id, value):
        number = value.strip().upper()
        assert number[:17].isascii() and number[:17].isdigit()
        assert resident_id_check_char(number[:17]) == number[17]


def _with_luhn_digit(body: str) -> str:
    for last in string.digits:
        if luhn_valid(body + last):
            return body + last
    raise AssertionError("some check digit always completes a Luhn number")


@given(body=st.text(alphabet=string.digits, min_size=11, max_size=18))
def test_every_card_number_with_its_luhn_digit_is_accepted_with_spaces_or_dashes(body):
    number = _with_luhn_digit(body)
    assert _accepts(validate_card_number, number)
    grouped = " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    assert _accepts(validate_card_number, grouped)
    assert _accepts(validate_card_number, grouped.replace(" ", "-"))


@given(body=st.text(alphabet=string.digits, min_size=11, max_size=18), position=st.integers(0, 18),
       data=st.data())
def test_a_single_mistyped_card_digit_is_caught(body, position, data):
    number = _with_luhn_digit(body)
    position %= len(number)
    other = data.draw(ASCII_DIGITS.filter(lambda digit: digit != number[position]))
    assert not _accepts(validate_card_number, number[:position] + other + number[position + 1:])


@given(value=st.text(max_size=30))
@example(value="\u00b2" * 16)  # superscript two: str.isdigit() says yes, int() says no
@example(value="\u0663" * 16)
def test_card_validation_never_crashes_and_accepts_only_ascii_digits(value):
    if _accepts(validate_card_number, value):
        digits = value.replace(" ", "").replace("-", "")
        assert digits.isascii() and digits.isdigit() and 12 <= len(digits) <= 19


@given(rest=st.text(alphabet=string.digits, min_size=9, max_size=9), second=st.sampled_from("3456789"),
       prefix=st.sampled_from(["", "+86", "+86 "]))
def test_every_mainland_mobile_number_is_accepted_with_or_without_country_code(rest, second, prefix):
    assert _accepts(validate_cn_mobile, f"{prefix}1{second}{rest}")


@given(value=st.text(max_size=20))
@example(value="13\u0668" + "1" * 8)
def test_an_accepted_mobile_number_has_eleven_ascii_digits(value):
    if _accepts(validate_cn_mobile, value):
        digits = "".join(ch for ch in value.removeprefix("+86") if not ch.isspace() and ch != "-")
        assert digits.isascii() and len(digits) == 11


MONEY_FIELD = {"name": "amount", "type": "money", "currency": "CNY"}
NUMBER_FIELD = {"name": "count", "type": "number"}


@given(cents=st.integers(min_value=1, max_value=10**15))
def test_a_money_amount_in_yuan_and_fen_comes_back_exact_with_two_decimals(cents):
    typed = f"{Decimal(cents) / 100:,.2f}"
    result = formschema.validate([MONEY_FIELD], {"amount": typed}, mode="submit")
    assert result.ok
    assert Decimal(result.cleaned["amount"]) == Decimal(cents) / 100
    assert result.cleaned["amount"].split(".")[1].__len__() == 2


@given(amount=st.decimals(min_value=Decimal("0.001"), max_value=Decimal(10**6), places=3))
def test_a_money_amount_with_more_decimals_than_the_currency_is_refused_never_rounded(amount):
    result = formschema.validate([MONEY_FIELD], {"amount": f"{amount.normalize():f}"}, mode="submit")
    if amount != amount.quantize(Decimal("0.01")):
        assert [error.code for error in result.errors] == ["money_decimals"]
    else:
        assert Decimal(result.cleaned["amount"]) == amount


@given(number=st.integers(min_value=-10**12, max_value=10**12))
def test_a_whole_number_is_kept_as_the_customer_wrote_it(number):
    result = formschema.validate([NUMBER_FIELD], {"count": str(number)}, mode="submit")
    assert result.cleaned["count"] == str(number)


@given(exponent=st.integers(min_value=-10**9, max_value=10**9))
@example(exponent=999_999_999)
def test_a_number_with_any_exponent_is_answered_compactly(exponent):
    result = formschema.validate([NUMBER_FIELD], {"count": f"1e{exponent}"}, mode="submit")
    assert len(result.cleaned.get("count", "")) < 100


FIELD_SPECS = [
    {"name": "text", "type": "text", "max_length": 20},
    {"name": "count", "type": "number", "integer": True, "min": 0, "max": 100},
    {"name": "amount", "type": "money", "currency": "JPY"},
    {"name": "yuan", "type": "money"},
    {"name": "day", "type": "date", "min": "2000-01-01"},
    {"name": "pick", "type": "choice", "choices": [{"value": "a"}, {"value": "b"}]},
    {"name": "phone", "type": "phone"},
    {"name": "id", "type": "resident_id"},
    {"name": "card", "type": "card_number"},
    {"name": "photo", "type": "document_photo"},
]


@settings(max_examples=300)
@given(values=st.dictionaries(st.sampled_from([f["name"] for f in FIELD_SPECS] + ["stray"]), anything),
       mode=st.sampled_from(["draft", "submit"]))
def test_the_form_engine_answers_any_input_with_field_errors_never_an_exception(values, mode):
    result = formschema.validate(FIELD_SPECS, values, mode=mode)
    for error in result.errors:
        assert error.field in values or error.code == "required"
        assert error.message  # a translated sentence the customer can read
    again = formschema.validate(FIELD_SPECS, result.cleaned, mode=mode)
    assert again.cleaned == result.cleaned, "cleaning a cleaned form changes nothing"


@pytest.mark.parametrize("typed", ["1" * 40, "9" * 29 + ".99"])
def test_an_absurdly_large_amount_is_a_field_error(typed):
    result = formschema.validate([MONEY_FIELD], {"amount": typed}, mode="submit")
    assert [error.field for error in result.errors] == ["amount"]
