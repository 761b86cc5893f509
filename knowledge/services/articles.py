"""Every write to the knowledge base, and the read API other apps call (`cards_for_service`).

Workflow of a version: draft → submitted (24 h review clock) → approved (publish now or at a
set time) or rejected → published → superseded by the next published version. The live version
stays untouched while a new one is drafted and reviewed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Branch, ServiceType
from branches.roles import Role
from compliance.audit import audit_record
from core.live import groups, push
from knowledge import access, searching
from knowledge.models import (
    PERIODIC_REVIEW,
    PERIODIC_REVIEW_NOTICE,
    REVIEW_WARNING,
    Article,
    ArticleVersion,
    Attachment,
    Category,
    ChangeNotice,
    Reader,
    SynonymGroup,
    Tag,
)
from knowledge.search.engine import plain_text
from servicedesk.uploads import read_checked

Status = ArticleVersion.Status


@dataclass(frozen=True)
class Content:
    """What a drafter edits; every save of it becomes a new version."""

    title: str
    body: str
    card: str = ""
    tags: tuple[str, ...] = ()
    change_note: str = ""


def _clean_tags(tags) -> list[str]:
    return list(dict.fromkeys(t.strip()[:40] for t in tags if t and t.strip()))


def _validate_content(content: Content) -> None:
    errors = {}
    if not content.title.strip():
        errors["title"] = _("A title is required.")
    if not content.body.strip():
        errors["body"] = _("The article needs a body.")
    if len(content.card) > 300:
        errors["card"] = _("A knowledge card holds at most 300 characters.")
    if errors:
        raise ValidationError(errors)


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _snapshot(version: ArticleVersion) -> dict:
    return {"article": version.article.slug, "version": version.number, "status": version.status,
            "title": version.title}


# --- drafting ---------------------------------------------------------------------------------

@transaction.atomic
def article_create(*, actor, slug: str, category: Category, content: Content,
                   language: str = "zh-hans", audience: str = Article.Audience.PUBLIC,
                   service_types=(), related=(), owner_department=None) -> ArticleVersion:
    _require(access.can_draft(actor))
    _validate_content(content)
    if Article.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("An article with this slug already exists.")})
    article = Article.objects.create(slug=slug, category=category, language=language,
                                     audience=audience, created_by=actor,
                                     owner_department=owner_department)
    article.service_types.set(service_types)
    article.related.set(related)
    version = ArticleVersion.objects.create(article=article, number=1, author=actor,
                                            **_version_fields(content))
    audit_record(actor=actor, action="knowledge.article.create", obj=article,
                 after=_snapshot(version))
    return version


def _version_fields(content: Content) -> dict:
    return {"title": content.title.strip()[:200], "body": content.body, "card": content.card.strip(),
            "tags": _clean_tags(content.tags), "change_note": content.change_note.strip()[:200]}


@transaction.atomic
def article_save_draft(*, actor, article: Article, content: Content) -> ArticleVersion:
    """A new version holding `content`. The live version, if any, is not touched."""
    _require(access.can_draft(actor))
    _validate_content(content)
    article = Article.objects.select_for_update().get(pk=article.pk)
    open_version = article.versions.filter(status__in=ArticleVersion.OPEN).first()
    if open_version is not None and open_version.status != Status.DRAFT:
        raise ValidationError(_("Version %(n)s is with the reviewer; wait for the decision before "
                                "editing again.") % {"n": open_version.number})
    if open_version is not None:
        open_version.status = Status.SUPERSEDED
        open_version.save(update_fields=["status"])
    number = (article.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ArticleVersion.objects.create(article=article, number=number, author=actor,
                                            **_version_fields(content))
    audit_record(actor=actor, action="knowledge.version.draft", obj=version,
                 after=_snapshot(version))
    return version


@transaction.atomic
def article_update_links(*, actor, article: Article, category: Category | None = None,
                         audience: str | None = None, service_types=None, related=None) -> Article:
    """Where the article sits and what it links to (not reviewed content, so applied at once)."""
    _require(access.can_draft(actor))
    before = {"category": article.category.slug, "audience": article.audience}
    fields = []
    if category is not None:
        article.category = category
        fields.append("category")
    if audience is not None:
        article.audience = audience
        fields.append("audience")
    if fields:
        article.content_changed_at = timezone.now()
        article.save(update_fields=[*fields, "content_changed_at"])
        searching.invalidate()
    if service_types is not None:
        article.service_types.set(service_types)
    if related is not None:
        article.related.set([a for a in related if a.pk != article.pk])
    audit_record(actor=actor, action="knowledge.article.links", obj=article, before=before,
                 after={"category": article.category.slug, "audience": article.audience})
    return article


ATTACHMENT_TYPES = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".txt")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def article_attach(*, actor, article: Article, upload) -> Attachment:
    _require(access.can_draft(actor))
    name = upload.name.rsplit("/", 1)[-1][:200]
    if not name.lower().endswith(ATTACHMENT_TYPES):
        raise ValidationError({"attachment": _("Attach a PDF, image, Word, Excel or text file.")})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError({"attachment": _("An attachment may be at most 10 MB.")})
    if not read_checked(upload):
        raise ValidationError({"attachment": _("The file's content does not match its type, or the "
                                               "picture is too large to open.")})
    attachment = Attachment.objects.create(article=article, file=upload, name=name, uploaded_by=actor)
    audit_record(actor=actor, action="knowledge.article.attach", obj=article, after={"file": name})
    return attachment


@transaction.atomic
def version_submit(*, actor, version: ArticleVersion) -> ArticleVersion:
    _require(access.can_draft(actor))
    version = ArticleVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted for review."))
    version.submit_for_review()
    audit_record(actor=actor, action="knowledge.version.submit", obj=version, after=_snapshot(version))
    for reviewer in _users_with_role(Role.COMPLIANCE_OFFICER):
        push(groups.user(reviewer.pk), "knowledge.review_requested", _review_payload(version))
    return version


# --- review -----------------------------------------------------------------------------------

@transaction.atomic
def version_approve(*, actor, version: ArticleVersion, comment: str = "",
                    publish_at: dt.datetime | None = None) -> ArticleVersion:
    """Approve and publish now, or at `publish_at` (then `version_publish_due` publishes it)."""
    _require(access.can_review(actor))
    version = ArticleVersion.objects.select_for_update().select_related("article").get(pk=version.pk)
    if version.author_id == actor.pk:
        raise PermissionDenied(_("You cannot approve a version you wrote."))
    if version.status != Status.SUBMITTED:
        raise ValidationError(_("Only a version awaiting review can be approved."))
    now = timezone.now()
    version.status, version.reviewer, version.reviewed_at = Status.APPROVED, actor, now
    version.review_comment = comment.strip()
    version.publish_at = publish_at if publish_at and publish_at > now else None
    version.save(update_fields=["status", "reviewer", "reviewed_at", "review_comment", "publish_at"])
    audit_record(actor=actor, action="knowledge.version.approve", obj=version,
                 after={**_snapshot(version), "publish_at": version.publish_at, "comment": comment})
    if version.publish_at is None:
        _publish(version, actor=actor)
    _tell_author(version)
    return version


@transaction.atomic
def version_reject(*, actor, version: ArticleVersion, comment: str) -> ArticleVersion:
    _require(access.can_review(actor))
    if not comment.strip():
        raise ValidationError({"comment": _("Tell the author what to change.")})
    version = ArticleVersion.objects.select_for_update().select_related("article").get(pk=version.pk)
    if version.author_id == actor.pk:
        raise PermissionDenied(_("You cannot review a version you wrote."))
    if version.status != Status.SUBMITTED:
        raise ValidationError(_("Only a version awaiting review can be rejected."))
    version.status, version.reviewer, version.reviewed_at = Status.REJECTED, actor, timezone.now()
    version.review_comment = comment.strip()
    version.save(update_fields=["status", "reviewer", "reviewed_at", "review_comment"])
    audit_record(actor=actor, action="knowledge.version.reject", obj=version,
                 after={**_snapshot(version), "comment": comment.strip()})
    _tell_author(version)
    return version


def _tell_author(version: ArticleVersion) -> None:
    if version.author_id:
        push(groups.user(version.author_id), "knowledge.reviewed",
             {**_review_payload(version), "status": version.status, "comment": version.review_comment})


@transaction.atomic
def version_publish_due(*, now: dt.datetime | None = None) -> int:
    """Publish approved versions whose time has come (Celery beat, every minute). Idempotent."""
    now = now or timezone.now()
    due = list(ArticleVersion.objects.select_for_update(skip_locked=True).select_related("article")
               .filter(status=Status.APPROVED, publish_at__lte=now))
    for version in due:
        _publish(version, actor=None)
    return len(due)


def _publish(version: ArticleVersion, *, actor) -> None:
    article = Article.objects.select_for_update().get(pk=version.article_id)
    previous = article.live_version
    now = timezone.now()
    if previous is not None and previous.status == Status.PUBLISHED:
        previous.status = Status.SUPERSEDED
        previous.save(update_fields=["status"])
    version.status, version.published_at = Status.PUBLISHED, now
    version.save(update_fields=["status", "published_at"])
    article.live_version, article.status = version, Article.Status.PUBLISHED
    article.published_at = article.published_at or now
    article.archived_at = None
    article.review_by = timezone.localdate(now) + PERIODIC_REVIEW
    article.content_changed_at = now
    article.save(update_fields=["live_version", "status", "published_at", "archived_at",
                                "review_by", "content_changed_at"])
    article.tags.set([Tag.objects.get_or_create(name=name)[0] for name in version.tags])
    searching.article_index_postgres(article)
    searching.invalidate()
    audit_record(actor=actor, action="knowledge.version.publish", obj=version,
                 before=_snapshot(previous) if previous else None, after=_snapshot(version))
    if previous is not None:
        _notify_readers(article, version)
    _push_cards_changed(article, version.title)


def _notify_readers(article: Article, version: ArticleVersion) -> None:
    """Staff who read or pinned the article learn that its content changed."""
    readers = list(article.readers.values_list("user_id", flat=True))
    ChangeNotice.objects.bulk_create([ChangeNotice(user_id=uid, version=version) for uid in readers],
                                     ignore_conflicts=True)
    payload = {"slug": article.slug, "title": version.title, "version": version.number,
               "url": reverse("knowledge-article", args=[article.slug]),
               "message": str(_("This content changed — check your script."))}
    for uid in readers:
        push(groups.user(uid), "knowledge.changed", payload)


def _push_cards_changed(article: Article, title: str) -> None:
    codes = list(article.service_types.values_list("code", flat=True))
    if not codes:
        return
    payload = {"slug": article.slug, "title": title, "service_types": codes}
    for code in Branch.objects.filter(is_active=True).values_list("code", flat=True):
        push(groups.staff(code), "knowledge.cards_changed", payload)


@transaction.atomic
def article_archive(*, actor, article: Article) -> Article:
    _require(access.can_archive(actor))
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Article.Status.ARCHIVED:
        return article
    before = article.status
    article.versions.filter(status__in=ArticleVersion.OPEN).update(status=Status.SUPERSEDED)
    article.status, article.archived_at = Article.Status.ARCHIVED, timezone.now()
    article.content_changed_at = article.archived_at
    article.save(update_fields=["status", "archived_at", "content_changed_at"])
    searching.invalidate()
    audit_record(actor=actor, action="knowledge.article.archive", obj=article,
                 before={"status": before}, after={"status": article.status})
    _push_cards_changed(article, article.title)
    return article


# --- review clock -----------------------------------------------------------------------------

@transaction.atomic
def review_clock_scan(*, now: dt.datetime | None = None) -> dict:
    """Warn reviewers before a 24-hour review clock runs out; escalate after (Celery beat).
    Each version is warned once and escalated once, so re-running changes nothing."""
    now = now or timezone.now()
    waiting = ArticleVersion.objects.select_for_update(skip_locked=True).select_related("article")
    warn = list(waiting.filter(status=Status.SUBMITTED, review_warned_at__isnull=True,
                               review_due_at__lte=now + REVIEW_WARNING, review_due_at__gt=now))
    escalate = list(waiting.filter(status=Status.SUBMITTED, review_escalated_at__isnull=True,
                                   review_due_at__lte=now))
    reviewers = _users_with_role(Role.COMPLIANCE_OFFICER)
    for version in warn:
        version.review_warned_at = now
        version.save(update_fields=["review_warned_at"])
        audit_record(actor=None, action="knowledge.review.warn", obj=version, after=_snapshot(version))
        for user in reviewers:
            push(groups.user(user.pk), "knowledge.review_due_soon", _review_payload(version))
        _email(reviewers, _("Knowledge review due soon: %(title)s") % {"title": version.title},
               _("The review of “%(title)s” (version %(n)s) is due at %(due)s.")
               % {"title": version.title, "n": version.number,
                  "due": timezone.localtime(version.review_due_at)})
    escalation_targets = reviewers + _users_with_role(Role.HEAD_OFFICE_ADMIN)
    for version in escalate:
        version.review_escalated_at = now
        version.save(update_fields=["review_escalated_at"])
        audit_record(actor=None, action="knowledge.review.escalate", obj=version,
                     after=_snapshot(version), summary="review clock of 24 hours breached")
        for user in escalation_targets:
            push(groups.user(user.pk), "knowledge.review_overdue", _review_payload(version))
        _email(escalation_targets, _("Knowledge review overdue: %(title)s") % {"title": version.title},
               _("The review of “%(title)s” (version %(n)s) passed its 24-hour deadline.")
               % {"title": version.title, "n": version.number})
    return {"warned": len(warn), "escalated": len(escalate)}


@transaction.atomic
def article_confirm_current(*, actor, article: Article) -> Article:
    """The periodic review found the live content still right: the next review is a period away.
    For those who may archive (compliance officers, department heads, branch admins); audited."""
    _require(access.can_archive(actor))
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError({"article": [_("Only a published article is reviewed periodically.")]})
    before = article.review_by
    article.review_by = timezone.localdate() + PERIODIC_REVIEW
    article.save(update_fields=["review_by"])
    audit_record(actor=actor, action="knowledge.article.review_confirm", obj=article,
                 before={"review_by": before.isoformat() if before else None},
                 after={"review_by": article.review_by.isoformat()})
    return article


@transaction.atomic
def periodic_review_scan(*, now: dt.datetime | None = None) -> int:
    """Remind the owning department (else the reviewers) of articles whose periodic review date
    is near or past (Celery beat). Each review date is reminded of once: re-running changes
    nothing, and a new review date (after a new version or a confirmation) reminds again."""
    now = now or timezone.now()
    horizon = timezone.localdate(now) + PERIODIC_REVIEW_NOTICE
    due = list(Article.objects.select_for_update(skip_locked=True, of=("self",)).published()
               .filter(review_by__isnull=False, review_by__lte=horizon)
               .exclude(review_reminded_for=F("review_by"))
               .select_related("live_version"))
    reviewers = _users_with_role(Role.COMPLIANCE_OFFICER) if due else []
    for article in due:
        article.review_reminded_for = article.review_by
        article.save(update_fields=["review_reminded_for"])
        audit_record(actor=None, action="knowledge.article.review_remind", obj=article,
                     after={"review_by": article.review_by.isoformat()})
        owners = _owners(article) or reviewers
        payload = {"slug": article.slug, "title": article.title, "review_by": article.review_by.isoformat()}
        for user in owners:
            push(groups.user(user.pk), "knowledge.periodic_review_due", payload)
        _email(owners, _("Periodic review due: %(title)s") % {"title": article.title},
               _("“%(title)s” is due for its periodic review by %(date)s. Publish a new version, or "
                 "confirm on the review page that it is still right.")
               % {"title": article.title, "date": article.review_by.isoformat()})
    return len(due)


def _owners(article: Article) -> list:
    if article.owner_department_id is None:
        return []
    return list(get_user_model().objects.filter(
        is_active=True, staff_profile__department=article.owner_department_id,
        staff_profile__role__in=[Role.DEPARTMENT_STAFF, Role.DEPARTMENT_HEAD]))


def _users_with_role(role: Role) -> list:
    return list(get_user_model().objects.filter(staff_profile__role=role, is_active=True))


def _review_payload(version: ArticleVersion) -> dict:
    return {"version_id": version.pk, "slug": version.article.slug, "title": version.title,
            "number": version.number,
            "review_due_at": version.review_due_at.isoformat() if version.review_due_at else None}


def _email(users, subject: str, body: str) -> None:
    from knowledge.tasks import send_staff_email

    recipients = [u.email for u in users if u.email]
    if recipients:
        transaction.on_commit(lambda: send_staff_email.delay(recipients, str(subject), str(body)))


# --- readers, pins, notices -------------------------------------------------------------------

def article_record_view(*, user, article: Article) -> None:
    """Remember that a staff member read the article (for change notices). Not audited: reading
    is not a change, and the audit trail records changes."""
    if not access.is_staff_reader(user):
        return
    Reader.objects.update_or_create(user=user, article=article,
                                    defaults={"last_viewed_at": timezone.now()})


@transaction.atomic
def article_pin(*, actor, article: Article, pinned: bool) -> Reader:
    _require(access.is_staff_reader(actor))
    reader, _created = Reader.objects.get_or_create(user=actor, article=article)
    reader.pinned = pinned
    reader.save(update_fields=["pinned"])
    audit_record(actor=actor, action="knowledge.article.pin" if pinned else "knowledge.article.unpin",
                 obj=article)
    return reader


def notices_mark_read(*, actor, notice_ids=None) -> int:
    """Not audited for the same reason as views: it changes only the reader's own inbox."""
    notices = ChangeNotice.objects.filter(user=actor, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())


# --- synonyms ---------------------------------------------------------------------------------

@transaction.atomic
def synonym_group_save(*, actor, group: SynonymGroup) -> SynonymGroup:
    """Called by the admin. The search picks the change up on its next query."""
    group.terms = ", ".join(dict.fromkeys(group.term_list))
    if len(group.term_list) < 2:
        raise ValidationError({"terms": _("A synonym group needs at least two terms.")})
    created = group.pk is None
    group.save()
    # The segmenter is not taught the new words: it would cut text differently in this process
    # only (other workers, and the vectors already stored, keep the old cuts). Synonyms are found
    # in the query's text as it is, so they need no word of their own.
    searching.invalidate()
    audit_record(actor=actor, action="knowledge.synonyms.create" if created else "knowledge.synonyms.change",
                 obj=group, after={"terms": group.terms, "active": group.is_active})
    return group


@transaction.atomic
def synonym_group_delete(*, actor, group: SynonymGroup) -> None:
    audit_record(actor=actor, action="knowledge.synonyms.delete", obj=group, before={"terms": group.terms})
    group.delete()
    searching.invalidate()


# --- knowledge cards (read API for the counter console and the kiosk) -------------------------

@dataclass(frozen=True)
class Card:
    slug: str
    title: str
    text: str
    url: str
    version: int
    updated_at: dt.datetime


def cards_for_service(service_type: ServiceType | str, *, language: str = "zh-hans",
                      public_only: bool = False) -> list[Card]:
    """Knowledge cards for a service type, newest content first.

    The counter console calls this when a ticket of that service is called (and re-reads it on a
    `knowledge.cards_changed` event on the branch staff group); the kiosk calls it with
    `public_only=True` when the customer picks the service.
    """
    code = service_type if isinstance(service_type, str) else service_type.code
    articles = Article.objects.visible_to_public() if public_only else Article.objects.published()
    articles = (articles.filter(service_types__code=code).select_related("live_version")
                .order_by("-live_version__published_at"))
    preferred = [a for a in articles if a.language == language] or list(articles)
    # Articles with a card written for tellers come before those shown as an excerpt.
    preferred.sort(key=lambda a: not a.live_version.card)
    return [
        Card(slug=a.slug, title=a.live_version.title,
             text=a.live_version.card or _excerpt(a.live_version.body),
             url=reverse("knowledge-article", args=[a.slug]), version=a.live_version.number,
             updated_at=a.live_version.published_at)
        for a in preferred
    ]


def _excerpt(body: str, length: int = 140) -> str:
    text = " ".join(plain_text(body).split())
    return text if len(text) <= length else text[:length].rstrip() + "…"
