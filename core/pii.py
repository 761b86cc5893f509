"""Masking of personal data (JR/T 0171-2020 category C2) for display."""

import re


def _keep_ends(value: str, head: int, tail: int) -> str:
    value = (value or "").strip()
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """110101199003071234 -> 1101**********1234"""
    return _keep_ends(value, 4, 4)


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678"""
    digits = (value or "").strip()
    if digits.startswith("+86"):
        digits = digits[3:]
    return _keep_ends(digits, 3, 4)


def mask_account(value: str) -> str:
    """6222021234567891234 -> 6222***********1234"""
    return _keep_ends((value or "").replace(" ", ""), 4, 4)


def mask_name(value: str) -> str:
    """张三丰 -> 张**; John Smith -> J*** S****. The most a lobby screen may show."""
    value = (value or "").strip()
    if not value:
        return ""
    if value.isascii():
        return " ".join(part[0] + "*" * (len(part) - 1) for part in value.split())
    return value[0] + "*" * (len(value) - 1)


_PERSONAL_NUMBERS = [
    (re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])"), mask_id_number),
    (re.compile(r"(?<![0-9])(?:\+86)?1[3-9][0-9]{9}(?![0-9])"), mask_phone),
    (re.compile(r"(?<![0-9])[0-9]{12,19}(?![0-9])"), mask_account),
]


def mask_personal_numbers(text: str) -> str:
    """Resident ID, mobile and card numbers a customer typed into free text, masked (C2)."""
    for pattern, mask in _PERSONAL_NUMBERS:
        text = pattern.sub(lambda match, mask=mask: mask(match.group()), text)
    return text
