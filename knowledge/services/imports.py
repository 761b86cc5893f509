"""Importing and exporting articles: `kb_import` / `kb_export` and the editors' web import.

An import is the whole file or nothing. Each article is matched on its slug: a new slug creates an
article, changed content becomes a new version (waiting for compliance review unless `publish`),
and content identical to what the article already says changes nothing, so importing the same
file twice, or re-importing an export, creates no second version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.models import ServiceType
from branches.roles import Role
from compliance.audit import audit_record
from core.live import groups, push
from knowledge import access, searching
from knowledge.models import Article, ArticleVersion, Category
from knowledge.services.articles import _publish, _require, _users_with_role
from knowledge.transfer import ImportRecord, LineError, is_markdown, parse_markdown, parse_rows

ROOT_NAMES = {"product": ("产品", "Products"), "process": ("业务流程", "Business processes"),
              "compliance": ("合规要求", "Compliance requirements"), "faq": ("常见问题", "FAQ")}
IN_REVIEW = (ArticleVersion.Status.SUBMITTED, ArticleVersion.Status.APPROVED)


def import_problems(records: list[ImportRecord], *, publish: bool = False) -> list[LineError]:
    """What the database says is wrong with otherwise well-formed records. Without `publish`, a
    change to an article whose version is with the reviewer must wait for the decision (as in the
    editor): the reviewer never judges a copy that was swapped underneath them."""
    known_services = set(ServiceType.objects.values_list("code", flat=True))
    slugs = {r.slug for r in records} | set(Article.objects.values_list("slug", flat=True))
    existing = _existing(records)
    problems = []
    for r in records:
        unknown = [c for c in r.service_types if c not in known_services]
        if unknown:
            problems.append(LineError(r.line, _("unknown service type(s) %(codes)s")
                                      % {"codes": ", ".join(unknown)}, r.source))
        missing = [s for s in r.related if s not in slugs]
        if missing:
            problems.append(LineError(r.line, _("related article(s) %(slugs)s not found")
                                      % {"slugs": ", ".join(missing)}, r.source))
        article = existing.get(r.slug)
        pending = _open_version(article) if article is not None else None
        if not publish and pending is not None and pending.status in IN_REVIEW \
                and _content_differs(pending, r):
            problems.append(LineError(r.line, _(
                "version %(number)s of %(slug)s is with the reviewer; wait for the decision "
                "before importing a change") % {"number": pending.number, "slug": r.slug}, r.source))
    return problems


def category_for(kind: str, section: str) -> Category:
    zh, en = ROOT_NAMES[kind]
    root, _created = Category.objects.get_or_create(
        slug=kind, defaults={"kind": kind, "name_zh_hans": zh, "name_en": en})
    if not section:
        return root
    child, _created = Category.objects.get_or_create(
        slug=_category_slug(kind, section), defaults={"kind": kind, "parent": root,
                                                      "name_zh_hans": section, "name_en": section})
    return child


def _category_slug(kind: str, section: str) -> str:
    return f"{kind}-{section}".lower()[:80] if section else kind


# --- what an import would change ---------------------------------------------------------------

def _existing(records: list[ImportRecord]) -> dict[str, Article]:
    articles = (Article.objects.filter(slug__in=[r.slug for r in records])
                .select_related("category", "live_version")
                .prefetch_related("service_types", "related",
                                  Prefetch("versions", to_attr="open_versions",
                                           queryset=ArticleVersion.objects.filter(
                                               status__in=ArticleVersion.OPEN))))
    return {a.slug: a for a in articles}


def _open_version(article: Article) -> ArticleVersion | None:
    found = getattr(article, "open_versions", None)
    if found is None:
        found = list(article.versions.filter(status__in=ArticleVersion.OPEN))
    return found[0] if found else None


def _audience(r: ImportRecord) -> str:
    return r.audience or ("staff" if r.category == "compliance" else "public")


def _version_fields(r: ImportRecord) -> dict:
    return {"title": r.title.strip()[:200], "body": r.body, "card": r.card.strip(),
            "tags": list(dict.fromkeys(r.tags))}


def _content_differs(version: ArticleVersion | None, r: ImportRecord) -> bool:
    if version is None:
        return True
    return any(getattr(version, name) != value for name, value in _version_fields(r).items())


def _links_differ(article: Article, r: ImportRecord) -> bool:
    related = {a.slug for a in article.related.all()}
    return (article.category.slug != _category_slug(r.category, r.section)
            or article.language != r.language or article.audience != _audience(r)
            or {s.code for s in article.service_types.all()} != set(r.service_types)
            or bool(r.related) and related != set(r.related))


def _changes(article: Article, r: ImportRecord, *, publish: bool) -> tuple[bool, bool]:
    """(content changed, links changed) of an existing article. The content is compared with
    what the article will say once its pending version is decided (or, publishing, what it says
    now)."""
    current = article.live_version if publish else (_open_version(article) or article.live_version)
    return _content_differs(current, r), _links_differ(article, r)


@dataclass
class ImportPlan:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return len(self.created) + len(self.updated)


def import_plan(records: list[ImportRecord], *, publish: bool = False) -> ImportPlan:
    """What `articles_import` would do with each record, without writing anything."""
    existing = _existing(records)
    plan = ImportPlan()
    for r in records:
        article = existing.get(r.slug)
        if article is None:
            plan.created.append(r.slug)
        elif any(_changes(article, r, publish=publish)):
            plan.updated.append(r.slug)
        else:
            plan.unchanged.append(r.slug)
    return plan


# --- writing -----------------------------------------------------------------------------------

@transaction.atomic
def articles_import(*, actor, records: list[ImportRecord], publish: bool, source: str = "",
                    sha256: str = "") -> dict:
    """Create or update every record. With `publish` (the demo seed, or an administrator loading
    content that was approved elsewhere) each new version goes live at once and the audit trail
    says so; otherwise each waits in the compliance review queue. One audit event per import that
    changed anything, with its counts (and the file's name and SHA-256 for uploads)."""
    list(Article.objects.select_for_update().filter(slug__in=[r.slug for r in records])
         .values_list("pk", flat=True))  # lock before reading what they say
    existing = _existing(records)
    new_records = [r for r in records if r.slug not in existing]
    by_slug = {**existing, **_create(new_records, actor=actor, publish=publish)}
    updated = 0
    for r in records:
        article = existing.get(r.slug)
        if article is None:
            continue
        content_changed, relink = _changes(article, r, publish=publish)
        if relink:
            _relink(article, r)
        if content_changed:
            _new_version(article, r, actor=actor, publish=publish)
        updated += content_changed or relink
    for r in records:
        if r.related:
            by_slug[r.slug].related.set(Article.objects.filter(slug__in=r.related))
    if updated:
        searching.invalidate()
    created, unchanged = len(new_records), len(records) - len(new_records) - updated
    summary = {"created": created, "updated": updated, "unchanged": unchanged, "published": publish}
    if created or updated:
        after: dict[str, object] = {**summary, "rows": len(records)}
        if sha256:
            after |= {"file": source, "sha256": sha256}
        audit_record(actor=actor, action="knowledge.import", after=after,
                     summary=f"import of {len(records)} articles ({created} created, {updated} updated)")
    return summary


def _create(records: list[ImportRecord], *, actor, publish: bool) -> dict[str, Article]:
    """New articles and their first versions, in bulk (an import may hold thousands)."""
    categories = {key: category_for(*key) for key in {(r.category, r.section) for r in records}}
    Article.objects.bulk_create([
        Article(slug=r.slug, category=categories[(r.category, r.section)], language=r.language,
                audience=_audience(r), created_by=actor) for r in records])
    by_slug = {a.slug: a for a in Article.objects.filter(slug__in=[r.slug for r in records])}
    versions = [ArticleVersion(article=by_slug[r.slug], number=1, author=actor,
                               change_note="kb_import", **_version_fields(r)) for r in records]
    for version in versions:
        if not publish:
            version.submit_for_review(save=False)
    ArticleVersion.objects.bulk_create(versions)
    for r in records:
        if r.service_types:
            by_slug[r.slug].service_types.set(ServiceType.objects.filter(code__in=r.service_types))
    if publish:
        for version in ArticleVersion.objects.filter(article__in=by_slug.values()).select_related("article"):
            _publish(version, actor=actor)
    return by_slug


def _relink(article: Article, r: ImportRecord) -> None:
    article.category, article.language, article.audience = (
        category_for(r.category, r.section), r.language, _audience(r))
    article.content_changed_at = timezone.now()
    article.save(update_fields=["category", "language", "audience", "content_changed_at"])
    article.service_types.set(ServiceType.objects.filter(code__in=r.service_types))


def _new_version(article: Article, r: ImportRecord, *, actor, publish: bool) -> None:
    article.versions.filter(status__in=ArticleVersion.OPEN).update(
        status=ArticleVersion.Status.SUPERSEDED)
    number = article.versions.count() + 1
    version = ArticleVersion.objects.create(article=article, number=number, author=actor,
                                            change_note="kb_import", **_version_fields(r))
    if publish:
        _publish(version, actor=actor)
    else:
        version.submit_for_review()


# --- the editors' web import ---------------------------------------------------------------------

MAX_ARTICLES = 2000
ERRORS_SHOWN = 200


class ImportRefused(ValidationError):
    """A file that imports nothing: a message for the file field and, when the problems are in
    its rows, every row error with its line."""

    def __init__(self, message: str, errors: Sequence[LineError] = ()):
        super().__init__({"file": [message]})
        self.line_errors = list(errors)


@dataclass
class ImportPreview:
    name: str
    sha256: str
    rows: int
    records: list[ImportRecord]
    errors: list[LineError]
    plan: ImportPlan


def import_preview(*, name: str, sha256: str, parts: list[tuple[str, str]]) -> ImportPreview:
    """Parse and check the texts of an uploaded file (one, or one per file of a zip) and say what
    importing them would do. Reads only."""
    records: list[ImportRecord] = []
    errors: list[LineError] = []
    rows = 0
    for source, text in parts:
        shown = source if len(parts) > 1 else ""
        result = (parse_markdown(text, name=source, source=shown) if is_markdown(source)
                  else parse_rows(text, source=shown))
        records += result.records
        errors += result.errors
        rows += result.rows
        if rows > MAX_ARTICLES:
            raise ImportRefused(_("The file holds more than %(max)s articles; import at most "
                                  "%(max)s at a time.") % {"max": MAX_ARTICLES})
    errors += _duplicates_across_files(records)
    if not errors:
        errors = import_problems(records)
    plan = import_plan(records) if not errors else ImportPlan()
    return ImportPreview(name=name, sha256=sha256, rows=rows, records=records, errors=errors,
                         plan=plan)


def _duplicates_across_files(records: list[ImportRecord]) -> list[LineError]:
    first: dict[str, ImportRecord] = {}
    errors = []
    for r in records:
        seen = first.setdefault(r.slug, r)
        if seen is not r:
            errors.append(LineError(r.line, _("slug %(slug)r already appears in %(source)s on line "
                                              "%(line)s") % {"slug": r.slug, "source": seen.source,
                                                             "line": seen.line}, r.source))
    return errors


def refusal_message(errors: list[LineError]) -> str:
    return ngettext("%(count)s error; nothing was imported.",
                    "%(count)s errors; nothing was imported.", len(errors)) % {"count": len(errors)}


def articles_import_upload(*, actor, name: str, sha256: str, parts: list[tuple[str, str]]) -> dict:
    """Import an uploaded file for review, all or nothing (knowledge editors). Never publishes:
    every new or changed article waits for a compliance officer, as an edit in the editor does."""
    _require(access.can_draft(actor))
    try:
        with transaction.atomic():
            preview = import_preview(name=name, sha256=sha256, parts=parts)  # again, in the transaction
            if preview.errors:
                raise ImportRefused(refusal_message(preview.errors), preview.errors)
            summary = articles_import(actor=actor, records=preview.records, publish=False,
                                      source=name, sha256=sha256)
            _tell_reviewers(summary["created"] + summary["updated"])
    except IntegrityError as error:  # a concurrent import or editor created one of the slugs
        raise ImportRefused(_("Some of these articles were created by someone else just now; "
                              "preview the file again.")) from error
    return summary


def _tell_reviewers(changed: int) -> None:
    """One notice per import, not one per article."""
    if not changed:
        return
    payload = {"count": changed, "url": reverse("knowledge-review"), "message": ngettext(
        "%(n)s imported article awaits review.", "%(n)s imported articles await review.",
        changed) % {"n": changed}}
    for reviewer in _users_with_role(Role.COMPLIANCE_OFFICER):
        push(groups.user(reviewer.pk), "knowledge.import_review_requested", payload)


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
