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
