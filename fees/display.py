"""A version as a customer reads it: "5.00 元/张", "0.5%，最低 2.00 元，最高 50.00 元"."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fees.models import Basis, FeeVersion, Group, Method, PublishedRate, RateKind


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


def _figure(value, places: int) -> str:
    """1.1000 → "1.10"; 3.1250 → "3.125": at least `places` decimals, never trailing zeros beyond."""
    text = f"{value.normalize():f}"
    whole, _dot, decimals = text.partition(".")
    return f"{whole}.{decimals.ljust(places, '0')}"


def rate_text(rate: PublishedRate) -> str:
    """A rate as the lobby reads it, in the active language."""
    if rate.kind == RateKind.EXCHANGE:
        return _("%(name)s: buying %(buy)s, selling %(sell)s yuan per 100") % {
            "name": rate.name, "buy": _figure(rate.rate, 2), "sell": _figure(rate.selling, 2)}
    return _("%(name)s: %(rate)s%% a year") % {"name": rate.name, "rate": _figure(rate.rate, 2)}


def bilingual_rates(rates: list[PublishedRate]) -> list[dict]:
    """Each rate's kind and text in Chinese and in English (the lobby screen shows both)."""
    from django.utils.translation import override

    rows = []
    for rate in rates:
        row = {"code": rate.code}
        for key, language in (("zh", "zh-hans"), ("en", "en")):
            with override(language):
                row[f"kind_{key}"] = str(RateKind(rate.kind).label)
                row[key] = rate_text(rate)
        rows.append(row)
    return rows
