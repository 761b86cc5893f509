"""Dates people enter: the pickers get ISO values in every language (a Chinese page rendered
2026/12/07, which a picker drops, so the field showed empty); the server takes ISO dates and
refuses others in the page's language; every page carries the translated words the picker's
note uses (static/branchsvc/dates.js)."""

import datetime as dt

import pytest
from django.utils import translation

from core import widgets

LANGUAGES = ["zh-hans", "en", "ja", "ko"]
INVALID_DATE = {"zh-hans": "输入一个有效的日期。", "en": "Enter a valid date.",
                "ja": "日付を正しく入力してください。", "ko": "올바른 날짜를 입력하세요."}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_picker_is_given_iso_values_in_every_language(language):
    with translation.override(language):
        assert 'value="2026-12-07"' in widgets.DateInput().render("d", dt.date(2026, 12, 7))
        assert 'type="date"' in widgets.DateInput().render("d", None)
        moment = widgets.DateTimeInput().render("t", dt.datetime(2026, 12, 7, 14, 5))
        assert 'type="datetime-local"' in moment and 'value="2026-12-07T14:05"' in moment
        assert 'value="2026-12"' in widgets.MonthInput().render("m", dt.date(2026, 12, 1))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_evidence_search_takes_iso_dates_and_refuses_others_in_the_pages_language(
    client, compliance_officer, language
):
    client.force_login(compliance_officer)
    client.cookies["django_language"] = language
    page = client.get("/compliance/evidence/", {"start": "2026-12-01", "end": "2026-12-07"})
    assert page.status_code == 200 and 'value="2026-12-07"' in page.content.decode()
    refused = client.get("/compliance/evidence/", {"start": "2026-13-45"}).content.decode()
    assert INVALID_DATE[language] in refused


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_carries_the_pickers_words_in_its_language(client, db, language):
    client.cookies["django_language"] = language
    page = client.get("/").content.decode()
    hint = {"zh-hans": "本机的日期顺序：", "en": "Date order on this computer:",
            "ja": "このパソコンの日付の順序：", "ko": "이 컴퓨터의 날짜 순서:"}[language]
    assert f'data-order-hint="{hint}"' in page
    assert "branchsvc/dates" in page
