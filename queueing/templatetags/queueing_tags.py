from django import template

from core.i18n import content_language

register = template.Library()


@register.filter
def local(text) -> str:
    """The active language's entry of a {"zh-hans": ..., "en": ...} payload text."""
    if not isinstance(text, dict):
        return text or ""
    return text.get(content_language()) or text.get("zh-hans") or ""


@register.filter
def minutes(seconds) -> int | None:
    """Seconds of wait as the whole minutes every surface shows."""
    from queueing.payloads import wait_minutes

    return wait_minutes(seconds)


@register.filter
def item(mapping, key):
    """`mapping[key]` in a template (None when missing)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
