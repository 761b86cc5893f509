"""Which written language of the bank's own content (names, form labels, messages stored as
`*_zh_hans` and `*_en`) a page in the active language shows."""

from django.utils import translation


def content_language(language: str | None = None) -> str:
    """ "zh-hans" for Chinese, "en" for every other language: content is written in Chinese and
    English only, and a Japanese or Korean customer reads the English version."""
    language = language if language is not None else translation.get_language()
    return "zh-hans" if (language or "zh").startswith("zh") else "en"


def english() -> bool:
    return content_language() == "en"
