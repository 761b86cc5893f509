"""Refuse text that PostgreSQL cannot store (NUL characters, unpaired UTF-16 surrogates) as a 400
before it reaches a service, instead of failing with a 500 at the database."""

import re

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
MESSAGE = _("The input contains characters that cannot be stored (NUL or broken Unicode).")


def has_unstorable(value) -> bool:
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(has_unstorable(k) or has_unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_unstorable(item) for item in value)
    return False


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if has_unstorable(data):
            raise ParseError(MESSAGE)
        return data
