"""The pure FAQ assistant: hand-off detection, answers with a source, clarifying questions, gaps."""

from types import SimpleNamespace

import pytest

from knowledge.search import Document, SearchIndex, SynonymTable, default_analyzer
from knowledge.search.assistant import (
    HandoffReason,
    Option,
    ReplyKind,
    answer,
    choose_option,
    handoff_reason,
    is_ambiguous,
)
from knowledge.search.dictionary import DEFAULT_SYNONYMS

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
    ("帮我看看我上个月的账单", HandoffReason.OWN_ACCOUNT),        # the customer's own figures
    ("我这个月的月供扣了多少", HandoffReason.OWN_ACCOUNT),
    ("等额本息和等额本金哪种对我来说更合适", HandoffReason.ADVICE),  # what suits the customer
])
def test_it_hands_off_what_only_a_person_may_handle(question, reason):
    reply = answer(question, index=INDEX)
    assert reply.kind == ReplyKind.HANDOFF
    assert reply.reason == reason


def test_fraud_is_urgent_and_advice_is_not():
    assert answer("我的卡刚被盗刷了好几笔", index=INDEX).urgent
    assert not answer("推荐一款理财", index=INDEX).urgent


@pytest.mark.parametrize("question", [
    "我按对方说的把钱转到了安全账户",          # money gone + a party scams use
    "有个自称警察的让我转钱，我已经转了",
    "贷款公司让我先交保证金，我交了",
    "刚收到扣款短信，不是我刷的",              # taken without the customer
    "卡还在我身上，钱却被人刷走了",
    "有人冒充客服让我开了屏幕共享",            # steered right now
])
def test_fraud_told_the_way_victims_tell_it_is_urgent(question):
    assert handoff_reason(question) == HandoffReason.FRAUD


@pytest.mark.parametrize("question", [
    # the card never left the customer, yet money went — either order, either language
    "卡一直在我钱包里，昨晚却有一笔境外消费",
    "我银行卡没丢，怎么被人取走了五千",
    "卡明明在我手上，账户里的钱少了三万",
    "刚收到取款短信，可是卡就在我身边",
    "信用卡没离身，但是出现了两笔国外交易",
    "my card is still in my wallet but 2000 dollars were withdrawn",
    "I never lost my card but someone charged 500 to it",
    # a code, a password or the card's security number asked for by someone outside the bank
    "有个陌生人加我微信，要我把收到的验证码发给他",
    "对方自称客服，问我要信用卡背面的三位数",
    "快递员打电话让我报一下短信里的动态码，我报了",
    "he asked for my OTP",
    "someone asked me for the verification code and I gave it",
    # "police / prosecutors / court" on the phone, a "safe account"
    "一个自称警官的人打来电话说我涉嫌洗钱要冻结账户",
    "接到电话说是公安局的，让我把钱转到安全账户配合调查",
    "检察院的人视频里说我的账户涉嫌犯罪，要我转账证明清白",
    "a man who said he was police told me to move my money to a safe account",
    # screen sharing, remote control
    "对方让我下载了一个会议软件，开了共享屏幕",
    "有人远程控制了我的手机在转账",
    "the caller asked me to install AnyDesk and now money is gone",
])
def test_fraud_said_in_many_ways_is_urgent(question):
    assert handoff_reason(question) == HandoffReason.FRAUD


@pytest.mark.parametrize("question", [
    "卡还在身上，怎么办理挂失", "境外取现手续费多少", "卡在ATM机里取不出来", "收不到短信验证码怎么办",
    "千万不要开屏幕共享是什么意思", "警察会打电话让我转账吗", "怎么识别冒充公检法的诈骗",
    "法院冻结了我的账户怎么解冻", "安全账户是骗局吗", "我的卡在国外能用吗", "卡没丢但是磁条坏了怎么换卡",
    "修改密码需要验证码吗", "would the police ask me to transfer money?",
    "my card is still with me, how do I activate it", "个人外汇账户现钞怎么取",
])
def test_questions_near_those_words_are_not_emergencies(question):
    assert handoff_reason(question) is None


@pytest.mark.parametrize("question", [
    "银行会让我把钱转到安全账户吗", "接到冒充客服的电话怎么办", "转错账对方不还怎么办",
    "银行工作人员会问我要验证码吗", "信用卡被偷了新卡多久寄到",
])
def test_questions_about_scams_and_losses_are_not_emergencies(question):
    assert handoff_reason(question) is None


def test_how_to_questions_are_not_handed_off():
    assert handoff_reason("I lost my card, what should I do?") is None
    assert handoff_reason("信用卡账单日一年能改几次") is None
    assert handoff_reason("等额本息和等额本金有什么区别") is None
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


LOSS_INDEX = SearchIndex([
    Document(slug="debit-loss", title="借记卡挂失：电话挂失与正式挂失", tags=("挂失", "借记卡"),
             body="发现借记卡遗失后立即拨打客服热线临时挂失，5天内到网点正式挂失。"),
    Document(slug="credit-loss", title="信用卡挂失", tags=("挂失", "信用卡"),
             body="信用卡遗失请致电信用卡中心冻结并挂失，新卡7个工作日寄到。"),
    Document(slug="hours", title="网点营业时间", tags=("营业时间",), body="周一至周五8:30至17:00营业。"),
])


def test_a_lost_card_without_saying_which_asks_debit_or_credit():
    reply = answer("卡丢了", index=LOSS_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert reply.kind == ReplyKind.CLARIFY
    assert {o.slug for o in reply.options} == {"debit-loss", "credit-loss"}


def test_saying_which_card_answers_without_asking():
    reply = answer("信用卡丢了怎么办", index=LOSS_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert reply.kind == ReplyKind.ANSWER and reply.slug == "credit-loss"


@pytest.mark.parametrize(("text", "slug"), [("信用卡的", "credit-loss"), ("借记卡", "debit-loss"),
                                            ("第二个", "credit-loss"), ("the first one", "debit-loss")])
def test_the_reply_to_a_clarifying_question_picks_an_option(text, slug):
    options = [Option("debit-loss", "借记卡挂失：电话挂失与正式挂失"), Option("credit-loss", "信用卡挂失")]
    assert choose_option(text, options, default_analyzer()).slug == slug


def test_a_reply_that_names_no_option_picks_none():
    options = [Option("debit-loss", "借记卡挂失"), Option("credit-loss", "信用卡挂失")]
    assert choose_option("挂失", options, default_analyzer()) is None


@pytest.mark.parametrize("question", ["网点附近哪里可以停车", "营业时间能买比特币吗"])
def test_it_does_not_answer_when_the_question_is_mostly_words_no_article_holds(question):
    reply = answer(question, index=LOSS_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert reply.kind == ReplyKind.GAP
    assert reply.confidence < 0.6


def test_its_confidence_is_lower_when_another_article_is_nearly_as_good():
    sure = answer("借记卡挂失", index=LOSS_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    unsure = answer("挂失", index=LOSS_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert sure.kind == ReplyKind.ANSWER
    assert unsure.confidence < sure.confidence


def test_a_one_topic_question_asks_which_one_sooner_than_a_sentence():
    top = SimpleNamespace(score=10.0, text_score=4.0, coverage=1.0)
    runner_up = SimpleNamespace(score=4.0, text_score=2.2, coverage=1.0)  # 55 % of the best
    assert is_ambiguous(top, runner_up, one_topic=True)
    assert not is_ambiguous(top, runner_up)
    weak = SimpleNamespace(score=2.0, text_score=1.6, coverage=1.0)  # 40 %: the best answers it
    assert not is_ambiguous(top, weak, one_topic=True)


@pytest.mark.parametrize("question", [
    # the commonest scams as the police list them, told by a victim (none in the rules' words)
    "抖音上认识的老师带我炒股，转进去十万现在提现不了",
    "投资群的导师让我充值，现在平台打不开了",
    "网友推荐的平台赚了钱，客服说要再交20%的税才能提现",
    "做任务返佣金，垫付了三千块现在退不回来",
    "I put 5000 into a crypto platform a coach recommended and I can't withdraw it",
    "短信说医保卡要升级，我点开链接填了银行卡号和密码",
    "有人让我装了一个软件领退款，刚才卡里的钱没了",
    "someone had me download an app for a refund and now my account is emptied",
    "一个说是我儿子老师的人让我交资料费，我已经转了",
    "说是医保局工作人员，让我转到指定账户，我转了两万",
])
def test_the_commonest_scams_told_by_a_victim_are_urgent(question):
    assert handoff_reason(question) == HandoffReason.FRAUD


@pytest.mark.parametrize("question", [
    "在你们银行买的理财赎回了多久到账", "网上投资平台可靠吗", "下载手机银行APP要收费吗",
    "怎么识别虚假投资理财诈骗", "手机银行登不上了怎么办", "刷单返利是诈骗吗",
    "定期存款提前支取按活期还是定期计息", "手续费是按笔收还是按金额收",
])
def test_questions_near_the_scam_stories_are_not_emergencies(question):
    assert handoff_reason(question) != HandoffReason.FRAUD


@pytest.mark.parametrize(("question", "reason"), [
    ("存定期还是买国债好", HandoffReason.ADVICE),                 # which of two, asked of the bank
    ("现在买黄金合适还是再等等", HandoffReason.ADVICE),
    ("这款基金值不值得买", HandoffReason.ADVICE),
    ("我该办信用卡还是借记卡", HandoffReason.ADVICE),
    ("看看我信用卡里还剩多少钱", HandoffReason.OWN_ACCOUNT),      # the customer's own figures
    ("我妈上个月的退休金到账了没", HandoffReason.OWN_ACCOUNT),      # a parent's, looked after
    ("我申请的信用卡批下来没有", HandoffReason.OWN_ACCOUNT),
])
def test_choices_and_own_figures_asked_in_other_words_go_to_a_person(question, reason):
    assert handoff_reason(question) == reason


def test_factual_either_or_questions_are_still_answered():
    assert handoff_reason("定期存款提前支取按活期还是定期计息") is None
    assert handoff_reason("手续费是按笔收还是按金额收") is None


@pytest.mark.parametrize(("question", "reason"), [
    # A demand or an accusation put to the bank is a complaint, however it is worded.
    ("扣了我两次电费，你们赶紧退回来", HandoffReason.COMPLAINT),
    ("利息算错了害我多还了一千，你们得给个说法", HandoffReason.COMPLAINT),
    ("说好的利率变了，这分明是忽悠人", HandoffReason.COMPLAINT),
    ("跑了四趟了还是办不下来", HandoffReason.COMPLAINT),
    ("凭什么扣我年费", HandoffReason.COMPLAINT),
    ("You charged me twice, you have to refund me", HandoffReason.COMPLAINT),
    # Where the customer's own application stands.
    ("我提交的贷款申请审批得怎么样了", HandoffReason.OWN_ACCOUNT),
    # A stranger paid for a service no one may sell; a chat contact who was not who they said.
    ("中介说交两千能把逾期删掉，我已经付了", HandoffReason.FRAUD),
    ("同学微信找我借钱我转了，后来发现不是他本人", HandoffReason.FRAUD),
    ("The investment site says I must pay a fee before I can withdraw my profits", HandoffReason.FRAUD),
])
def test_demands_progress_and_paid_strangers_are_handed_off_in_words_not_listed(question, reason):
    assert handoff_reason(question) == reason


@pytest.mark.parametrize("question", [
    "ETC多扣的钱怎么退", "怎么给我退款", "凭什么证件可以代取存款", "征信能修复吗",
    "修复征信是诈骗吗", "申请提取公积金要审核多久", "朋友借钱不还我钱怎么办",
])
def test_questions_near_those_words_are_still_answered(question):
    assert handoff_reason(question) is None


@pytest.mark.parametrize("text", ["我要跟真人说话", "让你们工作人员来", "can I talk to someone"])
def test_asking_for_a_person_in_other_words_is_heard(text):
    from knowledge.search.assistant import wants_person

    assert wants_person(text)


def test_an_acronym_alone_is_not_an_english_question():
    from knowledge.search.assistant import is_english

    assert not is_english("ETC") and not is_english("ATM PIN")
    assert is_english("ETC card") and is_english("I lost my card")


@pytest.mark.parametrize("question", [
    "群里说我抽中了iPhone，要先付两百运费和税才发货，我付不付",          # a prize that must be paid for
    "客户说他是我们公司老板，让我买十张京东卡把卡密发给他",             # card codes sent
    "借款平台说我的账户异常，要先往指定账户打一笔验资才能下款",         # a fee before the loan
    "网友说有个彩票平台有漏洞能稳赚，让我也去充值",                     # guaranteed winnings
    "表弟QQ上说急用钱，让我转到他朋友的卡上，说在开会不方便接电话",     # money to someone else's card
    "网站让我补填信息，我把卡号和密码都在那个链接里填了",               # details typed into a link
    "My nephew texted from a new number asking me to send money, he says he can't take calls",
    "a website said my parcel was held, I entered my card number and PIN on the page",
])
def test_scams_of_each_kind_told_in_new_words_are_urgent(question):
    assert handoff_reason(question) == HandoffReason.FRAUD


@pytest.mark.parametrize("question", [
    "贷款放款前要交保证金吗", "中奖了要交个人所得税吗", "礼品卡可以转送给别人吗",
    "电话不方便接的时候怎么办理挂失", "我在国外不方便接电话，怎么挂失",
])
def test_questions_near_those_kinds_are_not_emergencies(question):
    assert handoff_reason(question) != HandoffReason.FRAUD


SCAM_INDEX = SearchIndex([
    Document(slug="flight-scam", title="警惕“航班取消改签理赔”诈骗",
             body="骗子发短信称您的航班取消，让您联系假客服办理改签理赔，再诱导您在手机上操作转账。"),
    Document(slug="flight-card", title="联名信用卡航班延误险",
             body="持卡购买机票，航班延误4小时以上可申请理赔。"),
    Document(slug="loss", title="银行卡挂失与补卡", body="口头挂失有效期5天，本人到柜面正式挂失。"),
])


@pytest.mark.parametrize("question", [
    "收到短信说我明天的航班取消了，让我联系客服办改签理赔",   # no phrasing rule names this
    "我已经按短信里的客服说的办了改签理赔，现在他让我打开手机银行",
])
def test_a_scam_the_articles_warn_of_told_as_it_happens_is_urgent(question):
    reply = answer(question, index=SCAM_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert handoff_reason(question) is None
    assert reply.kind == ReplyKind.HANDOFF and reply.urgent


@pytest.mark.parametrize("question", [
    "航班取消改签理赔是诈骗吗",                 # asked about, not happening
    "航班延误险怎么理赔",
    "我买了机票，延误了能理赔吗",               # the bank's own insurance: no scam article first
    "柜员让我先填挂失申请表，对吗",             # told to do something, no scam article
])
def test_questions_near_a_scam_article_are_not_emergencies(question):
    reply = answer(question, index=SCAM_INDEX, synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert reply.reason != HandoffReason.FRAUD
    assert reply.kind != ReplyKind.HANDOFF
