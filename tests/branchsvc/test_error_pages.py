"""A person who hits a missing page, a refused page or a failure sees it in their language, in the
site's layout; an integrator under /api/ gets JSON, never Django's English HTML."""

import pytest
from django.test import Client, override_settings


def test_a_missing_page_is_explained_in_chinese(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and "返回首页" in page
    assert "Not Found" not in page


def test_a_missing_page_is_explained_in_english_on_english_pages(client):
    client.cookies["django_language"] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page


def test_an_unknown_api_address_answers_json_in_the_requests_language(client):
    response = client.get("/api/no-such-thing/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "此页面不存在或已移动。请检查网址，或从首页重新开始。",
                               "code": "not_found"}


@pytest.mark.django_db
def test_a_refused_page_says_why_in_the_layout(client, teller):
    client.force_login(teller)  # a counter teller, not a remote (video) teller
    response = client.get("/kiosk/remote-teller/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "网点管理员" in page


def test_a_server_error_shows_a_calm_translated_page():
    client = Client(raise_request_exception=False)
    with override_settings(ROOT_URLCONF="tests.branchsvc.failing_urls"):
        response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 500
    assert "系统出错了" in response.content.decode()


@pytest.mark.django_db
def test_a_teller_who_is_not_a_remote_teller_is_not_offered_the_remote_teller_page(client, teller):
    client.force_login(teller)
    page = client.get("/counter/console/").content.decode()
    assert "/kiosk/remote-teller/" not in page
