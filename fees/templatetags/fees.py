from django import template

from fees.display import price_text, waiver_labels
from fees.services import version_in_effect

register = template.Library()


@register.simple_tag
def service_fees(service_type) -> list[dict]:
    """The published fees a counter service charges, as the teller and the receipt show them."""
    if service_type is None:
        return []
    rows = []
    for item in service_type.fee_items.all():
        version = version_in_effect(item)
        if version is not None:
            rows.append({"item": item, "price": price_text(version, item.basis),
                         "waivers": waiver_labels(version)})
    return rows


@register.simple_tag
def lobby_rates(branch) -> list[dict]:
    """The rates in effect at `branch` today (its local date), in Chinese and English, for the
    lobby screen's ticker. Published rates only: never anything about a customer."""
    from fees.display import bilingual_rates
    from fees.rates import rates_in_effect

    return bilingual_rates(rates_in_effect(branch))
