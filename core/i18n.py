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


def customer_languages_fall_back_to_english() -> None:
    """A string missing from the Japanese or Korean catalogue shows in English (its source), not in
    Chinese: Django falls back to ``LANGUAGE_CODE``'s catalogue (Chinese) for every language but
    English, which a Japanese or Korean customer reads less easily than English — the same reason
    the bank's own content shows them English (``content_language``).

    Django offers no setting for this; its one hook is ``DjangoTranslation._add_fallback``, which
    this wraps for ``settings.CUSTOMER_ONLY_LANGUAGES`` only. Called once from the project's
    ``AppConfig.ready``; translations built before it are dropped so none keeps the old fallback.
    """
    from django.conf import settings
    from django.utils.translation import trans_real

    add_fallback = trans_real.DjangoTranslation._add_fallback
    if getattr(add_fallback, "customer_languages", False):
        return

    def _add_fallback(self, localedirs=None):
        if self.language() in settings.CUSTOMER_ONLY_LANGUAGES:
            return
        add_fallback(self, localedirs)

    _add_fallback.customer_languages = True  # type: ignore[attr-defined]
    trans_real.DjangoTranslation._add_fallback = _add_fallback  # type: ignore[method-assign]
    for language in settings.CUSTOMER_ONLY_LANGUAGES:
        trans_real._translations.pop(language, None)
