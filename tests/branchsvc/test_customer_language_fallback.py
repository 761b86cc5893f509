"""A string without a Japanese or Korean translation shows in English there, not in Chinese."""

import pytest
from django.utils import translation


@pytest.mark.parametrize("language", ["ja", "ko"])
def test_a_string_missing_in_japanese_or_korean_shows_in_english(language):
    with translation.override(language):
        assert translation.gettext("Teller console") == "Teller console"  # staff only: no ja/ko
        assert translation.gettext("Cancel my ticket") != "Cancel my ticket"  # translated


def test_chinese_stays_the_fallback_of_nothing_else():
    with translation.override("zh-hans"):
        assert translation.gettext("Teller console") == "柜员工作台"
    with translation.override("en"):
        assert translation.gettext("Teller console") == "Teller console"
