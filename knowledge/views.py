"""Knowledge pages: search, reading, history and diffs, editing, review queue, assistant."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from branches.access import role_required
from branches.models import ServiceType
from knowledge import access, searching, services
from knowledge.access import ARCHIVERS, DRAFTERS, READERS, REVIEWERS
from knowledge.api import assistant_channel
from knowledge.models import (
    Article,
    ArticleVersion,
    Category,
    ChangeNotice,
    KnowledgeGap,
    Language,
    Reader,
)
from knowledge.rendering import diff_lines, render_markdown
from knowledge.services import imports
from knowledge.uploads import keep_import_in_memory, max_bytes, read_import_upload


@role_required(*READERS)
def search(request):
    q = request.GET.get("q", "").strip()
    filters = searching.Filters(public_only=False, category=request.GET.get("category", ""),
                                service_type=request.GET.get("service_type", ""),
                                language=request.GET.get("language", ""))
    results = searching.search_articles(q, filters) if q else []
    related = []
    if results:
        best = Article.objects.get(slug=results[0].slug)
        shown = {r.slug for r in results[:3]}
        related = [a for a in searching.related_articles(best, public_only=False, limit=6)
                   if a.slug not in shown][:3]
    context = {"q": q, "results": results, "related": related, "filters": filters}
    if request.htmx:
        return render(request, "knowledge/_results.html", context)
    context.update(
        categories=Category.objects.filter(parent__isnull=True),
        service_types=ServiceType.objects.filter(is_active=True),
        languages=Language.choices,
        notices=ChangeNotice.objects.filter(user=request.user, read_at__isnull=True)
        .select_related("version__article")[:10],
        pinned=Reader.objects.filter(user=request.user, pinned=True)
        .select_related("article__live_version"),
        can_draft=access.can_draft(request.user),
    )
    return render(request, "knowledge/search.html", context)


def article(request, slug):
    """Published articles for everyone who may see them; staff also see drafts' existence."""
    item = access.article_for_user(request.user, slug)
    version = item.live_version
    staff = access.is_staff_reader(request.user)
    if version is None:
        if not staff:
            raise Http404("not published")
        return redirect("knowledge-history", slug=slug)
    services.article_record_view(user=request.user, article=item)
    context = {
        "article": item, "version": version, "html": render_markdown(version.body),
        "related": searching.related_articles(item, public_only=not staff),
        "attachments": item.attachments.all(), "staff": staff,
        "pinned": staff and Reader.objects.filter(user=request.user, article=item, pinned=True).exists(),
        "pending": item.versions.filter(status__in=ArticleVersion.OPEN).first() if staff else None,
        "can_draft": access.can_draft(request.user), "can_archive": access.can_archive(request.user),
    }
    return render(request, "knowledge/article.html", context)


@role_required(*READERS)
def history(request, slug):
    item = access.article_for_user(request.user, slug)
    versions = list(item.versions.select_related("author", "reviewer"))
    numbers = [v.number for v in versions]
    new = _int(request.GET.get("new"), numbers[0] if numbers else 0)
    old = _int(request.GET.get("from"), numbers[1] if len(numbers) > 1 else new)
    by_number = {v.number: v for v in versions}
    diff = None
    if old in by_number and new in by_number and old != new:
        diff = diff_lines(by_number[old].body, by_number[new].body)
        title_changed = by_number[old].title != by_number[new].title
    else:
        title_changed = False
    return render(request, "knowledge/history.html", {
        "article": item, "versions": versions, "diff": diff, "old": by_number.get(old),
        "new": by_number.get(new), "title_changed": title_changed,
        "can_draft": access.can_draft(request.user)})


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class ArticleForm(forms.Form):
    slug = forms.SlugField(label=_("Slug (address)"), max_length=100)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.all())
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    audience = forms.ChoiceField(label=_("Audience"), choices=Article.Audience.choices)
    service_types = forms.ModelMultipleChoiceField(
        label=_("Related services"), queryset=ServiceType.objects.filter(is_active=True), required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Body (Markdown)"), widget=forms.Textarea(attrs={"rows": 18}))
    card = forms.CharField(label=_("Knowledge card (for tellers, at most 300 characters)"),
                           max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    tags = forms.CharField(label=_("Tags (comma-separated)"), required=False, max_length=400)
    change_note = forms.CharField(label=_("What changed"), max_length=200, required=False)
    attachment = forms.FileField(label=_("Attach a file"), required=False)

    def content(self) -> services.Content:
        d = self.cleaned_data
        tags = tuple(t.strip() for t in d["tags"].replace("，", ",").split(",") if t.strip())
        return services.Content(title=d["title"], body=d["body"], card=d["card"], tags=tags,
                                change_note=d["change_note"])


@role_required(*DRAFTERS)
def edit(request, slug=None):
    item = access.article_for_user(request.user, slug, write=True) if slug else None
    form = ArticleForm(request.POST or None, request.FILES or None, initial=_initial(item))
    if item is not None:
        form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # a refused attachment leaves no half-saved version
                version = _save(request, form, item)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if "submit" in request.POST:
                services.version_submit(actor=request.user, version=version)
                messages.success(request, _("Sent to compliance review."))
            else:
                messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect("knowledge-history", slug=version.article.slug)
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/edit.html", {"form": form, "article": item}, status=status)


def _initial(item: Article | None) -> dict:
    if item is None:
        return {"language": Language.ZH_HANS, "audience": Article.Audience.PUBLIC}
    latest = item.versions.order_by("-number").first()
    return {"slug": item.slug, "category": item.category_id, "language": item.language,
            "audience": item.audience, "service_types": list(item.service_types.all()),
            "title": latest.title, "body": latest.body, "card": latest.card,
            "tags": ", ".join(latest.tags)}


def _save(request, form: ArticleForm, item: Article | None) -> ArticleVersion:
    d = form.cleaned_data
    if item is None:
        version = services.article_create(actor=request.user, slug=d["slug"], category=d["category"],
                                          content=form.content(), language=d["language"],
                                          audience=d["audience"], service_types=d["service_types"])
        item = version.article
    else:
        version = services.article_save_draft(actor=request.user, article=item, content=form.content())
        services.article_update_links(actor=request.user, article=item, category=d["category"],
                                      audience=d["audience"], service_types=d["service_types"])
    if d.get("attachment"):
        services.article_attach(actor=request.user, article=item, upload=d["attachment"])
    return version


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.jsonl, .json, .md or .zip)"))
    sha256 = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)


@csrf_exempt
def import_articles(request):
    # The upload limit must be in place before the CSRF check reads the body: exempt + protect.
    keep_import_in_memory(request)
    return _import_articles(request)


@csrf_protect
@role_required(*DRAFTERS)
def _import_articles(request):
    """Preview an import file (counts and every line error), then import it for review."""
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "line_errors": [], "preview": None, "summary": None,
               "limits": {"mb": max_bytes() / 1024 / 1024, "articles": imports.MAX_ARTICLES}}
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            status = _preview_or_import(request, form, context)
        except imports.ImportRefused as error:
            context["line_errors"] = error.line_errors[:imports.ERRORS_SHOWN]
            _add_errors(form, error)
        except ValidationError as error:
            _add_errors(form, error)
    if status == 201 and not request.htmx:
        messages.success(request, context["summary_text"])
        return redirect("knowledge-import")
    template = "knowledge/_import_result.html" if request.htmx else "knowledge/import.html"
    return render(request, template, context, status=status)


def _preview_or_import(request, form: ImportForm, context: dict) -> int:
    file = read_import_upload(form.cleaned_data["file"])
    if request.POST.get("action") != "import":
        preview = imports.import_preview(name=file.name, sha256=file.sha256, parts=file.parts)
        context.update(preview=preview, line_errors=preview.errors[:imports.ERRORS_SHOWN])
        if preview.errors:
            form.add_error("file", imports.refusal_message(preview.errors))
            return 400
        return 200
    if form.cleaned_data["sha256"] not in ("", file.sha256):
        raise ValidationError({"file": _("The file changed since its preview; preview it again.")})
    summary = services.articles_import_upload(actor=request.user, name=file.name,
                                              sha256=file.sha256, parts=file.parts)
    context.update(summary=summary, summary_text=_import_summary(summary))
    return 201 if summary["created"] or summary["updated"] else 200


def _import_summary(summary: dict) -> str:
    if not (summary["created"] or summary["updated"]):
        return _("Nothing to import: every article already says this.")
    return _("Sent to compliance review: %(created)s new, %(updated)s changed, %(unchanged)s "
             "unchanged.") % summary


@require_POST
@role_required(*DRAFTERS)
def submit(request, version_id):
    version = get_object_or_404(ArticleVersion.objects.select_related("article"), pk=version_id)
    try:
        services.version_submit(actor=request.user, version=version)
        messages.success(request, _("Sent to compliance review."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("knowledge-history", slug=version.article.slug)


@role_required(*REVIEWERS)
def review_queue(request):
    waiting = (ArticleVersion.objects.filter(status=ArticleVersion.Status.SUBMITTED)
               .select_related("article", "author").order_by("review_due_at"))
    scheduled = (ArticleVersion.objects.filter(status=ArticleVersion.Status.APPROVED)
                 .select_related("article").order_by("publish_at"))
    periodic = (Article.objects.published().filter(review_by__isnull=False)
                .select_related("live_version").order_by("review_by")[:20])
    return render(request, "knowledge/review.html",
                  {"waiting": waiting, "scheduled": scheduled, "periodic": periodic,
                   "today": timezone.localdate()})


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    publish_at = forms.DateTimeField(label=_("Publish at (empty: now)"), required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))


@require_POST
@role_required(*REVIEWERS)
def decide(request, version_id):
    version = access.version_for_reviewer(request.user, version_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("knowledge-review")
    d = form.cleaned_data
    try:
        if d["decision"] == "approve":
            services.version_approve(actor=request.user, version=version, comment=d["comment"],
                                     publish_at=d["publish_at"])
            messages.success(request, _("Approved."))
        else:
            services.version_reject(actor=request.user, version=version, comment=d["comment"])
            messages.success(request, _("Sent back to the author."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("knowledge-review")


@require_POST
@role_required(*READERS)
def pin(request, slug):
    item = access.article_for_user(request.user, slug)
    services.article_pin(actor=request.user, article=item, pinned=request.POST.get("pinned") == "1")
    return redirect("knowledge-article", slug=slug)


@require_POST
@role_required(*ARCHIVERS)
def archive(request, slug):
    item = access.article_for_user(request.user, slug)
    services.article_archive(actor=request.user, article=item)
    messages.success(request, _("Archived."))
    return redirect("knowledge-search")


@require_POST
@role_required(*REVIEWERS)
def confirm_review(request, slug):
    """From the review page: the periodic review found the article still right."""
    item = access.article_for_user(request.user, slug)
    try:
        item = services.article_confirm_current(actor=request.user, article=item)
        messages.success(request, _("Confirmed. Next periodic review by %(date)s.")
                         % {"date": item.review_by.isoformat()})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("knowledge-review")


@require_POST
@role_required(*READERS)
def notices_read(request):
    services.notices_mark_read(actor=request.user)
    return redirect("knowledge-search")


@role_required(*(DRAFTERS | REVIEWERS))
def gaps(request):
    open_gaps = KnowledgeGap.objects.filter(status=KnowledgeGap.Status.OPEN)[:100]
    return render(request, "knowledge/gaps.html", {"gaps": open_gaps})


def assistant(request):
    """The FAQ assistant for customers (web, kiosk) and staff."""
    reply = None
    question = request.POST.get("question", "").strip()
    if request.method == "POST":
        try:
            reply = services.assistant_ask(
                question=question or request.POST.get("choice_title", ""),
                channel=assistant_channel(request.user, request.device),
                user=request.user, device=request.device,
                conversation=request.POST.get("conversation", ""), choice=request.POST.get("choice", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    context = {"reply": reply, "question": question}
    if request.htmx:
        return render(request, "knowledge/_assistant_reply.html", context)
    return render(request, "knowledge/assistant.html", context)

