"""The FAQ assistant: answers from published content only, hands off what a person must handle
and records the questions it could not answer as knowledge gaps."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compliance.audit import audit_record
from compliance.hooks import customer_id_for
from core.live import groups, push
from knowledge import access, hooks, searching
from knowledge.models import Article, AssistantExchange, KnowledgeGap
from knowledge.search import default_analyzer
from knowledge.search.assistant import (
    HandoffReason,
    Option,
    Reply,
    ReplyKind,
    choose_option,
    handoff_reason,
    takes_offer,
    wants_person,
)
from knowledge.search.assistant import answer as assistant_answer
from knowledge.services.articles import _excerpt

# --- FAQ assistant ------------------------------------------------------------------------------

FRAUD_STEPS = (
    _("Call 110 now (or the anti-fraud hotline 96110) and ask for an emergency stop payment."),
    _("Call our 24-hour hotline, or freeze your card in the mobile app or at the counter, so no "
      "more money can leave your account."),
    _("Keep the chat records, transfer receipts and the other party's account number."),
    _("The lobby manager has been alerted and is coming to help you."),
)
# The second step says what a hand-off handler already set in motion (continuity's fraud path
# raises the card freeze itself), so the customer is not sent to do it again in the app.
FRAUD_FREEZE_STEP = {
    hooks.CARD_FREEZE_SENT: _("We have already asked for your cards to be frozen and the disputed "
                              "payment held, so no more money can leave your account; you do not "
                              "need to freeze them yourself."),
    hooks.CARD_FREEZE_AFTER_IDENTITY: _("Show your ID to the lobby manager: your cards are frozen "
                                        "and the disputed payment held as soon as we know who you "
                                        "are."),
}


def fraud_steps(actions: tuple[str, ...]) -> list[str]:
    freeze = next((FRAUD_FREEZE_STEP[a] for a in actions if a in FRAUD_FREEZE_STEP), FRAUD_STEPS[1])
    return [str(s) for s in (FRAUD_STEPS[0], freeze, *FRAUD_STEPS[2:])]


@dataclass
class AssistantReply:
    kind: str
    message: str
    conversation: str
    confidence: float = 0.0
    article: dict | None = None
    options: list[dict] = field(default_factory=list)
    handoff_reason: str = ""
    urgent: bool = False
    steps: list[str] = field(default_factory=list)
    work_order: str = ""
    route_to_counter: bool = False
    handoff_offered: bool = False  # gap: the reply offers a colleague instead of an answer


_HANDOFF_MESSAGES = {
    HandoffReason.FRAUD: _("This is urgent. Please do this now:"),
    HandoffReason.COMPLAINT: _("I am sorry about this. A colleague will take this up with you in "
                               "person."),
    HandoffReason.OWN_ACCOUNT: _("Questions about your own account need a colleague who can check "
                                 "your identity. I am passing you on."),
    HandoffReason.ADVICE: _("Advice on what suits you must come from a qualified colleague after a "
                            "risk assessment. I am passing you on."),
    HandoffReason.UNANSWERED: _("A colleague will take up your question with you."),
}


@transaction.atomic
def assistant_ask(*, question: str, channel: str, user=None, device=None, branch=None,
                  conversation: str = "", choice: str = "") -> AssistantReply:
    """Answer from published content only; hand off what a person must handle; record gaps."""
    question = question.strip()[:500]
    if not question:
        raise ValidationError({"question": _("Please type a question.")})
    conversation = conversation or str(uuid.uuid4())
    public_only = channel != AssistantExchange.Channel.STAFF or not access.is_staff_reader(user)
    branch = branch or getattr(device, "branch", None)
    last = _last_exchange(conversation)
    picked = choice or _picked_from_clarification(last, question)
    if not choice and handoff_reason(question) is None and (wants_person(question) or (
            last is not None and last.outcome == AssistantExchange.Outcome.GAP and takes_offer(question))):
        reply = Reply(kind=ReplyKind.HANDOFF, reason=HandoffReason.UNANSWERED)
    elif picked:
        reply = _answer_choice(picked, public_only=public_only)
    else:
        search = searching.ArticleSearch(searching.Filters(public_only=public_only))
        reply = assistant_answer(question, index=search)
    article = (Article.objects.select_related("live_version").filter(slug=reply.slug).first()
               if reply.slug else None)
    exchange = AssistantExchange.objects.create(
        conversation=conversation, channel=channel, question=question, outcome=reply.kind,
        article=article if reply.kind == ReplyKind.ANSWER else None, confidence=reply.confidence,
        handoff_reason=reply.reason.value if reply.reason else "",
        options=[{"slug": o.slug, "title": o.title} for o in reply.options],
        user=user if getattr(user, "is_authenticated", False) else None, device=device, branch=branch)
    result = AssistantReply(kind=reply.kind.value, message="", conversation=conversation,
                            confidence=reply.confidence)
    if reply.kind == ReplyKind.ANSWER:
        # An answer names an article found just now (the published index or the chosen option),
        # and articles are never deleted, so it exists.
        assert article is not None
        version = article.live_version
        result.message = str(_("Here is what our published guidance says:"))
        result.article = {"slug": article.slug, "title": version.title,
                          "excerpt": version.card or _excerpt(version.body, 220),
                          "url": reverse("knowledge-article", args=[article.slug])}
    elif reply.kind == ReplyKind.CLARIFY:
        first, second = reply.options[0].title, reply.options[1].title
        result.message = str(_("Do you mean “%(first)s” or “%(second)s”?")
                             % {"first": first, "second": second})
        result.options = [{"slug": o.slug, "title": o.title} for o in reply.options]
    elif reply.kind == ReplyKind.GAP:
        result.message = str(_("I am not sure our published guidance answers this. A colleague "
                               "at the counter can help you — would you like one?"))
        result.handoff_offered = True
        _record_gap(question)
    else:
        # What is left is a hand-off, and every hand-off reply carries its reason.
        assert reply.reason is not None
        _hand_off(result, reply.reason, exchange=exchange, question=question, user=user,
                  device=device, branch=branch)
    audit_record(actor=user if getattr(user, "is_authenticated", False) else None, device=device,
                 branch=branch, action=f"knowledge.assistant.{reply.kind.value}", obj=exchange,
                 after={"outcome": reply.kind.value, "article": reply.slug,
                        "reason": result.handoff_reason})
    return result


def _last_exchange(conversation: str) -> AssistantExchange | None:
    if not conversation:
        return None
    return (AssistantExchange.objects.filter(conversation=conversation)
            .order_by("-created_at", "-pk").only("outcome", "options").first())


def _picked_from_clarification(last: AssistantExchange | None, text: str) -> str:
    """The slug a reply to the conversation's last clarifying question picks, or ""."""
    if last is None or last.outcome != AssistantExchange.Outcome.CLARIFY or not last.options:
        return ""
    options = [Option(o["slug"], o["title"]) for o in last.options]
    picked = choose_option(text, options, default_analyzer())
    return picked.slug if picked else ""


def _answer_choice(slug: str, *, public_only: bool):
    articles = Article.objects.visible_to_public() if public_only else Article.objects.published()
    article = articles.select_related("live_version").filter(slug=slug).first()
    if article is None:
        return Reply(kind=ReplyKind.GAP)
    return Reply(kind=ReplyKind.ANSWER, confidence=1.0, slug=article.slug,
                 title=article.live_version.title)


def _record_gap(question: str) -> None:
    key = " ".join(question.split())[:300]
    gap, created = KnowledgeGap.objects.get_or_create(question=key)
    if not created:
        gap.times_asked += 1
        gap.last_asked_at = timezone.now()
        gap.status = KnowledgeGap.Status.OPEN
        gap.save(update_fields=["times_asked", "last_asked_at", "status"])


def _hand_off(result: AssistantReply, reason: HandoffReason, *, exchange, question, user, device,
              branch) -> None:
    result.handoff_reason = reason.value
    result.urgent = reason == HandoffReason.FRAUD
    result.message = str(_HANDOFF_MESSAGES[reason])
    result.route_to_counter = device is not None
    if result.urgent:
        if branch is not None:
            push(groups.staff(branch.code), "knowledge.fraud_alert",
                 {"exchange_id": exchange.pk, "channel": exchange.channel,
                  "device": getattr(device, "name", ""), "at": exchange.created_at.isoformat()})
    history = list(AssistantExchange.objects.filter(conversation=exchange.conversation)
                   .exclude(pk=exchange.pk).order_by("created_at")
                   .values_list("question", flat=True)[:10])
    handoff = hooks.Handoff(
        reason=reason.value, urgent=result.urgent, question=question, channel=exchange.channel,
        conversation=[{"role": "customer", "text": q} for q in [*history, question]],
        tags=["assistant", reason.value], exchange_id=exchange.pk,
        branch_code=getattr(branch, "code", ""),
        customer_id=customer_id_for(user) if getattr(user, "is_authenticated", False) else None,
        user_id=getattr(user, "pk", None), device_id=getattr(device, "pk", None))
    outcome = hooks.hand_off(handoff)
    result.work_order = outcome.ref
    if result.urgent:
        result.steps = fraud_steps(outcome.actions)
    if result.work_order:
        exchange.handoff_ref = result.work_order[:60]
        exchange.save(update_fields=["handoff_ref"])
