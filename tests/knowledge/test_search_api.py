"""Search as staff and customers type it: synonyms, typos, English, filters, related knowledge."""

import pytest

from knowledge.models import SynonymGroup
from knowledge.services import synonym_group_save

pytestmark = pytest.mark.django_db


def slugs(response):
    assert response.status_code == 200, response.content
    return [hit["slug"] for hit in response.json()["results"]]


TYPED_QUERIES = [
    ("按揭需要哪些资料", "mortgage-documents"),     # synonym of 房贷
    ("注销银行卡", "account-closing"),              # synonym of 销户
    ("换美金有额度吗", "fx-personal-annual-quota"),  # 美金 = 美元
    ("挂是", "card-loss-report"),                    # homophone typo of 挂失
    ("密吗忘了", "password-reset"),                  # homophone typo of 密码
    ("大额存担", "large-cd-basics"),                 # 存单
    ("lpr多少", "lpr-quote"),
    ("双录", "dual-recording"),
    ("forgot my PIN", "en-forgot-pin"),              # English, stemmed
    ("sending money abroad", "en-sending-money-abroad"),
]


def test_search_finds_what_staff_mean_in_the_top_three(client, demo_kb, teller):
    client.force_login(teller)
    missed = [(query, expected) for query, expected in TYPED_QUERIES
              if expected not in slugs(client.get("/api/knowledge/search", {"q": query}))[:3]]
    assert missed == []


def test_hits_carry_slug_title_highlighted_snippet_and_score(client, demo_kb):
    hit = client.get("/api/knowledge/search", {"q": "挂失"}).json()["results"][0]
    assert set(hit) == {"slug", "title", "snippet", "score"}
    assert "<mark>挂失</mark>" in hit["snippet"]
    assert hit["score"] > 0


def test_title_match_ranks_first(client, demo_kb):
    assert slugs(client.get("/api/knowledge/search", {"q": "密码重置"}))[0] == "password-reset"


def test_language_filter_keeps_english_articles_only(client, demo_kb):
    found = slugs(client.get("/api/knowledge/search", {"q": "card", "language": "en"}))
    assert found and all(slug.startswith("en-") for slug in found)


def test_category_filter(client, demo_kb, teller):
    client.force_login(teller)
    found = slugs(client.get("/api/knowledge/search", {"q": "反洗钱", "category": "compliance"}))
    assert found and "aml-large-cash" in found


def test_service_type_filter(client, publish_article):
    from tests.factories import make_service_type

    loss = make_service_type("CARD_LOSS")
    publish_article("loss", "银行卡挂失", "本人携带身份证挂失。", service_types=[loss])
    publish_article("loss-credit", "信用卡挂失", "信用卡挂失请致电。")
    found = slugs(client.get("/api/knowledge/search", {"q": "挂失", "service_type": "CARD_LOSS"}))
    assert found == ["loss"]


def test_mortgage_rate_search_suggests_related_knowledge(client, demo_kb):
    response = client.get("/api/knowledge/search", {"q": "房贷利率"}).json()
    shown = [h["slug"] for h in response["results"][:3]] + [r["slug"] for r in response["related"]]
    assert {"lpr-quote", "mortgage-rate-repricing", "personal-mortgage-loan"} <= set(shown)


def test_customers_never_see_staff_only_compliance_articles(client, demo_kb, teller):
    assert "aml-suspicious-report" not in slugs(client.get("/api/knowledge/search", {"q": "可疑交易报告"}))
    client.force_login(teller)
    assert "aml-suspicious-report" in slugs(client.get("/api/knowledge/search", {"q": "可疑交易报告"}))


def test_a_synonym_row_added_in_the_admin_changes_search_at_once(client, publish_article,
                                                                 head_office_admin):
    publish_article("e-cny", "数字人民币钱包", "数字人民币钱包开通方法。")
    assert slugs(client.get("/api/knowledge/search", {"q": "DCEP"})) == []
    synonym_group_save(actor=head_office_admin, group=SynonymGroup(terms="数字人民币, DCEP"))
    assert slugs(client.get("/api/knowledge/search", {"q": "DCEP"})) == ["e-cny"]


def test_empty_query_is_rejected_with_a_field_message(client):
    response = client.get("/api/knowledge/search", {"q": ""})
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_search_page_shows_highlighted_results(client, demo_kb, teller):
    client.force_login(teller)
    page = client.get("/knowledge/", {"q": "挂失"}).content.decode()
    assert "<mark>挂失</mark>" in page
    partial = client.get("/knowledge/", {"q": "挂失"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "card-loss-report" in partial


def test_search_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/").content.decode()
    for path in ("/api/v1/knowledge/search", "/api/v1/knowledge/assistant", "/api/v1/knowledge/cards",
                 "/api/v1/knowledge/versions/{version_id}/approve"):
        assert path in schema
