"""Validators for Chinese identity documents, mobile numbers and bank card numbers."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_RESIDENT_ID = re.compile(r"^\d{17}[\dX]$", re.ASCII)
_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK_CHARS = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)


def resident_id_check_char(first17: str) -> str:
    """GB 11643-1999 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def normalize_resident_id(value: str) -> str:
    return (value or "").strip().upper()


def resident_id_birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_resident_id(value: str) -> None:
    number = normalize_resident_id(value)
    if not _RESIDENT_ID.match(number):
        raise ValidationError(_("A resident ID number has 18 characters: 17 digits and a final "
                                "digit or X."), code="format")
    birth = resident_id_birth_date(number)
    if birth is None or birth > timezone.localdate() or birth.year < 1900:
        raise ValidationError(_("The birth date inside this ID number is not a real date."),
                              code="birth_date")
    if resident_id_check_char(number[:17]) != number[17]:
        raise ValidationError(_("This ID number's check digit is wrong; please check each digit."),
                              code="check_digit")


def normalize_cn_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    return digits[3:] if digits.startswith("+86") else digits


def validate_cn_mobile(value: str) -> None:
    if not _MOBILE.match(normalize_cn_mobile(value)):
        raise ValidationError(_("Enter an 11-digit mainland China mobile number."), code="phone")


def luhn_valid(number: str) -> bool:
    digits = [int(ch) for ch in number if "0" <= ch <= "9"]
    if len(digits) != len(number):
        return False
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def validate_card_number(value: str) -> None:
    number = re.sub(r"[\s-]", "", value or "")
    if not (number.isascii() and number.isdigit()) or not 12 <= len(number) <= 19:
        raise ValidationError(_("A bank card or account number has 12 to 19 digits."),
                              code="format")
    if not luhn_valid(number):
        raise ValidationError(_("This card number fails its check digit; please check each "
                                "digit."), code="check_digit")
