"""`{{ user|person_name }}` in every template (a builtin library: see TEMPLATES in settings)."""

from django import template

from branches.people import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    """Staff by their name; a customer account without one by the customer's masked name (王*),
    not its generated username ("customer-1" is English on a Chinese page)."""
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if signed_in and not (user.first_name or user.last_name):
        customer = getattr(user, "customer", None)  # the customers app's profile, if any
        if customer is not None and customer.masked_name:
            return customer.masked_name
    return _person_name(user)
