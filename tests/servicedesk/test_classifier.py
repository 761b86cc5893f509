import pytest

from servicedesk.classifier import CategoryClassifier, score_emotion, train
from servicedesk.history import BY_CODE, LEAVES, TREE, demo_history


@pytest.fixture(scope="module")
def model():
    return train(demo_history())


def test_tree_has_three_levels_and_every_leaf_has_history():
    assert {c.level for c in TREE} == {1, 2, 3}
    assert all(c.parent_code in BY_CODE for c in TREE if c.level > 1)
    assert {code for _, code in demo_history()} == {leaf.code for leaf in LEAVES}


def test_it_proposes_the_detail_category_with_confidence(model):
    prediction = model.predict("昨天在自助取款机取钱，卡被机器吞了")
    assert prediction.code == "card.device.retained"
    assert 0.0 < prediction.confidence <= 1.0
    assert len(prediction.alternatives) == 3
    assert all(p <= prediction.confidence for _, p in prediction.alternatives)


def test_it_tells_a_cross_border_remittance_from_a_domestic_transfer(model):
    assert model.predict("汇到加拿大的学费十天了还没到").code == "fx.remit.not_arrived"
    assert model.predict("跨行转账扣了钱，对方说没收到").code == "card.txn.not_credited"


def test_corrections_feed_the_next_training(model):
    text = "存折上的印章模糊要换新存折"
    corrected = [(text, "card.device.lost")] * 6 + [("存折印鉴不清需要更换存折", "card.device.lost")] * 3
    retrained = train(demo_history() + corrected)
    assert retrained.predict(text).code == "card.device.lost"


def test_a_trained_model_survives_storage(model):
    restored = CategoryClassifier.loads(model.dumps())
    assert restored.predict("手机银行登录不了").code == model.predict("手机银行登录不了").code


def test_calm_text_does_not_raise_priority():
    score = score_emotion("请问提前还款需要预约吗，不着急")
    assert not score.raises_priority
    assert score.score == 0


def test_threat_to_go_to_the_regulator_is_strong_emotion():
    score = score_emotion("你们再不处理我就打12378向监管投诉，还要找媒体曝光")
    assert score.angry and score.raises_priority
    assert score.score >= 0.8


def test_urgent_money_need_raises_priority():
    score = score_emotion("家人住院急用钱，理财赎回一直不到账")
    assert score.urgent and not score.angry
    assert {"住院", "急用"} <= set(score.words)


def test_one_mild_word_is_not_anger_but_several_are():
    assert not score_emotion("服务有点坑人").angry
    assert score_emotion("太过分了！骗子银行！").angry


def test_plain_anger_without_a_complaint_word_is_caught():
    assert score_emotion("排了一个小时还没轮到我，太离谱了").score > 0
    assert score_emotion("岂有此理！！卡被吞了没人管").angry
    assert score_emotion("什么破系统，又搞什么维护，真是受够了").angry


def test_a_calm_question_still_scores_zero():
    assert score_emotion("请问补办银行卡需要带什么证件？").score == 0
