"""Knowledge API: one APIView per operation, each calling the same service as the pages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from branches.access import HasRole, IsDevice
from branches.models import ServiceType
from branches.people import person_name
from core.api_errors import ApiErrorOutput, Invalid
from core.pagination import ApiPagination, paginated
from knowledge import access, searching, services
from knowledge.access import DRAFTERS, READERS, REVIEWERS
from knowledge.models import Article, ArticleVersion, AssistantExchange, Category, Language
from knowledge.rendering import diff_lines, render_markdown
from knowledge.services import imports
from knowledge.uploads import keep_import_in_memory, read_import_upload

# --- search -----------------------------------------------------------------------------------

class SearchHitOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    snippet = serializers.CharField(help_text="HTML-escaped excerpt; matches are wrapped in <mark>.")
    score = serializers.FloatField()


class RelatedOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField(source="live_version.title")


class SearchOutput(serializers.Serializer):
    query = serializers.CharField()
    results = SearchHitOutput(many=True)
    related = RelatedOutput(many=True, help_text="Related knowledge for the best hit.")


class SearchApi(APIView):
    """Search published articles (customers and kiosks see public articles only)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    class Input(serializers.Serializer):
        q = serializers.CharField(max_length=200, trim_whitespace=True)
        category = serializers.SlugField(required=False, allow_unicode=True)
        service_type = serializers.CharField(required=False, max_length=30)
        language = serializers.ChoiceField(choices=Language.choices, required=False)
        limit = serializers.IntegerField(required=False, min_value=1, max_value=50, default=10)

    @extend_schema(parameters=[Input], responses=SearchOutput)
    def get(self, request):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        public_only = not access.is_staff_reader(request.user)
        filters = searching.Filters(public_only=public_only, category=data.validated_data.get("category", ""),
                                    service_type=data.validated_data.get("service_type", ""),
                                    language=data.validated_data.get("language", ""))
        hits = searching.search_articles(data.validated_data["q"], filters,
                                         limit=data.validated_data["limit"])
        related = []
        if hits:
            best = Article.objects.get(slug=hits[0].slug)
            shown = {h.slug for h in hits[:3]}
            related = [a for a in searching.related_articles(best, public_only=public_only, limit=6)
                       if a.slug not in shown][:3]
        return Response(SearchOutput({"query": data.validated_data["q"], "results": hits,
                                      "related": related}).data)


# --- reading ----------------------------------------------------------------------------------

class ArticleOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField(source="live_version.title")
    html = serializers.SerializerMethodField()
    card = serializers.CharField(source="live_version.card")
    version = serializers.IntegerField(source="live_version.number")
    published_at = serializers.DateTimeField(source="live_version.published_at")
    category = serializers.CharField(source="category.path")
    language = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField(), source="live_version.tags")
    related = serializers.SerializerMethodField()

    def get_html(self, article) -> str:
        return str(render_markdown(article.live_version.body))

    def get_related(self, article) -> list[dict]:
        return [{"slug": a.slug, "title": a.live_version.title}
                for a in searching.related_articles(article, public_only=self.context["public_only"])]


class ArticleDetailApi(APIView):
    """The live version of a published article, rendered to sanitised HTML."""

    permission_classes = [AllowAny]

    @extend_schema(responses=ArticleOutput)
    def get(self, request, slug):
        article = access.article_for_user(request.user, slug)
        if article.live_version is None:
            raise ValidationError({"slug": _("This article has not been published yet.")})
        services.article_record_view(user=request.user, article=article)
        public_only = not access.is_staff_reader(request.user)
        return Response(ArticleOutput(article, context={"public_only": public_only}).data)


class VersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.CharField(source="article.slug")
    number = serializers.IntegerField()
    status = serializers.CharField()
    title = serializers.CharField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    review_due_at = serializers.DateTimeField(allow_null=True)
    review_comment = serializers.CharField()
    publish_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    change_note = serializers.CharField()

    def get_author(self, version) -> str:
        return person_name(version.author)


class VersionListApi(APIView):
    """Every version of an article, newest first (staff)."""

    pagination_class = ApiPagination
    permission_classes = [HasRole(*READERS)]

    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request, slug):
        article = access.article_for_user(request.user, slug)
        versions = article.versions.select_related("article", "author")
        return paginated(self, request, versions, VersionOutput, default_limit=500)


class DiffLineOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["same", "added", "removed", "skip"])
    text = serializers.CharField()


class VersionDiffApi(APIView):
    """Line diff of the body between two versions of an article (staff)."""

    pagination_class = ApiPagination
    permission_classes = [HasRole(*READERS)]

    class Input(serializers.Serializer):
        old = serializers.IntegerField(min_value=1, source="from", help_text="version number")
        new = serializers.IntegerField(min_value=1, help_text="version number")

    @extend_schema(parameters=[Input], responses=DiffLineOutput(many=True))
    def get(self, request, slug):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        article = access.article_for_user(request.user, slug)
        old = get_object_or_404(article.versions, number=data.validated_data["from"])
        new = get_object_or_404(article.versions, number=data.validated_data["new"])
        return paginated(self, request, list(diff_lines(old.body, new.body)), DiffLineOutput,
                         default_limit=2000, max_limit=5000)


# --- drafting and review -----------------------------------------------------------------------

class ContentInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    card = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    change_note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def content(self) -> services.Content:
        d = self.validated_data
        return services.Content(title=d["title"], body=d["body"], card=d["card"], tags=tuple(d["tags"]),
                                change_note=d["change_note"])


class ArticleCreateApi(APIView):
    """Start a new article (department staff, department heads, branch admins)."""

    permission_classes = [HasRole(*DRAFTERS)]

    class Input(ContentInput):
        slug = serializers.SlugField(max_length=100)
        category = serializers.SlugRelatedField(slug_field="slug", queryset=Category.objects.all())
        language = serializers.ChoiceField(choices=Language.choices, default=Language.ZH_HANS)
        audience = serializers.ChoiceField(choices=Article.Audience.choices, default=Article.Audience.PUBLIC)
        service_types = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                                     queryset=ServiceType.objects.all(), default=list)

    @extend_schema(request=Input, responses={201: VersionOutput})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        version = services.article_create(actor=request.user, slug=d["slug"],
                        category=d["category"], content=data.content(), language=d["language"],
                        audience=d["audience"], service_types=d["service_types"])
        return Response(VersionOutput(version).data, status=201)


class DraftSaveApi(APIView):
    """Save a new version of an article; the live version stays until this one is approved."""

    permission_classes = [HasRole(*DRAFTERS)]

    @extend_schema(request=ContentInput, responses={201: VersionOutput})
    def post(self, request, slug):
        article = access.article_for_user(request.user, slug, write=True)
        data = ContentInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.article_save_draft(actor=request.user, article=article,
                        content=data.content())
        return Response(VersionOutput(version).data, status=201)


class VersionSubmitApi(APIView):
    """Send a draft to the compliance review queue (starts the 24-hour clock)."""

    permission_classes = [HasRole(*DRAFTERS)]

    @extend_schema(request=None, responses=VersionOutput)
    def post(self, request, version_id):
        version = get_object_or_404(ArticleVersion.objects.select_related("article"), pk=version_id)
        version = services.version_submit(actor=request.user, version=version)
        return Response(VersionOutput(version).data)


class VersionApproveApi(APIView):
    """Approve a version: publish now, or at `publish_at` (compliance officers; never the author)."""

    permission_classes = [HasRole(*REVIEWERS)]

    class Input(serializers.Serializer):
        comment = serializers.CharField(required=False, allow_blank=True, default="")
        publish_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    @extend_schema(request=Input, responses=VersionOutput)
    def post(self, request, version_id):
        version = access.version_for_reviewer(request.user, version_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_approve(actor=request.user, version=version,
                        **data.validated_data)
        return Response(VersionOutput(version).data)


class VersionRejectApi(APIView):
    """Send a version back to its author with comments (compliance officers)."""

    permission_classes = [HasRole(*REVIEWERS)]

    class Input(serializers.Serializer):
        comment = serializers.CharField()

    @extend_schema(request=Input, responses=VersionOutput)
    def post(self, request, version_id):
        version = access.version_for_reviewer(request.user, version_id)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_reject(actor=request.user, version=version,
                        comment=data.validated_data["comment"])
        return Response(VersionOutput(version).data)


class ImportLineErrorOutput(serializers.Serializer):
    source = serializers.CharField(help_text="the file in the zip; empty for a single file")
    line = serializers.IntegerField()
    message = serializers.CharField()


class ImportRefusedOutput(ApiErrorOutput):
    lines = ImportLineErrorOutput(many=True, required=False,
                                  help_text=f"every bad line (at most {imports.ERRORS_SHOWN})")


class ArticleImportApi(APIView):
    """Import articles from a file as kb_export writes it (JSON Lines or a JSON array, .jsonl /
    .json, or a .zip of them), all or nothing. New and changed articles wait for compliance review;
    identical ones are left alone. `dry_run` only says what would happen."""

    permission_classes = [HasRole(*DRAFTERS)]
    parser_classes = [MultiPartParser]

    def initialize_request(self, request, *args, **kwargs):
        keep_import_in_memory(request)  # before the body is read, by the CSRF check or the parser
        return super().initialize_request(request, *args, **kwargs)

    class Input(serializers.Serializer):
        file = serializers.FileField(help_text=".jsonl, .json or .zip")
        dry_run = serializers.BooleanField(default=False)
        sha256 = serializers.RegexField(r"^[0-9a-f]{64}$", required=False,
                                        help_text="import only if the file is the one previewed")

    class Output(serializers.Serializer):
        file = serializers.CharField()
        sha256 = serializers.CharField()
        dry_run = serializers.BooleanField()
        rows = serializers.IntegerField()
        created = serializers.IntegerField()
        updated = serializers.IntegerField()
        unchanged = serializers.IntegerField()

    @extend_schema(request={"multipart/form-data": Input},
                   responses={200: Output, 201: Output, 400: ImportRefusedOutput})
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            file = read_import_upload(d["file"])
            if d.get("sha256", file.sha256) != file.sha256:
                raise DjangoValidationError({"file": _("The file changed since its preview; preview "
                                                       "it again.")})
            if d["dry_run"]:
                return self._preview(file)
            summary = services.articles_import_upload(actor=request.user, name=file.name,
                                                      sha256=file.sha256, parts=file.parts)
        except imports.ImportRefused as error:
            _refuse(error.message_dict["file"], error.line_errors)
        changed = summary["created"] or summary["updated"]
        return Response(self.Output({"file": file.name, "sha256": file.sha256, "dry_run": False,
                                     "rows": sum(summary[k] for k in ("created", "updated", "unchanged")),
                                     **summary}).data, status=201 if changed else 200)

    def _preview(self, file):
        preview = imports.import_preview(name=file.name, sha256=file.sha256, parts=file.parts)
        if preview.errors:
            _refuse([imports.refusal_message(preview.errors)], preview.errors)
        plan = preview.plan
        return Response(self.Output({"file": file.name, "sha256": file.sha256, "dry_run": True,
                                     "rows": preview.rows, "created": len(plan.created),
                                     "updated": len(plan.updated),
                                     "unchanged": len(plan.unchanged)}).data)


def _refuse(messages: list[str], errors) -> None:
    """400 in the one error shape: the file's message, and beside it every bad line (`lines`)."""
    shown = [{"source": e.source, "line": e.line, "message": e.message}
             for e in errors[:imports.ERRORS_SHOWN]]
    raise Invalid({"file": messages}, {"lines": shown})


class ReviewQueueApi(APIView):
    """Versions awaiting review, oldest deadline first, with their 24-hour clocks."""

    pagination_class = ApiPagination
    permission_classes = [HasRole(*REVIEWERS)]

    @extend_schema(responses=VersionOutput(many=True))
    def get(self, request):
        waiting = (ArticleVersion.objects.filter(status=ArticleVersion.Status.SUBMITTED)
                   .select_related("article", "author").order_by("review_due_at", "pk"))
        return paginated(self, request, waiting, VersionOutput, default_limit=500)


class ArticleArchiveApi(APIView):
    """Retire an article: it disappears from search, cards and the assistant."""

    permission_classes = [HasRole(*access.ARCHIVERS)]

    @extend_schema(request=None, responses={204: None})
    def post(self, request, slug):
        article = access.article_for_user(request.user, slug)
        services.article_archive(actor=request.user, article=article)
        return Response(status=204)


class ArticleReviewConfirmApi(APIView):
    """The periodic review found the live content still right: the next review is a year away."""

    permission_classes = [HasRole(*access.ARCHIVERS)]

    class Output(serializers.Serializer):
        slug = serializers.CharField()
        review_by = serializers.DateField()

    @extend_schema(request=None, responses={200: Output})
    def post(self, request, slug):
        article = access.article_for_user(request.user, slug)
        article = services.article_confirm_current(actor=request.user, article=article)
        return Response(self.Output(article).data)


class ArticlePinApi(APIView):
    """Pin (or unpin) an article: pinned articles notify the reader when they change."""

    permission_classes = [HasRole(*READERS)]

    class Input(serializers.Serializer):
        pinned = serializers.BooleanField()

    @extend_schema(request=Input, responses={204: None})
    def post(self, request, slug):
        article = access.article_for_user(request.user, slug)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        services.article_pin(actor=request.user, article=article, pinned=data.validated_data["pinned"])
        return Response(status=204)


# --- knowledge cards and assistant ---------------------------------------------------------------

class CardOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField()
    version = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class CardsApi(APIView):
    """Knowledge cards for a service type (teller console: all; kiosk devices: public only)."""

    pagination_class = ApiPagination
    permission_classes = [HasRole(*READERS) | IsDevice]

    class Input(serializers.Serializer):
        service_type = serializers.CharField(max_length=30)
        language = serializers.ChoiceField(choices=Language.choices, default=Language.ZH_HANS)

    @extend_schema(parameters=[Input], responses=CardOutput(many=True))
    def get(self, request):
        data = self.Input(data=request.query_params)
        data.is_valid(raise_exception=True)
        cards = services.cards_for_service(data.validated_data["service_type"],
                                           language=data.validated_data["language"],
                                           public_only=not access.is_staff_reader(request.user))
        return paginated(self, request, cards, CardOutput, default_limit=500)


class AssistantReplyOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssistantExchange.Outcome.choices)
    message = serializers.CharField()
    conversation = serializers.CharField()
    confidence = serializers.FloatField()
    article = serializers.DictField(allow_null=True, help_text="slug, title, excerpt, url")
    options = serializers.ListField(child=serializers.DictField(), help_text="clarify: slug, title")
    handoff_reason = serializers.CharField(help_text="fraud | complaint | own_account | advice")
    urgent = serializers.BooleanField()
    steps = serializers.ListField(child=serializers.CharField())
    work_order = serializers.CharField()
    route_to_counter = serializers.BooleanField()
    handoff_offered = serializers.BooleanField(help_text="gap: a colleague is offered instead")


class AssistantApi(APIView):
    """Ask the FAQ assistant. Customers, kiosks and staff; answers cite published articles only."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    class Input(serializers.Serializer):
        question = serializers.CharField(max_length=500)
        conversation = serializers.CharField(max_length=36, required=False, allow_blank=True, default="")
        choice = serializers.SlugField(required=False, allow_blank=True, default="",
                                       help_text="the slug picked from a clarifying question")

    @extend_schema(request=Input, responses=AssistantReplyOutput)
    def post(self, request):
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        device = getattr(request, "device", None)  # set by the device session or token
        reply = services.assistant_ask(channel=assistant_channel(request.user, device),
                      user=request.user, device=device, **data.validated_data)
        return Response(AssistantReplyOutput(reply).data)


def assistant_channel(user, device) -> str:
    if device is not None:
        return AssistantExchange.Channel.KIOSK
    if access.is_staff_reader(user):
        return AssistantExchange.Channel.STAFF
    return AssistantExchange.Channel.WEB
