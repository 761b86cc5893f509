import pytest

from knowledge import searching
from knowledge.demo_content import ARTICLES
from knowledge.models import Category, SynonymGroup
from knowledge.search.dictionary import DEFAULT_SYNONYMS
from knowledge.services import Content, article_create, version_approve, version_submit
from knowledge.services.imports import articles_import, category_for
from knowledge.transfer import parse_import


@pytest.fixture(autouse=True)
def _fresh_search_cache():
    """Each test builds its own content; never reuse another test's in-memory index."""
    searching._cache.clear()
    yield
    searching._cache.clear()


@pytest.fixture
def live_events(monkeypatch):
    """Live events as sent after commit: [(group, event, payload)] (works on every channel layer)."""
    sent = []
    monkeypatch.setattr("core.live.send_now", lambda group, event, payload: sent.append(
        (group, event, payload)))
    return sent


@pytest.fixture
def drafter(department_staff):
    return department_staff


@pytest.fixture
def default_synonyms(db):
    """The shipped synonym table, as a fresh database has it. Data migrations seed it, but a
    transactional test earlier in the run flushes every table: without this the relevance
    measured depended on which tests ran before (issue 21: 77/80 in CI's full run, 78/80 alone)."""
    for group in DEFAULT_SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=", ".join(group))
    searching._cache.clear()


@pytest.fixture
def demo_kb(default_synonyms):
    records, errors = parse_import(ARTICLES.read_text(encoding="utf-8"))
    assert not errors
    for r in records:
        r.service_types = []  # the test catalogue has none of the demo service codes
    articles_import(actor=None, records=records, publish=True)


@pytest.fixture
def publish_article(drafter, compliance_officer):
    """publish_article(slug, title, body, **kw) -> Article, through the real workflow."""

    def make(slug, title, body, *, category="faq", card="", tags=(), service_types=(), **kw):
        cat: Category = category_for(category, "")
        version = article_create(actor=drafter, slug=slug, category=cat, service_types=service_types,
                                 content=Content(title=title, body=body, card=card, tags=tags), **kw)
        version_submit(actor=drafter, version=version)
        version_approve(actor=compliance_officer, version=version)
        version.article.refresh_from_db()
        return version.article

    return make
