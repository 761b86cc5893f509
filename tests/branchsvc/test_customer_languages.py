"""Japanese and Korean where customers are served: the kiosk, the VTM and the customer's own pages
on the phone, crawled in both languages over the demo branch with a signed-in customer who has a
booking and a ticket; with the booking's form step, a ticket's form and signature pad, a form
pre-filled at home and an e-receipt, and what those pages answer to wrong input. An interface
string without a Japanese or Korean translation falls back to English (core.i18n); here it shows
as its English source in brackets, so every English word on these pages is a missing translation
(the bank's English content — service and branch names, form labels — is data, and shown in
English to these customers). Staff pages asked for in these languages are shown in
English, not half translated."""

import io
import json
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import trans_real

from appointments.models import Appointment
from branches.demo import DEMO_BRANCH
from branches.models import Branch, Device, FormSchema, ServicePoint, ServiceType
from core.apps_registry import PROJECT_APPS
from counter import surveys
from counter.models import Outcome, PrefilledForm, RecordStatus, ServiceRecord
from counter.services import finishing
from kiosk.views import JS_STRINGS
from queueing import payloads
from queueing.models import Ticket
from queueing.services import IssueRequest, ticket_issue
from tests.branchsvc.test_language_crawl import (
    ALLOWED_LATIN,
    LATIN,
    SKIP_PATHS,
    crawl,
    latin_words,
    read,
)
from tests.conftest import reseed_migration_data
from tests.factories import make_customer_user

LANGUAGES = ("ja", "ko")
START = [
    "/",
    "/me/login/",
    "/appointments/",
    "/appointments/book/",
    "/queue/remote/",
    "/sd/my/",
    "/sd/my/new/",
    "/fees/",
    "/fees/history/",
    "/continuity/fraud/report/",
    "/outreach/home-visits/request/",
]


@pytest.fixture
def untranslated_shown():
    """Interface strings without a catalogue entry in the page's language show as [source]; the
    fixture's value collects those sources (what a translator has to add)."""
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext
    missing: set[str] = set()

    def marked(self, message):
        text = gettext(self, message)
        if self.language() in LANGUAGES and message and self._catalog.get(message) is None:
            missing.add(message)
            return f"[{message.split(chr(4))[-1]}]"
        return text

    def marked_plural(self, singular, plural, number):
        text = ngettext(self, singular, plural, number)
        if self.language() in LANGUAGES and self._catalog.get((singular, 0)) is None:
            missing.add(singular)
            return f"[{singular if number == 1 else plural}]"
        return text

    trans_real.DjangoTranslation.gettext = marked
    trans_real.DjangoTranslation.ngettext = marked_plural
    payloads.forget_translations()  # live payloads keep translations: none from before, none after
    yield missing
    trans_real.DjangoTranslation.gettext = gettext
    trans_real.DjangoTranslation.ngettext = ngettext
    payloads.forget_translations()


def _seed(monkeypatch, tmp_path) -> dict:
    monkeypatch.setattr("branches.demo.DEMO_TOKENS_FILE", tmp_path / "tokens.json")
    monkeypatch.setattr("branchsvc.management.commands.seed_demo.DEMO_TOKENS_FILE", tmp_path / "tokens.json")
    reseed_migration_data()  # a transactional test before may have flushed them
    call_command("seed_demo", "--days", "0", stdout=io.StringIO())
    return json.loads((tmp_path / "tokens.json").read_text())


def _customer():
    """A demo customer who booked (signed in on their phone), and the pages of their booking and
    of a ticket (ticket pages open by their link, without signing in)."""
    appointment = Appointment.objects.filter(customer__user__isnull=False).order_by("pk").first()
    if appointment is None:
        return make_customer_user(branch=Branch.objects.order_by("pk").first()), []
    paths = [f"/appointments/{appointment.code}/"]
    ticket = Ticket.objects.order_by("pk").first()
    if ticket is None:  # the demo seeded without days has none: take one, as the customer would
        ticket = ticket_issue(
            issue=IssueRequest(
                branch=appointment.branch,
                service_type=appointment.service_type,
                source="remote",
                customer=appointment.customer,
                enforce_hours=False,
            )
        )
    paths += [f"/queue/t/{ticket.public_token}/", f"/counter/t/{ticket.public_token}/"]
    return appointment.customer.user, paths


# A booking's form step (a service with a form: amount, purpose) and the counter's pages a customer
# opens: a ticket's form and signature pad, the forms they pre-fill at home, a receipt and its survey.
BOOKED_WITH_FORM, COUNTER_FORM = "LARGE_CASH_WITHDRAWAL", "ACCOUNT_OPENING"
# What a customer types wrongly into every field (each type refuses it) and a half-filled draft.
WRONG = {
    "amount": "12.345",
    "purpose": "gift",
    "address": "x" * 301,
    "occupation": "pilot",
    "full_name": "",
    "id_number": "1234",
    "phone": "12",
    "account_number": "12ab",
}
# What the finished visit's form held (its receipt lists each field and how it was checked).
FILLED = '{"address": "北京市海淀区示例路1号", "occupation": "employee"}'

# Pages whose Latin words are accepted, by path prefix. None now: the e-receipt's own words follow
# the ticket's language, Japanese and Korean included (counter.receipts.receipt_content).
KNOWN_ON: dict[str, set[str]] = {}


def _form_words() -> set[str]:
    """The bank writes its forms' labels, help and choices in Chinese and English (content, like
    service names): a ja/ko page shows the English (docs/languages.md)."""
    texts = []
    for fields in FormSchema.objects.values_list("fields", flat=True):
        for field in fields:
            texts += [(field.get("label") or {}).get("en", ""), (field.get("help") or {}).get("en", "")]
            texts += [(choice.get("label") or {}).get("en", "") for choice in field.get("choices", [])]
    return set(LATIN.findall(" ".join(texts)))


def _form_steps(client) -> list[str]:
    """Steps 1-3 of a booking as the customer takes them (the first free time of the coming days):
    the form step; and a form the customer starts pre-filling at home."""
    path = f"/appointments/book/{DEMO_BRANCH}/{BOOKED_WITH_FORM}/"
    page = client.get(path).content.decode()
    for day in [""] + re.findall(r'href="\?day=([0-9-]+)"', page):
        slot = re.search(
            r'name="slot" value="([^"]+)"(?! disabled)',
            client.get(f"{path}?day={day}" if day else path).content.decode(),
        )
        if slot:
            answer = client.post(path, {"slot": slot.group(1), "mode": "staff"})
            assert answer.status_code == 302 and answer["Location"].endswith("/book/form/"), answer
            mine = client.post(f"/counter/forms/new/{COUNTER_FORM}/")  # pre-filled at home
            return ["/appointments/book/form/", f"/counter/forms/new/{COUNTER_FORM}/", mine["Location"]]
    raise AssertionError(f"no free time to book {BOOKED_WITH_FORM}")


def _ticket_pages(language: str) -> tuple[list[str], str]:
    """A ticket with the form started on the phone, the teller asking for a signature; a second,
    finished one with its e-receipt and the visit's survey (two customers: one ticket each at a
    branch). Pages, and the first ticket's token."""
    service = ServiceType.objects.get(code=COUNTER_FORM)
    counter = ServicePoint.objects.filter(branch__code=DEMO_BRANCH, kind="counter").first()
    teller = get_user_model().objects.get(username="teller1")
    tickets = [
        ticket_issue(
            issue=IssueRequest(
                branch=counter.branch,
                service_type=service,
                source="remote",
                customer=make_customer_user(branch=counter.branch).customer,
                language=language,
                arrival_minutes=20,
                enforce_hours=False,
            )
        )
        for _ in range(2)
    ]
    pages = []
    for ticket, done in zip(tickets, (False, True), strict=True):
        form = PrefilledForm.objects.create(
            service_type=service,
            schema=service.current_form_schema(),
            customer=ticket.customer,
            branch=counter.branch,
            ticket=ticket,
            values_json=FILLED if done else "",
        )
        record = ServiceRecord.objects.create(
            ticket=ticket,
            branch=counter.branch,
            counter=counter,
            teller=teller,
            customer=ticket.customer,
            service_type=service,
            form=form,
            signature_requested=not done,
            status=RecordStatus.FINISHED if done else RecordStatus.IN_PROGRESS,
            outcome=Outcome.DONE if done else "",
            finished_at=timezone.now() if done else None,
            form_as_verified=FILLED if done else "",
        )
        pages += [
            f"/counter/t/{ticket.public_token}/",
            f"/counter/t/{ticket.public_token}/forms/{form.public_id}/",
        ]
        if done:
            receipt = finishing._receipt_issue(record=record, now=timezone.now())
            surveys.invite(record=record, receipt=receipt)
            pages.append(f"/counter/receipts/{receipt.public_token}/")
    return pages, tickets[0].public_token


def _answers(client, language: str, token: str, allowed: set[str]) -> dict[str, set[str]]:
    """What the customer reads after sending something: the fields' errors, the draft's status,
    a refused signature."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    form = PrefilledForm.objects.filter(ticket__public_token=token).first()
    posts = [
        ("/appointments/book/form/", {}, {}),
        ("/appointments/book/form/", WRONG, {}),
        ("/appointments/book/form/", {**WRONG, "draft": "1"}, {"HTTP_HX_REQUEST": "true"}),
        (f"/counter/t/{token}/forms/{form.public_id}/", {"action": "submit"}, {}),
        (f"/counter/t/{token}/forms/{form.public_id}/", {**WRONG, "action": "submit"}, {}),
        (f"/counter/t/{token}/forms/{form.public_id}/", WRONG, {}),
        (f"/counter/t/{token}/forms/{form.public_id}/photo/", {"field": "id_photo"}, {}),
        (
            f"/counter/t/{token}/sign/",
            {"signature": "data:image/png;base64,AAAA"},
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    findings = defaultdict(set)
    for path, data, headers in posts:
        response = client.post(path, data, **headers)
        assert response.status_code < 500, path
        for word in latin_words(" ".join(read(response.content.decode(), language).parts), allowed):
            findings[word].add(f"{path} (sent)")
    return findings


def _data_words() -> set[str]:
    """Latin words the bank's and the demo's data hold, in either language's columns."""
    words = set()
    for model in apps.get_models():
        if model._meta.app_label not in {*PROJECT_APPS, "auth"}:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for row in model._default_manager.values_list(*fields)[:2000] if fields else []:
            for value in row:
                words.update(LATIN.findall(str(value or "")))
    return words


def _kiosk_texts(client, language: str) -> list[str]:
    """What the kiosk's script shows from the API: each service's route and wait, a ticket's wait,
    and the refusals (services that need a booking)."""
    assert (
        client.post(
            "/api/kiosk/session/", {"language": language}, content_type="application/json"
        ).status_code
        < 300
    )
    texts = []
    for service in client.get("/api/kiosk/services/").json()[:12]:
        answer = client.get(f"/api/kiosk/services/{service['code']}/recommendation/").json() or {}
        while answer:
            texts.append(answer.get("label") or answer.get("detail") or "")
            answer = answer.get("alternative")
        taken = client.post(
            "/api/kiosk/tickets/", {"service_type": service["code"]}, content_type="application/json"
        )
        texts.append(taken.json().get("wait_label") or taken.json().get("detail") or "")
    assert sum(bool(text) for text in texts) > 12, texts
    return texts


def _crawl(client, language: str, start: list[str], allowed: set[str]) -> tuple[dict, int]:
    """The customer pages two hops from `start`; findings: the English words shown on them."""
    return crawl(
        client,
        language,
        start=start,
        hops=2,
        follow=_customer_page,
        words=lambda path, text: latin_words(text, allowed | KNOWN_ON.get(_prefix(path), set())),
    )


def _prefix(path: str) -> str:
    return "/".join(path.split("/")[:3]) + "/"


def _customer_page(link: str) -> str | None:
    link = link.split("#")[0]
    if link.startswith("/") and settings.CUSTOMER_PAGES.match(link) and not SKIP_PATHS.search(link):
        return link
    return None


@pytest.mark.django_db
def test_customer_pages_are_complete_in_japanese_and_korean(
    client, monkeypatch, tmp_path, untranslated_shown
):
    tokens = _seed(monkeypatch, tmp_path)
    customer, own_pages = _customer()
    allowed = ALLOWED_LATIN | _data_words() | _form_words()
    everything, pages = defaultdict(set), 0
    for language in LANGUAGES:
        client.logout()
        for kind in ("kiosk", "vtm"):
            devices = Device.objects.filter(kind=kind, name__in=tokens, branch__code=DEMO_BRANCH)
            name = devices.values_list("name", flat=True).first()
            client.post("/device/login/", {"token": tokens[name]})
            found, count = _crawl(
                client, language, ["/kiosk/" if kind == "kiosk" else "/kiosk/vtm/"], allowed
            )
            pages += count
            for word, paths in found.items():
                everything[f"{language}: {word}"] |= paths
            for word in latin_words(" ".join(_kiosk_texts(client, language)), allowed):
                everything[f"{language}: {word}"].add(f"/api/kiosk/ ({kind})")
            client.post("/device/logout/")
        client.force_login(customer)
        counter_pages, token = _ticket_pages(language)
        form_pages = _form_steps(client) + counter_pages
        found, count = _crawl(client, language, START + own_pages + form_pages, allowed)
        pages += count
        for word, paths in [*found.items(), *_answers(client, language, token, allowed).items()]:
            everything[f"{language}: {word}"] |= paths
    assert pages > 2 * len(START)
    report = "\n".join(f"{word!r}: {sorted(paths)[:3]}" for word, paths in sorted(everything.items()))
    sources = "\n".join(sorted(map(repr, untranslated_shown)))
    assert not everything, f"{len(everything)} untranslated words:\n{report}\nsources:\n{sources}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_text_the_kiosk_script_shows_is_translated(language, untranslated_shown):
    """The kiosk's JavaScript texts come translated from the server (not read by the crawl)."""
    with translation.override(language):
        untranslated = {key for key, text in JS_STRINGS.items() if latin_words(str(text), ALLOWED_LATIN)}
    assert not untranslated


@pytest.mark.django_db
def test_a_staff_page_asked_for_in_japanese_is_shown_in_english(client, teller):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    client.force_login(teller)
    staff = client.get("/staff/")
    assert staff["Content-Language"] == "en"
    assert 'value="ja"' not in staff.content.decode()
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    customer = client.get("/me/login/")
    assert customer["Content-Language"] == "ja"
    assert re.search(r'<html lang="ja"', customer.content.decode())
    assert 'value="ko"' in customer.content.decode()
