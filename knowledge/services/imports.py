"""kb_import / kb_export: the whole file or nothing."""

from __future__ import annotations

from django.db import transaction

from branches.models import ServiceType
from compliance.audit import audit_record
from knowledge.models import Article, ArticleVersion, Category
from knowledge.services.articles import Content, _publish
from knowledge.transfer import ImportRecord

ROOT_NAMES = {"product": ("产品", "Products"), "process": ("业务流程", "Business processes"),
              "compliance": ("合规要求", "Compliance requirements"), "faq": ("常见问题", "FAQ")}


def import_problems(records: list[ImportRecord]) -> list[str]:
    """What the database says is wrong with otherwise well-formed records."""
    known_services = set(ServiceType.objects.values_list("code", flat=True))
    slugs = {r.slug for r in records} | set(Article.objects.values_list("slug", flat=True))
    problems = []
    for r in records:
        unknown = [c for c in r.service_types if c not in known_services]
        if unknown:
            problems.append(f"line {r.line}: unknown service type(s) {', '.join(unknown)}")
        missing = [s for s in r.related if s not in slugs]
        if missing:
            problems.append(f"line {r.line}: related article(s) {', '.join(missing)} not found")
    return problems


def category_for(kind: str, section: str) -> Category:
    zh, en = ROOT_NAMES[kind]
    root, _created = Category.objects.get_or_create(
        slug=kind, defaults={"kind": kind, "name_zh_hans": zh, "name_en": en})
    if not section:
        return root
    child, _created = Category.objects.get_or_create(
        slug=f"{kind}-{section}".lower()[:80], defaults={"kind": kind, "parent": root,
                                                         "name_zh_hans": section, "name_en": section})
    return child


@transaction.atomic
def articles_import(*, actor, records: list[ImportRecord], publish: bool) -> dict:
    """Create or update every record as a new version. With `publish` (the demo seed, or an
    administrator loading content that was approved elsewhere) each version goes live at once and
    the audit trail says so; otherwise each waits in the compliance review queue."""
    created = updated = 0
    by_slug: dict[str, Article] = {}
    for r in records:
        article = Article.objects.select_for_update().filter(slug=r.slug).first()
        category = category_for(r.category, r.section)
        audience = r.audience or ("staff" if r.category == "compliance" else "public")
        if article is None:
            article = Article.objects.create(slug=r.slug, category=category, language=r.language,
                                             audience=audience, created_by=actor)
            number, created = 1, created + 1
        else:
            article.category, article.language, article.audience = category, r.language, audience
            article.save(update_fields=["category", "language", "audience"])
            article.versions.filter(status__in=ArticleVersion.OPEN).update(
                status=ArticleVersion.Status.SUPERSEDED)
            number, updated = article.versions.count() + 1, updated + 1
        article.service_types.set(ServiceType.objects.filter(code__in=r.service_types))
        content = Content(title=r.title, body=r.body, card=r.card, tags=tuple(r.tags))
        version = ArticleVersion.objects.create(
            article=article, number=number, author=actor, title=content.title.strip()[:200],
            body=content.body, card=content.card.strip(), tags=list(dict.fromkeys(r.tags)),
            change_note="kb_import")
        if publish:
            _publish(version, actor=actor)
        else:
            version.submit_for_review()
        by_slug[r.slug] = article
    for r in records:
        if r.related:
            by_slug[r.slug].related.set(Article.objects.filter(slug__in=r.related))
    summary = {"created": created, "updated": updated, "published": publish}
    audit_record(actor=actor, action="knowledge.import", after=summary,
                 summary=f"kb_import of {len(records)} articles")
    return summary


def articles_export(*, include_unpublished: bool = False) -> list[dict]:
    """Published articles' live versions in the import format (so an export re-imports)."""
    articles = Article.objects.published() if not include_unpublished else Article.objects.all()
    articles = (articles.select_related("live_version", "category", "category__parent")
                .prefetch_related("service_types", "related").order_by("slug"))
    rows = []
    for a in articles:
        version = a.live_version or a.versions.order_by("-number").first()
        if version is None:
            continue
        root = a.category.parent or a.category
        rows.append({"slug": a.slug, "title": version.title, "body": version.body,
                     "category": root.kind, "tags": list(version.tags), "language": a.language,
                     "section": a.category.name_zh_hans if a.category.parent_id else "",
                     "service_types": sorted(s.code for s in a.service_types.all()),
                     "related": sorted(r.slug for r in a.related.all()), "card": version.card,
                     "audience": a.audience})
    return rows
