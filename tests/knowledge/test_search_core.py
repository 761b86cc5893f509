"""The pure search core: segmentation, synonyms, typos and homophones, stemming, snippets."""

import pytest

from knowledge.demo_content import load_articles
from knowledge.search import Document, SearchIndex, SynonymTable
from knowledge.search.dictionary import DEFAULT_SYNONYMS

MORTGAGE = Document(slug="mortgage", title="个人住房贷款产品说明", body="首付比例、贷款期限与利率。")
CLOSING = Document(slug="closing", title="注销账户办理", body="本人携带身份证和银行卡到柜面。")
LOSS = Document(slug="loss", title="借记卡挂失与补卡", body="口头挂失有效期5天。")
PASSWORD = Document(slug="password", title="密码重置", body="本人携带身份证和银行卡。")
FX = Document(slug="fx", title="个人购汇额度", body="每人每年等值5万美元。")
EXCHANGE = Document(slug="exchange", title="Exchanging currency", body="Buy dollars within the quota.",
                    language="en")


@pytest.fixture(scope="module")
def small_index():
    return SearchIndex([MORTGAGE, CLOSING, LOSS, PASSWORD, FX, EXCHANGE])


@pytest.fixture(scope="module")
def demo_index():
    return SearchIndex(
        Document(slug=a["slug"], title=a["title"], body=a["body"], tags=a["tags"],
                 language=a["language"]) for a in load_articles()
    )


def top(index, query, synonyms=None):
    hits = index.search(query, synonyms=synonyms)
    return hits[0].slug if hits else None


def test_synonym_table_finds_mortgage_by_its_colloquial_name(small_index):
    table = SynonymTable([("房贷", "个人住房贷款", "按揭")])
    assert top(small_index, "按揭", table) == "mortgage"
    assert top(small_index, "房贷", table) == "mortgage"


def test_without_the_synonym_row_the_colloquial_name_finds_nothing(small_index):
    assert top(small_index, "按揭", SynonymTable([])) is None


def test_closing_an_account_is_found_by_either_name(small_index):
    table = SynonymTable([("销户", "注销账户")])
    assert top(small_index, "销户", table) == "closing"


def test_us_dollar_slang_finds_the_fx_quota(small_index):
    assert top(small_index, "美金额度", SynonymTable(DEFAULT_SYNONYMS)) == "fx"


@pytest.mark.parametrize(("typo", "slug"), [("挂是", "loss"), ("密吗重置", "password"),
                                            ("消户", "closing"), ("房代", "mortgage")])
def test_homophone_typos_still_find_the_article(small_index, typo, slug):
    assert top(small_index, typo, SynonymTable(DEFAULT_SYNONYMS)) == slug


def test_english_words_are_stemmed(small_index):
    assert top(small_index, "exchange currencies") == "exchange"


def test_english_misspelling_is_tolerated(small_index):
    assert top(small_index, "exchnage") == "exchange"


def test_title_match_outranks_a_mention_in_the_body():
    index = SearchIndex([
        Document(slug="mention", title="开户须知", body="开户后如需挂失请联系柜面。挂失要本人。"),
        Document(slug="title", title="挂失", body="本人携带身份证办理。"),
    ])
    assert top(index, "挂失") == "title"


def test_snippet_marks_matches_and_escapes_html():
    index = SearchIndex([Document(slug="x", title="挂失", body="<script>x</script> 口头挂失有效期5天")])
    snippet = index.search("挂失")[0].snippet
    assert "<mark>挂失</mark>" in snippet
    assert "<script>" not in snippet


@pytest.mark.parametrize(("query", "slug"), [
    ("大额存担", "large-cd-basics"),
    ("LPR最新", "lpr-quote"),
    ("双录", "dual-recording"),
    ("首套房利率多少", "first-home-rate-example"),
    ("I lost my card", "en-lost-card"),
])
def test_demo_content_answers_typical_queries(demo_index, query, slug):
    assert slug in [h.slug for h in demo_index.search(query, synonyms=SynonymTable(DEFAULT_SYNONYMS))[:3]]


DEBIT_LOSS = Document(slug="debit-loss", title="借记卡挂失：电话挂失与正式挂失", tags=["挂失", "银行卡挂失"],
                      body="发现借记卡遗失后立即拨打客服热线临时挂失，5天内到网点正式挂失。")
CREDIT_LOSS = Document(slug="credit-loss", title="信用卡丢了怎么挂失", tags=["信用卡挂失"],
                       body="信用卡遗失请致电信用卡中心冻结并挂失，新卡7个工作日寄到。")
RENTING = Document(slug="renting", title="出租、出借银行卡的法律后果", tags=["出借银行卡"],
                   body="出租出借银行卡被用于诈骗的，可能构成帮信罪。")
LIMITS = Document(slug="limits", title="手机银行转账限额", tags=["转账限额"],
                  body="新开户默认每日5万元，到网点可调高额度。")
BANKING_QUERIES_INDEX = [DEBIT_LOSS, CREDIT_LOSS, RENTING, LIMITS, FX, MORTGAGE]


@pytest.fixture(scope="module")
def card_index():
    return SearchIndex(BANKING_QUERIES_INDEX)


@pytest.mark.parametrize("query", ["银行卡丢了怎么办", "借记卡不见了", "卡找不到了怎么办"])
def test_a_lost_card_in_everyday_words_lands_on_the_loss_report(card_index, query):
    assert top(card_index, query, SynonymTable(DEFAULT_SYNONYMS)) in {"debit-loss", "credit-loss"}
    assert "renting" != top(card_index, query, SynonymTable(DEFAULT_SYNONYMS))


@pytest.mark.parametrize(("query", "slug"), [
    ("guashi", "debit-loss"),            # full pinyin
    ("yinhangka guashi", "debit-loss"),  # several words
    ("xinyongkaguashi", "credit-loss"),  # run together
    ("zhuanzhang xiane", "limits"),
])
def test_pinyin_finds_the_article_its_characters_would(card_index, query, slug):
    assert top(card_index, query, SynonymTable(DEFAULT_SYNONYMS)) == slug


def test_pinyin_initials_find_the_article(card_index):
    assert top(card_index, "zzxe") == "limits"  # 转账限额


def test_english_words_the_articles_use_are_not_read_as_pinyin():
    index = SearchIndex([EXCHANGE, FX])
    assert index.parse("exchange").terms[0].term == "exchang"
    assert all(t.source != "pinyin" for t in index.parse("exchange dollars").terms)


@pytest.mark.parametrize(("query", "slug"), [
    ("銀行卡掛失", "debit-loss"),
    ("轉帳限額", "limits"),      # 帳 as well as 賬
    ("房屋貸款", "mortgage"),
])
def test_traditional_characters_find_the_simplified_article(card_index, query, slug):
    assert top(card_index, query, SynonymTable(DEFAULT_SYNONYMS)) == slug


def test_english_finds_a_chinese_article_through_the_shipped_glossary(card_index):
    assert top(card_index, "report a lost debit card", SynonymTable(DEFAULT_SYNONYMS)) == "debit-loss"


def test_a_title_match_outweighs_the_same_word_in_a_body(card_index):
    hits = card_index.search("信用卡挂失")
    assert hits[0].slug == "credit-loss"


def test_a_bare_card_means_the_bank_card_but_not_inside_credit_card(card_index):
    table = SynonymTable(DEFAULT_SYNONYMS)

    def terms(text):
        return {t.term for t in card_index.parse(text, table).terms}

    assert {"银行卡", "借记卡"} <= terms("卡丢了")              # 卡 alone: the bank card
    assert not {"银行卡", "借记卡", "卡"} & terms("信用卡丢了")  # 卡 inside 信用卡 says nothing
    assert top(card_index, "信用卡丢了", table) == "credit-loss"


def test_a_polyphonic_character_is_found_by_the_reading_people_type():
    index = SearchIndex([PASSWORD, LOSS])
    # The converter reads 重置 "zhongzhi"; people type chongzhi.
    assert top(index, "mima chongzhi") == "password"
    assert top(index, "chongzhi mima") == "password"


def test_an_english_question_prefers_the_english_article_that_answers_it_in_its_own_words():
    english = Document(slug="en-loss", title="Lost or stolen card",
                       body="Report a lost or stolen debit card at once by phone.", language="en")
    index = SearchIndex([english, DEBIT_LOSS, CREDIT_LOSS])
    assert top(index, "stolen debit card", SynonymTable(DEFAULT_SYNONYMS)) == "en-loss"


def test_a_vocabulary_updated_after_a_publish_knows_the_new_words_and_leaves_the_old_one_alone():
    before = SearchIndex([PASSWORD, LOSS]).vocabulary
    after = before.updated({"袋鼠": 1, "挂失": 0}, documents=3, english_documents=0)
    assert after.from_pinyin("daishu")[0] == ["袋鼠"] and before.from_pinyin("daishu")[0] == []
    assert "挂失" not in after and "挂失" in before and after.documents == 3
    # The word left; its characters (still in the corpus) are what a fresh index would read.
    assert "挂失" not in after.from_pinyin("guashi")[0] and before.from_pinyin("guashi")[0] == ["挂失"]


FILLER_INDEX = SearchIndex([
    LOSS, MORTGAGE, FX,
    Document(slug="cd", title="大额存单", body="个人大额存单20万元起存，可转让。"),
    Document(slug="risk", title="风险测评", body="进取型客户可以购买高风险产品。"),
    Document(slug="agent", title="代办业务须知", body="家属代办须带双方身份证。"),
])


def _own_terms(index, text):
    return [t.term for t in index.parse(text, SynonymTable(DEFAULT_SYNONYMS)).terms
            if t.source == "query"]


def test_colloquial_filler_around_a_question_is_not_searched_for():
    own = _own_terms(FILLER_INDEX, "我的卡找不着了咋整，能不能帮我看看行吗")
    assert not {"咋整", "能不能", "行吗", "帮我"} & set(own)


def test_an_amount_in_chinese_numerals_meets_the_digits_articles_use():
    assert "20" in _own_terms(FILLER_INDEX, "二十万起存的那种存款")
    hits = FILLER_INDEX.search("二十万起存的那种存款", synonyms=SynonymTable(DEFAULT_SYNONYMS))
    assert hits[0].slug == "cd"


def test_a_common_word_is_not_read_as_a_homophone_typo_of_a_corpus_word():
    # 进去 sounds like 进取 (in the risk article) but is a word of its own; 挂是 is a typo of 挂失.
    terms = {t.term for t in FILLER_INDEX.parse("卡被机器吞进去了").terms if t.source == "correction"}
    assert "进取" not in terms
    assert "挂失" in {t.term for t in FILLER_INDEX.parse("挂是").terms if t.source == "correction"}


def test_a_word_the_segmenter_guessed_is_cut_again_into_words_the_articles_hold():
    # jieba's HMM joins 贷点款 / 办行 into words nobody uses; their characters still count, and the
    # guess itself is kept as a word no article holds (the assistant's share of the question).
    own = _own_terms(FILLER_INDEX, "开小饭馆想贷点款")
    assert {"贷点款", "贷", "款"} <= set(own)


CARD_CENTRE = SearchIndex([
    Document(slug="activate", title="收到新卡后如何开卡", tags=("开卡", "新卡"),
             body="新卡寄到后需要先开卡才能使用，可在App首页开卡。"),
    Document(slug="bill-date", title="修改信用卡账单日", tags=("账单日",),
             body="每年可申请修改一次账单日，修改后下一期生效。"),
    Document(slug="supplementary", title="为家人办理附属卡", tags=("附属卡",),
             body="附属卡与主卡共享信用额度，可为父母、配偶、子女办理。"),
    Document(slug="annual-fee", title="信用卡年费政策", tags=("年费",),
             body="每年刷卡满6次可免年费，未开卡不收年费。"),
])


@pytest.mark.parametrize(("query", "slug"), [
    ("新信用卡怎么激活", "activate"), ("一年能改几次出账日期", "bill-date"),
    ("给爸妈办张副卡", "supplementary"), ("家属卡", "supplementary"),
])
def test_the_shipped_table_knows_how_customers_name_card_centre_topics(query, slug):
    assert top(CARD_CENTRE, query, SynonymTable(DEFAULT_SYNONYMS)) == slug


def test_an_english_question_reaches_a_chinese_article_through_a_phrase_never_cut_whole():
    """经营贷 is cut 经营 / 贷 by the segmenter: the glossary's "business loan" still finds the
    Chinese-only article, above an English article sharing only the generic word "loan"."""
    business = Document(slug="business", title="个人经营贷款（个体工商户）",
                        body="经营贷资金只能用于企业经营，需要营业执照。")
    personal = Document(slug="personal", title="Personal loans", language="en",
                        body="A personal loan for consumption: eligibility, rates and repayment.")
    salary = Document(slug="salary", title="代发工资卡", body="单位代发工资的银行卡。")
    index = SearchIndex([business, personal, salary, MORTGAGE, CLOSING, LOSS, PASSWORD, FX])
    table = SynonymTable([("经营贷", "个体工商户", "business loan", "self-employed")])
    assert top(index, "business loan for self-employed", table) == "business"


@pytest.mark.parametrize("query", ["房贷这个月没扣成功", "月供扣不了咋办", "卡里钱不够会怎样",
                                   "还款日余额不够怎么办"])
def test_colloquial_failure_and_shortfall_find_the_formal_article(query):
    debit = Document(slug="debit", title="月供扣款失败怎么办",
                     body="还款日账户余额不足会导致扣款失败，请在当天存入足额资金。")
    prepay = Document(slug="prepay", title="提前还款：缩短年限还是减少月供",
                      body="提前还款后可选择缩短年限或减少月供，月供在还款日从账户划扣。")
    change = Document(slug="change", title="变更还款账户", body="月供扣款卡可以在柜面变更。")
    assert top(SearchIndex([debit, prepay, change, MORTGAGE, LOSS]), query) == "debit"


def test_formal_phrasings_follow_general_rules_not_single_questions():
    from knowledge.search.analyzer import formal_phrasings

    assert [t.term for t in formal_phrasings("转账转不出去", ["转账", "转不出去"])] == ["转账失败"]
    assert [t.term for t in formal_phrasings("没汇成功", ["没", "汇", "成功"])] == ["汇款失败"]
    assert [t.term for t in formal_phrasings("额度不够用", ["额度", "不够"])] == ["额度不足"]
    assert formal_phrasings("扣款失败怎么办", ["扣款", "失败"]) == []  # already formal
    assert formal_phrasings("还款日是哪天", ["还款日"]) == []


@pytest.mark.parametrize(("query", "slug"), [
    ("手机银行一天能转多少", "limits"),        # how much can I transfer: the transfer limit
    ("ATM每天最多能取多少钱", "atm"),
    ("我妈住院了我能替她去取钱吗", "proxy"),    # doing it for a family member: 代办
    ("想买车跟银行借点钱", "car"),             # borrowing for a purpose: that purpose's loan
    ("装修房子能不能找银行借钱", "renovation"),
])
def test_how_people_ask_lands_on_what_the_article_calls_it(query, slug):
    docs = [
        Document(slug="limits", title="手机银行转账限额",
                 body="手机银行单日转账限额默认5万元，可在柜面调整。"),
        Document(slug="atm", title="ATM取款限额", body="借记卡ATM取款限额每日2万元。"),
        Document(slug="proxy", title="哪些业务可以代办", body="家属代办需带双方身份证，取款可代办。"),
        Document(slug="car", title="汽车消费贷款（车贷）", body="车贷首付不低于20%，期限最长5年。"),
        Document(slug="renovation", title="家装分期贷款", body="装修贷最高30万元，资金支付给装修公司。"),
        Document(slug="consumer", title="个人消费贷款", body="借钱消费可申请消费贷，线上申请。"),
        Document(slug="notice", title="通知存款（1天/7天）", body="一天通知存款需提前一天通知银行取款。"),
        MORTGAGE, LOSS,
    ]
    assert top(SearchIndex(docs), query) == slug


def test_the_new_phrasings_are_general_rules():
    from knowledge.search.analyzer import formal_phrasings

    assert [t.term for t in formal_phrasings("最多能借多少", ["最多", "借"])] == ["额度"]
    assert [t.term for t in formal_phrasings("替我爸办", ["我爸", "办"])] == ["代办"]
    assert [t.term for t in formal_phrasings("买房借钱", ["买房", "借钱"])] == ["房贷"]
    assert formal_phrasings("借钱", ["借钱"]) == []  # no purpose named: the synonym table decides


def test_an_english_glossary_phrase_stands_for_the_words_it_is_made_of():
    """"supplementary card" is stemmed supplementari / card: the glossary's 附属卡 answers both
    words of the question, not only "card" (which every English card article shares)."""
    index = SearchIndex([Document(slug="supp", title="为家人办理附属卡", body="附属卡共享主卡额度。"),
                         Document(slug="en", title="Card abroad", language="en", body="card")])
    query = index.parse("supplementary card for my wife", SynonymTable([("附属卡", "supplementary card")]))
    stands = {t.term: set(t.stands_for) for t in query.terms}
    assert stands["附属卡"] == {"supplementari", "card"}


def test_another_english_phrase_of_the_group_is_matched_as_a_phrase_in_any_ending():
    """An English question expanded into the group's other English phrases looks for each phrase
    (certificates of deposit), not for its loose words ("of", "paid", "off" anywhere)."""
    cds = Document(slug="cds", title="Time deposits", language="en",
                   body="Large certificates of deposit start from CNY 200,000.")
    payoff = Document(slug="payoff", title="Paying off a loan", language="en",
                      body="Loans can be paid off early; the deposit is then released.")
    index = SearchIndex([cds, payoff])
    table = SynonymTable([("大额存单", "certificate of deposit", "large cd")])
    terms = {t.term for t in index.parse("large cd minimum", table).terms}
    assert "certificate of deposit" in terms and "of" not in terms and "certif" not in terms
    assert [h.slug for h in index.search("large cd minimum", synonyms=table)][:1] == ["cds"]


# Chinese-only rural content: no English article, no glossary term for these topics.
TRACTOR = Document(slug="machinery", title="农机具购置贷款",
                   body="购买拖拉机、收割机等农机具，可申请最高30万元贷款，按季付息。")
LIVESTOCK = Document(slug="livestock", title="活体畜禽抵押贷款",
                     body="以存栏的牛、羊、猪等牲畜作抵押，经评估后发放贷款。")
WAGES = Document(slug="wage-card", title="农民工工资卡",
                 body="用工单位按月把工资打到农民工本人的银行卡上，不发现金。")
PENSION_DAY = Document(slug="pension-day", title="养老金每月几号到账",
                       body="城乡居民养老金每月10日前发放到社保卡。")
RURAL = [TRACTOR, LIVESTOCK, WAGES, PENSION_DAY, LOSS]


@pytest.mark.parametrize(("query", "slug"), [
    ("loan to buy a tractor", "machinery"),
    ("livestock mortgage loan", "livestock"),
    ("migrant worker wages paid to my card", "wage-card"),  # 农民工: two words read together
])
def test_an_english_question_reaches_a_chinese_only_article_through_the_dictionary(query, slug):
    assert top(SearchIndex(RURAL), query, SynonymTable(DEFAULT_SYNONYMS)) == slug


def test_english_words_pinyin_cannot_spell_make_the_question_english_not_pinyin():
    index = SearchIndex(RURAL)
    table = SynonymTable(DEFAULT_SYNONYMS)
    # "my" is no pinyin: it is not read as the initials of 每月 (m-y), which put the pension
    # article first for any English question saying "my".
    terms = index.parse("migrant worker wages paid to my card", table).terms
    assert not [t for t in terms if t.source == "pinyin"]
    assert "每月" not in {t.term for t in terms}
    # Pinyin still reads as pinyin, full and by initials.
    assert top(index, "nongminggong gongzika") == "wage-card"
    assert top(index, "njj daikuan") == "machinery"


def test_a_word_the_english_articles_hold_is_not_translated():
    english = Document(slug="en-loan", title="Farm machinery loan",
                       body="Buy a tractor with a loan of up to 300,000 yuan.", language="en")
    index = SearchIndex([english, *RURAL])
    terms = index.parse("loan to buy a tractor", SynonymTable(DEFAULT_SYNONYMS)).terms
    assert "拖拉机" not in {t.term for t in terms}
    assert top(index, "loan to buy a tractor", SynonymTable(DEFAULT_SYNONYMS)) == "en-loan"


def test_pinyin_reads_the_same_after_a_word_left_the_corpus_as_on_a_fresh_index():
    from knowledge.search.analyzer import Vocabulary

    before = Vocabulary({"久悬账户": 1, "久悬": 2, "账户": 5}, documents=5, english_documents=0)
    after = before.updated({"久悬账户": -1}, documents=5, english_documents=0)
    fresh = Vocabulary({"久悬": 2, "账户": 5}, documents=5, english_documents=0)
    # The spelling of the word that left must not swallow the letters and find nothing.
    assert after.from_pinyin("jiuxuanzhanghu") == fresh.from_pinyin("jiuxuanzhanghu")
    assert set(after.from_pinyin("jiuxuanzhanghu")[0]) == {"久悬", "账户"}


def test_a_bracketed_name_and_a_whole_tag_are_found_by_their_pinyin():
    index = SearchIndex([
        Document(slug="medical", title="城乡居民医保（新农合）怎么交费", body="每年9月至12月缴费。"),
        Document(slug="qr", title="个体商户收款码申请", body="凭营业执照申请。", tags=["收款码"]),
        Document(slug="harvest", title="农户小额信用贷款", body="即“丰收贷”，最高30万元。"),
        LOSS,
    ])
    # The segmenter cuts 新农 合, 收款 码 and 丰收 贷: the names are kept whole as well.
    assert top(index, "xnh") == "medical"
    assert top(index, "xinnonghe") == "medical"
    assert top(index, "skm") == "qr"
    assert top(index, "fengshoudai") == "harvest"
