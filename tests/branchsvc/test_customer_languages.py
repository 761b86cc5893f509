"""Japanese and Korean where customers are served: the kiosk, the VTM and the customer's own pages
on the phone, crawled in both languages over the demo branch with a signed-in customer who has a
booking and a ticket. An interface string without a Japanese or Korean translation falls back
to English (core.i18n); here it shows as its English source in brackets, so every English word on
these pages is a missing translation (the bank's English content — service and branch names — is data, and
shown in English to these customers). Staff pages asked for in these languages are shown in
English, not half translated."""

import io
import json
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.utils import translation
from django.utils.translation import trans_real

from appointments.models import Appointment
from branches.demo import DEMO_BRANCH
from branches.models import Branch, Device
from core.apps_registry import PROJECT_APPS
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
    return crawl(client, language, start=start, hops=2, follow=_customer_page,
                 words=lambda path, text: latin_words(text, allowed))


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
    allowed = ALLOWED_LATIN | _data_words()
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
        found, count = _crawl(client, language, START + own_pages, allowed)
        pages += count
        for word, paths in found.items():
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
