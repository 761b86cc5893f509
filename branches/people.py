"""How staff names are written: Chinese names family name first with no space (李娜), others
given name first (Na Li); the username when the account has no name."""

import unicodedata


def _is_cjk(text: str) -> bool:
    return any(unicodedata.name(char, "").startswith("CJK UNIFIED IDEOGRAPH") for char in text)


def person_name(user) -> str:
    if user is None:
        return ""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if not (first or last):
        return user.get_username()
    if _is_cjk(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()
