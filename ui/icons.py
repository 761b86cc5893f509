"""The icon set: Lucide's SVGs as shipped by the PyPI package `lucide` (its zip of the npm
release), rendered inline so no icon font or emoji font is needed on the machine.

`ICONS` names what each icon means here; templates and scripts use these meaning names, never
Lucide's own, so swapping a drawing is a one-line change (docs/design.md: how to add an icon).
"""

import re
from functools import cache

from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from lucide.templatetags.lucide import lucide as lucide_svg

ICONS: dict[str, str] = {
    # kiosk menu and flows
    "ticket": "ticket",
    "check-in": "calendar-check",
    "form": "file-pen-line",
    "face": "scan-face",
    "question": "message-circle",
    "video": "video",
    "sign-language": "hand",
    "print": "printer",
    "search": "search",
    "back": "arrow-left",
    "next": "chevron-right",
    "previous": "chevron-left",
    "finish": "log-out",
    "larger-text": "a-large-small",
    "contrast": "contrast",
    "language": "languages",
    "home": "house",
    # service categories (kiosk.models / branches ServiceType.category)
    "deposit": "banknote",
    "transfer": "arrow-left-right",
    "card": "credit-card",
    "account": "book-user",
    "wealth": "trending-up",
    "loan": "landmark",
    "fx": "coins",
    "remittance": "globe",
    "other": "concierge-bell",
    # status and feedback
    "ok": "circle-check",
    "bad": "circle-x",
    "warn": "triangle-alert",
    "info": "info",
    "close": "x",
    "check": "check",
    "voice-on": "volume-2",
    "voice-off": "volume-x",
    "offline": "wifi-off",
    "clock": "clock",
    "waiting": "hourglass",
    "calling": "megaphone",
    "user": "user",
    "users": "users",
    "bank": "landmark",
    "star": "star",
    "where": "map-pin",
    "keyboard": "keyboard",
    "design": "palette",
    "fraud": "shield-alert",
}


@cache
def icon_svg(name: str, css_class: str = "") -> SafeString:
    """The inline SVG of the icon meaning `name`: decorative (aria-hidden); the text beside it, or
    the control's aria-label, says what it is. An unknown name fails loudly."""
    classes = "icon" + (f" {css_class}" if css_class else "")
    # The package's template tag is its public API; it escapes nothing we pass, so only our own
    # constant attributes go in.
    svg = lucide_svg(ICONS[name], size=None, **{"class": classes, "aria-hidden": "true",
                                                "focusable": "false", "data-icon": name})
    return mark_safe(re.sub(r">\s+<", "><", svg))  # noqa: S308 - the package's SVG, our attributes


def icon_templates(names) -> SafeString:
    """`<template data-icon-template="name">` elements for scripts that build buttons (kiosk.js):
    they clone the SVG instead of carrying a copy of the drawing."""
    return format_html_join("", '<template data-icon-template="{}">{}</template>',
                            ((name, icon_svg(name)) for name in names))
