"""Knowledge base: articles and their versions, the review workflow, what staff read and pin,
change notices, the synonym table, assistant exchanges and knowledge gaps."""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.i18n import english

REVIEW_CLOCK = dt.timedelta(hours=24)
REVIEW_WARNING = dt.timedelta(hours=4)  # warn the reviewers this long before the clock runs out
PERIODIC_REVIEW = dt.timedelta(days=365)
PERIODIC_REVIEW_NOTICE = dt.timedelta(days=30)  # remind the owners this long before the review date


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", pgettext_lazy("content language", "English")


class Category(models.Model):
    """A node of the category tree; roots are the four kinds."""

    class Kind(models.TextChoices):
        PRODUCT = "product", _("Products")
        PROCESS = "process", _("Business processes")
        COMPLIANCE = "compliance", _("Compliance requirements")
        FAQ = "faq", _("FAQ")

    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children", verbose_name=_("parent"))
    name_zh_hans = models.CharField(_("name (Chinese)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        ordering = ["kind", "sort_order", "slug"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="knowledge_category_not_own_parent"),
        ]

    def __str__(self):
        return self.path

    @property
    def name(self) -> str:
        if english() and self.name_en:
            return self.name_en
        return self.name_zh_hans

    @property
    def path(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, live_version__isnull=False)

    def visible_to_public(self):
        """What customers, kiosks and the customer assistant may see."""
        return self.published().filter(audience=Article.Audience.PUBLIC)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (never published)")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Customers and staff")
        STAFF = "staff", _("Staff only")

    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="articles",
                                 verbose_name=_("category"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices,
                                default=Language.ZH_HANS)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices,
                                default=Audience.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    live_version = models.ForeignKey("ArticleVersion", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+", verbose_name=_("live version"))
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles", verbose_name=_("tags"))
    service_types = models.ManyToManyField("branches.ServiceType", blank=True,
                                           related_name="knowledge_articles",
                                           verbose_name=_("related service types"))
    related = models.ManyToManyField("self", symmetrical=False, blank=True,
                                     related_name="related_from",
                                     verbose_name=_("related articles (curated)"))
    owner_department = models.ForeignKey("branches.Department", on_delete=models.SET_NULL,
                                         null=True, blank=True, related_name="knowledge_articles",
                                         verbose_name=_("owning department"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    review_by = models.DateField(_("periodic review due"), null=True, blank=True)
    # The review date the owners were last reminded of: a new review date reminds again.
    review_reminded_for = models.DateField(null=True, blank=True, editable=False,
                                           verbose_name=_("review reminded for"))
    # Denormalised from the live version so search needs no join; only filled on PostgreSQL.
    search_vector = SearchVectorField(null=True, blank=True, editable=False, verbose_name=_("search vector"))
    search_head = SearchVectorField(null=True, blank=True, editable=False, verbose_name=_("search head"))
    search_chars = SearchVectorField(null=True, blank=True, editable=False, verbose_name=_("search chars"))
    search_title = models.CharField(max_length=200, blank=True, editable=False,
                                    verbose_name=_("search title"))
    content_changed_at = models.DateTimeField(default=timezone.now, editable=False,
                                              verbose_name=_("content changed at"))

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(live_version__isnull=False),
                name="knowledge_published_article_has_live_version"),
        ]

    def __str__(self):
        return self.slug

    @property
    def title(self) -> str:
        version = self.live_version or self.versions.order_by("-number").first()
        return version.title if version else self.slug


class ArticleVersion(models.Model):
    """One immutable snapshot of an article's content. Every edit creates a new one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved, scheduled")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Live")
        SUPERSEDED = "superseded", _("Superseded")

    OPEN = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions",
                                verbose_name=_("article"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    card = models.CharField(_("knowledge card text"), max_length=300, blank=True,
                            help_text=_("A short text shown to tellers for the related services."))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="knowledge_versions", verbose_name=_("author"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    review_due_at = models.DateTimeField(_("review due"), null=True, blank=True)
    review_warned_at = models.DateTimeField(null=True, blank=True, editable=False,
                                            verbose_name=_("review warned at"))
    review_escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="knowledge_reviews", verbose_name=_("reviewer"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("review comments"), blank=True)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_version_number_unique"),
            # One version in the workflow at a time, so the reviewer never judges a stale copy.
            models.UniqueConstraint(fields=["article"],
                                    condition=Q(status__in=["draft", "submitted", "approved"]),
                                    name="knowledge_one_open_version"),
            models.UniqueConstraint(fields=["article"], condition=Q(status="published"),
                                    name="knowledge_one_live_version"),
            # Four eyes: whoever wrote a version may not be the one who approves it.
            models.CheckConstraint(condition=Q(reviewer__isnull=True) | Q(author__isnull=True)
                                   | ~Q(reviewer=F("author")),
                                   name="knowledge_reviewer_is_not_author"),
        ]
        indexes = [models.Index(fields=["status", "review_due_at"]),
                   models.Index(fields=["status", "publish_at"])]

    def __str__(self):
        return f"{self.article.slug} v{self.number}"

    def submit_for_review(self, *, save: bool = True) -> None:
        """Start the 24-hour review clock (callers own the transaction and the audit event;
        `save=False` for a version about to be created in bulk)."""
        now = timezone.now()
        self.status, self.submitted_at, self.review_due_at = (
            self.Status.SUBMITTED, now, now + REVIEW_CLOCK)
        if save:
            self.save(update_fields=["status", "submitted_at", "review_due_at"])

    @property
    def review_overdue(self) -> bool:
        return (self.status == self.Status.SUBMITTED and self.review_due_at is not None
                and self.review_due_at < timezone.now())

    @property
    def review_time_left(self) -> dt.timedelta | None:
        if self.status != self.Status.SUBMITTED or self.review_due_at is None:
            return None
        return self.review_due_at - timezone.now()


def attachment_path(instance, filename: str) -> str:
    return f"knowledge/{instance.article.slug}/{filename}"


class Attachment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments",
                                verbose_name=_("article"))
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(_("name"), max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+", verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["article", "name"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name


class Reader(models.Model):
    """A staff member who read or pinned an article: they get a notice when it changes."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="knowledge_reads", verbose_name=_("user"))
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="readers",
                                verbose_name=_("article"))
    last_viewed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("last viewed at"))
    pinned = models.BooleanField(_("pinned"), default=False)

    class Meta:
        verbose_name = _("notice reader")
        verbose_name_plural = _("notice readers")
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="knowledge_reader_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.article}"


class ChangeNotice(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="knowledge_notices", verbose_name=_("user"))
    version = models.ForeignKey(ArticleVersion, on_delete=models.CASCADE, related_name="notices",
                                verbose_name=_("version"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))

    class Meta:
        verbose_name = _("change notice")
        verbose_name_plural = _("change notices")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="knowledge_notice_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"


class SynonymGroup(models.Model):
    """A row of the synonym table: terms a search treats as the same, e.g. 房贷, 个人住房贷款, 按揭."""

    terms = models.CharField(_("terms"), max_length=300,
                             help_text=_("Comma-separated, e.g. 房贷, 个人住房贷款, 按揭"))
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["terms"]
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym table")

    def __str__(self):
        return self.terms

    @property
    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.replace("，", ",").split(",") if t.strip()]


class AssistantExchange(models.Model):
    """One question to the FAQ assistant and what it did with it."""

    class Channel(models.TextChoices):
        KIOSK = "kiosk", _("Kiosk")
        WEB = "web", _("Web")
        STAFF = "staff", _("Staff")

    class Outcome(models.TextChoices):
        ANSWER = "answer", _("Answered")
        CLARIFY = "clarify", _("Asked to clarify")
        HANDOFF = "handoff", _("Handed off to a person")
        GAP = "gap", _("Not answered (knowledge gap)")

    conversation = models.CharField(max_length=36, db_index=True, verbose_name=_("conversation"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    question = models.TextField(_("question"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    article = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("article"))
    confidence = models.FloatField(default=0, verbose_name=_("confidence"))
    handoff_reason = models.CharField(_("hand-off reason"), max_length=20, blank=True)
    handoff_ref = models.CharField(_("work order"), max_length=60, blank=True)
    # The articles a clarifying question offered ([{"slug", "title"}]): the customer's next
    # message in the conversation may pick one ("信用卡的").
    options = models.JSONField(_("options offered"), default=list, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="+", verbose_name=_("user"))
    device = models.ForeignKey("branches.Device", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("device"))
    branch = models.ForeignKey("branches.Branch", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("branch"))
    created_at = models.DateTimeField(default=timezone.now, db_index=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("assistant exchange")
        verbose_name_plural = _("assistant exchanges")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return (f"{self._meta.verbose_name} · {self.get_channel_display()} · {self.get_outcome_display()} · "
                f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}")


class KnowledgeGap(models.Model):
    """A question the assistant could not answer, for the content owners."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("knowledge gap status", "Open")
        RESOLVED = "resolved", _("Resolved")

    question = models.CharField(_("question"), max_length=300, unique=True)
    times_asked = models.PositiveIntegerField(_("times asked"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    first_asked_at = models.DateTimeField(default=timezone.now, verbose_name=_("first asked at"))
    last_asked_at = models.DateTimeField(default=timezone.now, verbose_name=_("last asked at"))
    resolved_by = models.ForeignKey(Article, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))

    class Meta:
        ordering = ["-times_asked", "-last_asked_at"]
        verbose_name = _("knowledge gap")
        verbose_name_plural = _("knowledge gaps")

    def __str__(self):
        return self.question


class TermStat(models.Model):
    """How many published articles hold each search term: the document frequencies the ranking
    reads. On PostgreSQL triggers on knowledge_article keep it (migration 0011), so a publish
    changes a few hundred rows and a searcher reads only the rows changed since it last looked
    (`searching._postgres_vocabulary`) instead of running ts_stat over every article. The rows
    " documents" and " english" (no term holds a space) count published and English articles."""

    term = models.TextField(_("term"), primary_key=True)
    documents = models.IntegerField(_("documents"), default=0)
    changed_at = models.DateTimeField(_("changed at"), db_index=True)

    class Meta:
        verbose_name = _("term statistic")
        verbose_name_plural = _("term statistics")

    def __str__(self) -> str:
        return f"{self.term}: {self.documents}"
