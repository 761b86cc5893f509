"""What a fee comes to: Decimal throughout, rounded half up to the fen, then held between the
version's minimum and maximum; nothing at all for a customer of a waived group."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fees.models import FeeVersion, Method

FEN = Decimal("0.01")


@dataclass(frozen=True)
class Quote:
    fee: Decimal
    waived_for: str = ""  # the group the fee was waived for
    capped: str = ""  # "minimum" or "maximum" when a cap decided the fee


def quote(version: FeeVersion, *, amount: Decimal | None = None, quantity: int = 1,
          groups: frozenset[str] | set[str] = frozenset()) -> Quote:
    if quantity < 1:
        raise ValidationError({"quantity": [_("At least one, please.")]})
    waived = [group for group in version.waivers if group in groups]
    if version.method == Method.RATE:
        if amount is None or amount <= 0:
            raise ValidationError({"amount": [_("Enter the amount of the transaction.")]})
        fee = (amount * version.rate / 100).quantize(FEN, rounding=ROUND_HALF_UP)
        capped = ""
        if version.minimum is not None and fee < version.minimum:
            fee, capped = version.minimum, "minimum"
        elif version.maximum is not None and fee > version.maximum:
            fee, capped = version.maximum, "maximum"
        fee = fee * quantity
    else:
        fee, capped = (version.price * quantity).quantize(FEN, rounding=ROUND_HALF_UP), ""
    if waived:
        return Quote(fee=Decimal("0.00"), waived_for=waived[0])
    return Quote(fee=fee.quantize(FEN), capped=capped)
