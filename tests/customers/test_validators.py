import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from customers.validators import luhn_valid, validate_card_number, validate_cn_mobile, validate_resident_id


@pytest.mark.parametrize("number", ["11010519491231002X", "110101199003071233", "440305198512123458"])
def test_real_shaped_resident_ids_pass(number):
    validate_resident_id(number)


def test_lowercase_x_is_accepted():
    validate_resident_id("11010519491231002x")


@pytest.mark.parametrize(("number", "code"), [
    ("110101199003071234", "check_digit"),
    ("11010119900307123", "format"),
    ("110101199013071233", "birth_date"),
    ("1101011990030712AB", "format"),
])
def test_bad_resident_ids_say_what_is_wrong(number, code):
    with pytest.raises(ValidationError) as error:
        validate_resident_id(number)
    assert error.value.code == code


@pytest.mark.parametrize(("language", "words"), [("zh-hans", "校验位"), ("en", "check digit")])
def test_check_digit_message_is_translated(language, words):
    with translation.override(language):
        with pytest.raises(ValidationError) as error:
            validate_resident_id("110101199003071234")
        assert words in str(error.value.messages[0])


@pytest.mark.parametrize("number", ["6222021234567890128", "4111111111111111",
                                    "6222 0212 3456 7890 128"])
def test_luhn_valid_card_numbers_pass(number):
    validate_card_number(number)


def test_a_mistyped_card_number_fails_its_check_digit():
    assert not luhn_valid("4111111111111112")
    with pytest.raises(ValidationError) as error:
        validate_card_number("4111111111111112")
    assert error.value.code == "check_digit"


@pytest.mark.parametrize("phone", ["13812345678", "+86 138-1234-5678", "19912345678"])
def test_mainland_mobile_numbers_pass(phone):
    validate_cn_mobile(phone)


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "02012345678"])
def test_other_numbers_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_cn_mobile(phone)
