"""Knowledge cards per service type, and change notices to staff who read or pinned an article."""

import pytest

from core.live import groups
from knowledge.services import (
    Content,
    article_save_draft,
    cards_for_service,
    version_approve,
    version_submit,
)
from tests.factories import make_service_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def loss_service(db):
    return make_service_type("CARD_LOSS")


@pytest.fixture
def loss_article(publish_article, loss_service):
    return publish_article("loss", "银行卡挂失", "本人持身份证办理。", card="先口头挂失，5天内正式挂失。",
                           service_types=[loss_service])


def republish(article, drafter, compliance_officer, **content):
    version = article_save_draft(actor=drafter, article=article,
                                 content=Content(**{"title": "银行卡挂失", "body": "本人持身份证办理。",
                                                    **content}))
    version_submit(actor=drafter, version=version)
    version_approve(actor=compliance_officer, version=version)


def test_cards_for_a_service_type_come_from_published_articles(loss_article, loss_service):
    cards = cards_for_service(loss_service)
    assert [(c.slug, c.text) for c in cards] == [("loss", "先口头挂失，5天内正式挂失。")]


def test_teller_console_reads_cards_through_the_api(client, teller, loss_article):
    client.force_login(teller)
    cards = client.get("/api/knowledge/cards", {"service_type": "CARD_LOSS"}).json()
    assert cards[0]["title"] == "银行卡挂失"
    client.logout()
    assert client.get("/api/knowledge/cards", {"service_type": "CARD_LOSS"}).status_code == 401


def test_cards_update_live_on_the_branch_staff_channel(branch, loss_article, drafter, compliance_officer,
                                                       live_events, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        republish(loss_article, drafter, compliance_officer, card="挂失须本人办理。")
    pushed = [payload for group, event, payload in live_events
              if group == groups.staff(branch.code) and event == "knowledge.cards_changed"]
    assert pushed[0]["service_types"] == ["CARD_LOSS"]
    assert cards_for_service("CARD_LOSS")[0].text == "挂失须本人办理。"


def test_staff_who_read_an_article_get_a_change_notice(
        client, teller, loss_article, drafter, compliance_officer, live_events,
        django_capture_on_commit_callbacks):
    client.force_login(teller)
    client.get("/knowledge/a/loss/")
    with django_capture_on_commit_callbacks(execute=True):
        republish(loss_article, drafter, compliance_officer, body="本人持身份证和银行卡办理。")
    assert (groups.user(teller.pk), "knowledge.changed") in [e[:2] for e in live_events]
    page = client.get("/knowledge/").content.decode()
    assert "check your script" in page or "请核对话术" in page


def test_staff_who_pinned_an_article_get_a_notice_too(client, wealth_manager, loss_article, drafter,
                                                      compliance_officer):
    client.force_login(wealth_manager)
    client.post("/api/knowledge/articles/loss/pin", {"pinned": True}, content_type="application/json")
    republish(loss_article, drafter, compliance_officer, body="新流程。")
    assert wealth_manager.knowledge_notices.count() == 1


def test_archived_articles_leave_search_and_cards(client, branch_admin, loss_article):
    client.force_login(branch_admin)
    assert client.post("/api/knowledge/articles/loss/archive").status_code == 204
    assert cards_for_service("CARD_LOSS") == []
    assert client.get("/api/knowledge/search", {"q": "挂失"}).json()["results"] == []
