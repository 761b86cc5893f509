from django import template

from insights import kpis

register = template.Library()


@register.filter
def kpi_display(kpi, value) -> str:
    return kpis.display(kpi, value)
