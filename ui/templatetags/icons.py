"""`{% icon "ticket" %}` everywhere (a template builtin, see settings.TEMPLATES)."""

from django import template

from ui.icons import icon_svg, icon_templates

register = template.Library()


@register.simple_tag
def icon(name: str, css_class: str = ""):
    return icon_svg(name, css_class)


@register.simple_tag
def icon_template_set(*names: str):
    return icon_templates(names)
