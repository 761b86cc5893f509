"""`{{ user|person_name }}` in every template (a builtin library: see TEMPLATES in settings)."""

from django import template

from branches.people import person_name as _person_name

register = template.Library()


@register.filter
def person_name(user) -> str:
    return _person_name(user)
