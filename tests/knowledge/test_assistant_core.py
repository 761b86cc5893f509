"""The pure FAQ assistant: hand-off detection, answers with a source, clarifying questions, gaps."""

import pytest

from knowledge.search import Document, SearchIndex
from knowledge.search.assistant import HandoffReason, ReplyKind, answer, handoff_reason

INDEX = SearchIndex([
    Document(slug="loss", title="银行卡挂失与补卡", body="口头挂失有效期5天，本人到柜面正式挂失。"),
    Document(slug="cd", title="大额存单20万元起存", body="个人大额存单认购起点金额不低于20万元。"),
    Document(slug="cd-transfer", title="大额存单转让", body="大额存单可在手机银行转让专区转让。"),
])


@pytest.mark.parametrize(("question", "reason"), [
    ("我被骗了，刚转了5万给对方", HandoffReason.FRAUD),
    ("I just sent money to a scammer, help!", HandoffReason.FRAUD),
    ("我要投诉你们柜员态度太差了", HandoffReason.COMPLAINT),
    ("帮我查一下我上个月的转账记录", HandoffReason.OWN_ACCOUNT),
    ("What is my account balance?", HandoffReason.OWN_ACCOUNT),
    ("我有50万，买哪个理财最好？", HandoffReason.ADVICE),
    ("Should I pay off my mortgage early or invest?", HandoffReason.ADVICE),
])
def test_it_hands_off_what_only_a_person_may_handle(question, reason):
    reply = answer(question, index=INDEX)
    assert reply.kind == ReplyKind.HANDOFF
    assert reply.reason == reason


def test_fraud_is_urgent_and_advice_is_not():
    assert answer("我的卡刚被盗刷了好几笔", index=INDEX).urgent
    assert not answer("推荐一款理财", index=INDEX).urgent


def test_how_to_questions_are_not_handed_off():
    assert handoff_reason("I lost my card, what should I do?") is None
    assert handoff_reason("投诉一般多久处理？") is None
    assert handoff_reason("怎么识别刷单诈骗？") is None


def test_it_answers_with_the_source_article_and_a_confidence():
    reply = answer("银行卡丢了怎么挂失", index=INDEX)
    assert reply.kind == ReplyKind.ANSWER
    assert reply.slug == "loss"
    assert 0.55 <= reply.confidence <= 1


def test_it_asks_which_one_when_two_articles_are_close():
    reply = answer("大额存单", index=INDEX)
    assert reply.kind == ReplyKind.CLARIFY
    assert {o.slug for o in reply.options} == {"cd", "cd-transfer"}


def test_a_question_the_content_does_not_cover_is_a_knowledge_gap():
    assert answer("黄金积存怎么买", index=INDEX).kind == ReplyKind.GAP
