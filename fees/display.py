"""A version as a customer reads it: "5.00 元/张", "0.5%，最低 2.00 元，最高 50.00 元"."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fees.models import Basis, FeeVersion, Group, Method


def price_text(version: FeeVersion, basis: str) -> str:
    if version.method == Method.FIXED:
        if version.price == 0:
            return _("Free")
        return _("%(price)s yuan %(basis)s") % {"price": version.price, "basis": Basis(basis).label}
    text = _("%(rate)s%% of the amount") % {"rate": version.rate.normalize()}
    if version.minimum is not None:
        text += _(", at least %(minimum)s yuan") % {"minimum": version.minimum}
    if version.maximum is not None:
        text += _(", at most %(maximum)s yuan") % {"maximum": version.maximum}
    return text


def waiver_labels(version: FeeVersion) -> str:
    """The groups a fee is waived for, as one phrase ("" when none)."""
    return pgettext("list separator", ", ").join(
        str(Group(group).label) for group in version.waivers if group in Group.values)
