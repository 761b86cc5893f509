"""The FAQ assistant over HTTP: answers cite published content, hand-offs reach a person."""

import pytest

from core.live import groups
from knowledge import hooks
from knowledge.models import AssistantExchange, KnowledgeGap
from knowledge.services import Content, article_create, version_submit
from knowledge.services.imports import category_for
from tests.factories import make_device

pytestmark = pytest.mark.django_db

LOSS_BODY = "口头挂失有效期5天，本人携带身份证到柜面办理正式挂失，7天后补卡。"


def ask(client, question, **extra):
    response = client.post("/api/knowledge/assistant", {"question": question, **extra},
                           content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def loss_article(publish_article):
    return publish_article("loss", "银行卡挂失与补卡", LOSS_BODY, card="先口头挂失，5天内正式挂失。")


@pytest.fixture
def handoffs(monkeypatch):
    """Only a recording handler (not the service desk's) takes hand-offs in these tests."""
    received = []

    def handler(handoff):
        received.append(handoff)
        return f"WO-{len(received)}"

    monkeypatch.setattr(hooks, "_handoff_handlers", [handler])
    return received


def test_it_answers_with_the_source_article_and_a_confidence(client, loss_article):
    reply = ask(client, "银行卡丢了怎么挂失？")
    assert reply["kind"] == "answer"
    assert reply["article"]["slug"] == "loss"
    assert reply["article"]["excerpt"] == "先口头挂失，5天内正式挂失。"
    assert 0.5 < reply["confidence"] <= 1


def test_it_never_answers_from_unpublished_content(client, drafter):
    version = article_create(actor=drafter, slug="gold", category=category_for("product", ""),
                             content=Content(title="积存金怎么买", body="积存金1克起购。"))
    version_submit(actor=drafter, version=version)
    reply = ask(client, "积存金怎么买")
    assert reply["kind"] == "gap"
    assert reply["article"] is None
    assert KnowledgeGap.objects.get().question == "积存金怎么买"


def test_customers_get_no_answers_from_staff_only_articles(client, publish_article):
    publish_article("str", "可疑交易报告流程", "发现可疑交易填写线索报告。", category="compliance",
                    audience="staff")
    assert ask(client, "可疑交易报告流程")["kind"] == "gap"


def test_it_asks_which_one_when_two_answers_are_close(client, publish_article):
    publish_article("cd", "大额存单起存金额", "大额存单20万元起存。")
    publish_article("cd-transfer", "大额存单转让", "大额存单可以转让。")
    reply = ask(client, "大额存单")
    assert reply["kind"] == "clarify"
    assert {o["slug"] for o in reply["options"]} == {"cd", "cd-transfer"}
    chosen = ask(client, "大额存单", choice="cd-transfer", conversation=reply["conversation"])
    assert chosen["kind"] == "answer" and chosen["article"]["slug"] == "cd-transfer"


def test_fraud_is_urgent_tells_how_to_stop_payments_and_flags_the_lobby(
        client, branch, loss_article, handoffs, live_events, django_capture_on_commit_callbacks):
    device, token = make_device(branch)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post("/api/knowledge/assistant", {"question": "我被骗了，刚转了5万给对方"},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}").json()
    assert reply["kind"] == "handoff" and reply["urgent"] is True
    steps = " ".join(reply["steps"])
    assert "110" in steps and "96110" in steps
    assert reply["route_to_counter"] is True
    assert (groups.staff(branch.code), "knowledge.fraud_alert") in [e[:2] for e in live_events]
    assert handoffs[0].reason == "fraud" and handoffs[0].urgent and handoffs[0].branch_code == branch.code


@pytest.mark.parametrize(("actions", "says", "never"), [
    # continuity's fraud path raised the freeze: the customer is not sent to the app to do it
    ((hooks.CARD_FREEZE_SENT,), "已发起冻结您的银行卡", "手机银行"),
    # nobody knows who the customer is yet: the ID comes first, then the freeze
    ((hooks.CARD_FREEZE_AFTER_IDENTITY,), "出示身份证件", "手机银行"),
    # no handler raised anything: the customer freezes the card themselves
    ((), "在手机银行、柜面冻结", "已发起冻结"),
])
def test_fraud_steps_say_what_the_hand_off_already_set_in_motion(client, monkeypatch, actions, says,
                                                                 never):
    monkeypatch.setattr(hooks, "_handoff_handlers",
                        [lambda handoff: "WO-7", lambda handoff: hooks.HandoffTaken(actions=actions)])
    reply = ask(client, "我被骗了，刚转了5万给对方", HTTP_ACCEPT_LANGUAGE="zh-hans")
    steps = " ".join(reply["steps"])
    assert reply["urgent"] is True and reply["work_order"] == "WO-7"
    assert says in steps and never not in steps and "96110" in steps


def test_a_kiosk_fraud_report_opens_a_case_and_asks_for_the_id_before_the_freeze(
        client, branch, django_capture_on_commit_callbacks):
    """With the real handlers: continuity opens a fraud case that waits for the customer's ID."""
    from continuity.models import FraudCase, FraudCaseStatus

    _device, token = make_device(branch)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post("/api/knowledge/assistant", {"question": "我被骗了，刚转了5万给对方"},
                            content_type="application/json", HTTP_AUTHORIZATION=f"Device {token}",
                            HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert FraudCase.objects.get().status == FraudCaseStatus.NEEDS_CUSTOMER
    assert "出示身份证件" in " ".join(reply["steps"]) and "手机银行" not in " ".join(reply["steps"])


@pytest.mark.parametrize(("question", "reason"), [
    ("我要投诉你们柜员态度太差了", "complaint"),
    ("帮我查一下我上个月的转账记录", "own_account"),
    ("我有50万，买哪个理财最好？", "advice"),
])
def test_it_hands_off_to_a_work_order_with_the_conversation(client, loss_article, handoffs, question,
                                                            reason):
    first = ask(client, "银行卡丢了怎么挂失？")
    reply = ask(client, question, conversation=first["conversation"])
    assert reply["kind"] == "handoff" and reply["handoff_reason"] == reason
    assert reply["work_order"] == "WO-1"
    assert [turn["text"] for turn in handoffs[0].conversation] == ["银行卡丢了怎么挂失？", question]
    assert AssistantExchange.objects.get(handoff_reason=reason).handoff_ref == "WO-1"


def test_assistant_page_answers_in_place(client, loss_article):
    page = client.post("/knowledge/assistant/", {"question": "银行卡丢了怎么挂失？"},
                       HTTP_HX_REQUEST="true").content.decode()
    assert "先口头挂失" in page and "/knowledge/a/loss/" in page


def test_staff_assistant_also_answers_from_staff_only_articles(client, teller, publish_article):
    publish_article("str", "可疑交易报告流程", "发现可疑交易填写线索报告。", category="compliance",
                    audience="staff")
    client.force_login(teller)
    reply = ask(client, "可疑交易报告流程")
    assert reply["kind"] == "answer" and reply["article"]["slug"] == "str"


def test_content_owners_see_the_questions_left_unanswered(client, drafter, loss_article):
    ask(client, "黄金积存怎么买")
    ask(client, "黄金积存怎么买")
    client.force_login(drafter)
    page = client.get("/knowledge/gaps/").content.decode()
    assert "黄金积存怎么买" in page
    assert KnowledgeGap.objects.get().times_asked == 2


def test_a_complaint_becomes_a_service_desk_work_order_with_the_conversation(client, branch,
                                                                            loss_article):
    from servicedesk.models import WorkOrder

    first = ask(client, "银行卡丢了怎么挂失？")
    reply = ask(client, "我要投诉你们柜员态度太差了", conversation=first["conversation"])
    work_order = WorkOrder.objects.get(number=reply["work_order"])
    assert work_order.kind == "complaint"
    assert "银行卡丢了怎么挂失？" in work_order.description


def test_a_clarifying_question_is_answered_in_the_same_conversation(client, publish_article):
    publish_article("debit-loss", "借记卡挂失", "借记卡遗失请立即电话挂失，5天内到网点正式挂失。",
                    tags=["挂失", "借记卡"])
    publish_article("credit-loss", "信用卡挂失", "信用卡遗失请致电信用卡中心冻结并挂失。",
                    tags=["挂失", "信用卡"])
    asked = ask(client, "卡丢了")
    assert asked["kind"] == "clarify"
    assert "借记卡挂失" in asked["message"] and "信用卡挂失" in asked["message"]
    reply = ask(client, "信用卡的", conversation=asked["conversation"])
    assert reply["kind"] == "answer"
    assert reply["article"]["slug"] == "credit-loss"
    assert AssistantExchange.objects.filter(conversation=asked["conversation"]).count() == 2


def test_it_offers_a_colleague_rather_than_guess_and_the_customer_may_take_it(
        client, loss_article, handoffs):
    reply = ask(client, "网点附近哪里可以停车")
    assert reply["kind"] == "gap"
    assert reply["handoff_offered"] is True
    assert reply["article"] is None
    assert KnowledgeGap.objects.filter(question="网点附近哪里可以停车").exists()
    taken = ask(client, "好的", conversation=reply["conversation"])
    assert taken["kind"] == "handoff" and taken["handoff_reason"] == "unanswered"
    assert taken["work_order"] == "WO-1"
    assert [turn["text"] for turn in handoffs[0].conversation] == ["网点附近哪里可以停车", "好的"]


def test_yes_without_an_offer_is_not_a_hand_off(client, loss_article, handoffs):
    assert ask(client, "好的")["kind"] == "gap"
    assert handoffs == []
