"""The teller console's offline ledger in Chromium: the server goes away while a customer is at the
counter; the console says it is offline and the teller records the service (and a walk-in's large
deposit) in the browser, even after reloading the page; the server comes back and each entry syncs
exactly once; the lobby manager decides the conflict from the dashboard."""

import pytest

from continuity.models import LedgerEntry, LedgerStatus
from counter.models import RecordStatus, ServiceRecord
from queueing import services as queueing
from queueing.models import TicketStatus
from tests.browser import DESK, DESK_HD, screenshot, signed_in_page
from tests.conftest import wait_for_js
from tests.continuity.test_offline_kiosk_browser import open_branch_clock, stoppable_server  # noqa: F401
from tests.factories import make_counter, make_customer, make_service_type

pytestmark = pytest.mark.django_db(transaction=True)

PANEL = "[data-testid=offline-ledger]"
# The console sends its first synced entry again, as after a lost reply; resolves the status.
RESEND_FIRST_ENTRY = """() => new Promise((resolve) => {
  indexedDB.open("console-ledger", 1).onsuccess = (event) => {
    event.target.result.transaction("entries").objectStore("entries").getAll().onsuccess = (e) => {
      const entry = e.target.result.filter((x) => x.state === "reconciled")[0];
      const csrf = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
      const body = {};
      ["key", "counter", "service_type", "outcome", "outcome_reason", "ticket_number", "amount", "note",
       "served_at", "recorded_at"].forEach((name) => { body[name] = entry[name]; });
      fetch("/api/v1/continuity/ledger-entries/", { method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: JSON.stringify(body) })
        .then((response) => resolve(response.status));
    };
  };
})"""


def ledger(page, **counts):
    """Wait until the console's local ledger holds this much (the panel shows it as data-*)."""
    attributes = "".join(f"[data-{name}='{value}']" for name, value in counts.items())
    return page.wait_for_selector(f"{PANEL}{attributes}", state="attached")


def test_the_console_records_services_offline_and_syncs_them_once_when_the_server_is_back(
        require_service, chromium, branch, teller, lobby_manager, settings, open_branch_clock):  # noqa: F811
    require_service("chromium")
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
    deposit = make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    counter = make_counter(branch, "01", services=[deposit])
    customer = make_customer(branch=branch)
    queueing.counter_open(actor=teller, counter=counter)
    queueing.ticket_issue(issue=queueing.IssueRequest(
        branch=branch, service_type=deposit, source="kiosk", customer=customer))
    ticket = queueing.ticket_call_next(actor=teller, counter=counter)
    with stoppable_server() as server:
        console = signed_in_page(chromium, server.url, teller, **DESK_HD)
        console.goto(f"{server.url}/counter/console/{counter.pk}/")
        console.wait_for_selector(f"{PANEL}[data-plan-kept='1'][data-shell-kept='1']", state="attached")
        wait_for_js(console, "navigator.serviceWorker.controller !== null")  # CSP: no wait_for_function
        assert console.is_hidden(PANEL)

        server.stop()  # the server goes away while the customer is at the counter
        console.wait_for_selector("[data-ledger-offline]:not([hidden])")
        assert "离线" in console.inner_text("[data-ledger-offline]")
        form = console.locator("[data-ledger-form]")
        assert form.locator("[name=ticket_number]").input_value() == ticket.number
        form.locator("[name=amount]").fill("3000")
        form.locator("[name=note]").fill("现金存款")
        console.click("[data-testid=ledger-record]")
        ledger(console, pending=1)
        # A walk-in's large deposit, without a ticket: over the offline limit.
        form.locator("[name=ticket_number]").fill("")
        form.locator("[name=amount]").fill("80000")
        console.click("[data-testid=ledger-record]")
        ledger(console, pending=2)
        assert LedgerEntry.objects.count() == 0
        screenshot(console, "continuity-console-offline-ledger")

        console.reload()  # the page cannot load: the service worker shows the counter's ledger page
        ledger(console, pending=2)
        console.wait_for_selector("[data-ledger-offline]:not([hidden])")
        assert "存款" in console.inner_text("[data-ledger-list]")
        screenshot(console, "continuity-console-offline-reloaded")

        server.start()
        ledger(console, pending=0, reconciled=1, conflict=1)
        assert "已同步" in console.inner_text(PANEL)
        screenshot(console, "continuity-console-ledger-synced")
        served, large = LedgerEntry.objects.order_by("recorded_at")
        assert served.status == LedgerStatus.RECONCILED and large.status == LedgerStatus.CONFLICT
        ticket.refresh_from_db()
        assert ticket.status == TicketStatus.DONE
        assert ServiceRecord.objects.get(ticket=ticket).status == RecordStatus.FINISHED

        assert console.evaluate(RESEND_FIRST_ENTRY) == 200  # a lost reply's resend changes nothing
        assert LedgerEntry.objects.count() == 2 and ServiceRecord.objects.count() == 1

        lobby_manager_accepts_the_conflict(chromium, server.url, branch, lobby_manager, large)


def lobby_manager_accepts_the_conflict(chromium, url, branch, lobby_manager, large):
    desk = signed_in_page(chromium, url, lobby_manager, **DESK)
    desk.goto(f"{url}/queue/dashboard/?branch={branch.code}")
    assert "1 条冲突待处理" in desk.inner_text("[data-testid=offline-ledger-open]")
    desk.click("[data-testid=ledger-review-link]")
    row = desk.wait_for_selector(f"[data-ledger-entry='{large.pk}']")
    assert "金额超过离线限额" in row.inner_text()
    screenshot(desk, "continuity-ledger-conflict")
    row.query_selector("input[name=reason]").fill("已核对存款凭条与现金")
    row.query_selector("[data-testid=ledger-accept]").click()
    desk.wait_for_selector(f"[data-ledger-done='{large.pk}']")
    large.refresh_from_db()
    assert (large.status, large.decided_by) == (LedgerStatus.RECONCILED, lobby_manager)
    screenshot(desk, "continuity-ledger-decided")


def test_a_teller_re_enters_a_paper_slip_and_a_second_person_approves_it(
        require_service, chromium, asgi_server, branch, teller, branch_admin, open_branch_clock):  # noqa: F811
    require_service("chromium")
    deposit = make_service_type("DEPOSIT", name_zh_hans="存款", name_en="Deposit", target_minutes=5)
    counter = make_counter(branch, "01", services=[deposit])
    page = signed_in_page(chromium, asgi_server, teller, **DESK)
    page.goto(f"{asgi_server}/continuity/ledger/paper/")
    form = page.locator("[data-testid=paper-form]")
    form.locator("[name=counter]").select_option(str(counter.pk))
    form.locator("[name=teller]").select_option(str(teller.pk))
    form.locator("[name=service_type]").select_option("DEPOSIT")
    form.locator("[name=amount]").fill("1200")
    form.locator("[name=served_at]").fill("2026-12-07T09:15")
    form.locator("[name=recorded_at]").fill("2026-12-07T09:20")
    screenshot(page, "continuity-paper-slip-form")
    page.click("[data-testid=paper-submit]")
    entry = LedgerEntry.objects.get()
    assert page.inner_text(f"[data-paper-entry='{entry.pk}']").endswith("待第二人复核")
    page.goto(f"{asgi_server}/continuity/ledger/")
    mine = page.wait_for_selector(f"[data-ledger-entry='{entry.pk}']")
    assert "须由他人复核" in mine.inner_text() and not mine.query_selector("[data-testid=paper-approve]")

    checker = signed_in_page(chromium, asgi_server, branch_admin, **DESK)
    checker.goto(f"{asgi_server}/continuity/ledger/")
    checker.wait_for_selector(f"[data-ledger-entry='{entry.pk}']")
    screenshot(checker, "continuity-paper-slip-approval")
    checker.click(f"[data-ledger-entry='{entry.pk}'] [data-testid=paper-approve]")
    checker.wait_for_selector(f"[data-ledger-done='{entry.pk}']")
    entry.refresh_from_db()
    assert entry.status == LedgerStatus.RECONCILED
    assert entry.served_at.astimezone(branch.tz).strftime("%H:%M") == "09:15"
