"""Booking codes: short, unambiguous when read aloud or typed, unguessable.

Eight random symbols from Crockford's base-32 alphabet (no I, L, O, U) carry 40 bits of randomness;
a ninth symbol is a Luhn mod-32 check so that a mistyped code is rejected before any lookup.
Codes are shown as ``XXXX-XXXXX``; input is forgiving about case, spaces, dashes and the look-alikes
O→0 and I/L→1.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 8
LENGTH = RANDOM_LENGTH + 1
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def booking_code_new() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + _check_symbol(body)


def normalise(raw: str) -> str | None:
    """The canonical code for what a customer typed or a scanner read, or ``None`` if not valid."""
    text = "".join(ch for ch in raw.upper() if ch.isalnum()).translate(_LOOKALIKES)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    if _check_symbol(text[:-1]) != text[-1]:
        return None
    return text


def display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _check_symbol(body: str) -> str:
    # Luhn mod N: doubles every second symbol from the right, catches single-symbol errors and
    # most swaps of neighbours.
    n = len(ALPHABET)
    total = 0
    factor = 2
    for ch in reversed(body):
        addend = factor * ALPHABET.index(ch)
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]
