"""The whole branch day in Chromium on the production profile (PostgreSQL, Redis, a Celery worker
process, uvicorn): the customer on a phone, the kiosk, the lobby screen, a teller, the lobby
manager, a compliance officer and a department, each in their own browser context at once."""

import re

from django.contrib.auth import get_user_model

from appointments import signin
from appointments.models import Appointment
from appointments.tasks import send_appointment_reminder
from branches.models import Department, ServicePoint, ServiceType
from compliance.crypto import blind_index
from counter.models import Receipt, ServiceRecord
from customers.models import Customer
from queueing.models import CounterSession, Source, Ticket, TicketStatus
from queueing.services import IssueRequest, ticket_issue
from servicedesk.models import Channel, Escalation, WorkOrder, WorkOrderKind
from tests.browser import (
    DESK,
    KIOSK_SCREEN,
    LOBBY_SCREEN,
    PHONE,
    another_chromium,
    axe_violations,
    device_page,
    off_the_browser_thread,
    screenshot,
    signed_in_page,
)
from tests.conftest import wait_for_js
from tests.e2e.bookings import slot_to_check_in_now
from tests.e2e.conftest import wait_until

CUSTOMER_PHONE = "13800138000"  # the demo customer 肖涛, born 1949
SERVICE = "ACCOUNT_OPENING"


def sign(page, selector):
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 100)
    page.mouse.down()
    for x, y in [(80, 40), (140, 120), (200, 50), (260, 110)]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=4)
    page.mouse.up()


def customer_signs_in(browser, server, sms, next_path):
    phone = browser.new_context(**PHONE, locale="zh-CN").new_page()
    phone.set_default_timeout(20_000)
    phone.goto(f"{server}/me/login/?next={next_path}")
    phone.fill("input[name=phone]", CUSTOMER_PHONE)
    phone.click("main button[type=submit]")
    phone.wait_for_selector("input[name=code]")
    phone.fill("input[name=code]", re.search(r"\d{6}", sms[-1]).group())
    phone.click("main button[type=submit]")
    phone.wait_for_url(re.compile(re.escape(next_path)))
    return phone


def resolve_on_the_department_console(browser, server, work_order, text):
    staff = work_order.assignee or work_order.owner
    desk = signed_in_page(browser, server, staff, **DESK)
    desk.goto(f"{server}/sd/work-orders/{work_order.pk}/")
    resolve = desk.locator("form[action$='/resolve/']")
    resolve.locator("input[name=text]").fill(text)
    resolve.locator("button[type=submit]").click()
    desk.wait_for_load_state()
    return desk


def book_with_a_prefilled_form(phone, branch):
    """The customer picks a slot she can check in for now and fills in the account-opening form."""
    phone.click(f"a[href='/appointments/book/{branch.code}/']")
    phone.click(f"a[href='/appointments/book/{branch.code}/{SERVICE}/']")
    phone.wait_for_selector("input[name=slot]")
    # The first free slot this customer has not booked already (the demo books some for today)
    # whose kiosk check-in is open now.
    offered = phone.locator("input[name=slot]:not([disabled])").evaluate_all(
        "inputs => inputs.map(input => input.value)")
    slot = off_the_browser_thread(slot_to_check_in_now, values=offered, phone=CUSTOMER_PHONE, branch=branch)
    phone.check(f"input[name=slot][value='{slot}']")
    screenshot(phone, "customer-phone-slots")
    phone.click("main button[type=submit]")
    me = Customer.objects.get(phone_digest=blind_index(CUSTOMER_PHONE, purpose="phone"))
    phone.fill("input[name=full_name]", me.name)  # the customer's own form: no agent (代办) needed
    phone.fill("input[name=id_number]", me.id_number)
    phone.fill("input[name=phone]", CUSTOMER_PHONE)
    phone.fill("[name=address]", "北京市西城区金融大街1号")
    phone.select_option("select[name=occupation]", "retired")
    phone.click("main button[type=submit]")
    phone.click("button:has-text('确认预约'), button:has-text('Confirm appointment')")
    phone.wait_for_selector(".qr svg")
    screenshot(phone, "customer-phone-booking")
    code = phone.get_attribute("[data-booking-code]", "data-booking-code")
    appointment = Appointment.objects.get(code=code)
    assert appointment.prefilled_form.values["address"] == "北京市西城区金融大街1号"
    return code, appointment


def lobby_on_and_kiosk_check_in(browser, server, world, code):
    lobby = device_page(browser, server, world["tokens"]["Lobby screen"], **LOBBY_SCREEN)
    lobby.goto(f"{server}/queue/lobby/")
    lobby.wait_for_selector("#lobby[data-last-event]")
    kiosk = device_page(browser, server, world["tokens"]["Kiosk 1"], **KIOSK_SCREEN)
    kiosk.wait_for_selector("body[data-ready='1']")
    kiosk.click("[data-action=start]")
    kiosk.click("[data-action=language][data-language=zh-hans]")
    kiosk.wait_for_selector("[data-screen=menu]:not([hidden])")
    screenshot(kiosk, "kiosk-menu")
    kiosk.click("[data-testid=menu-checkin]")
    kiosk.fill("#checkin-code", f"{code[:4]}-{code[4:]}".lower())
    kiosk.click("[data-testid=checkin-form] button[type=submit]")
    kiosk.wait_for_selector("[data-testid=ticket-qr] svg")
    ticket = Appointment.objects.get(code=code).ticket
    assert kiosk.inner_text("[data-testid=ticket-number]") == ticket.number
    screenshot(kiosk, "kiosk-ticket")
    return lobby, ticket


def teller_calls_and_verifies(browser, server, branch, ticket, lobby):
    counter = ServicePoint.objects.get(branch=branch, code="03")
    teller = CounterSession.objects.current().get(counter=counter).teller
    desk = signed_in_page(browser, server, teller, **DESK)
    desk.goto(f"{server}/counter/console/{counter.pk}/")
    desk.keyboard.press("n")
    desk.wait_for_selector(f"[data-testid=current-ticket]:has-text('{ticket.number}')")
    wait_for_js(lobby, f"document.getElementById('now-number').textContent === '{ticket.number}'")
    assert counter.name_zh_hans in lobby.inner_text("#now-counter")
    assert "肖涛" not in lobby.inner_text("body")  # the lobby never shows personal data
    screenshot(lobby, "lobby-screen")
    desk.keyboard.press("s")
    desk.wait_for_selector("[data-testid=form-verification] >> text=北京市西城区金融大街1号")
    assert desk.locator("h2:has-text('知识卡片'), h2:has-text('Knowledge cards')").count() == 1
    assert desk.locator("[data-testid=compliance] h2").is_visible()
    desk.evaluate("window.scrollTo(0, 0)")  # the README shows the ticket and the form to verify
    screenshot(desk, "teller-console")
    desk.click("[data-testid=ask-signature]")
    return desk


def customer_signs_and_teller_finishes(phone, desk, server, ticket):
    phone.goto(f"{server}/counter/t/{ticket.public_token}/")
    phone.wait_for_selector("canvas.signature-pad")
    sign(phone, "canvas.signature-pad")
    phone.click("form[action$='/sign/'] button[type=submit]")
    phone.wait_for_selector("[data-testid=signed]")
    desk.reload()
    desk.wait_for_selector("[data-testid=signature-received]")
    while desk.locator("tr.pending").count():  # the teller confirms every pre-filled field
        name = desk.locator("tr.pending").first.get_attribute("data-field")
        desk.locator(f"tr[data-field={name}] button:not([name=correct])").click()
        desk.wait_for_selector(f"[data-testid=verified-{name}]")
    desk.click("[data-testid=finish]")
    desk.wait_for_selector("[data-testid=no-ticket]")
    phone.goto(f"{server}/counter/t/{ticket.public_token}/")
    phone.wait_for_selector("[data-testid=receipt]")
    screenshot(phone, "customer-phone-receipt")
    record = ServiceRecord.objects.get(ticket=ticket)
    assert Receipt.objects.filter(record=record).exists()
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.DONE
    return record


def one_star_with_a_comment_by_keyboard(phone, record):
    """The survey on the receipt page, answered with the keyboard alone; returns the follow-up."""
    phone.click(f"a[href$='/counter/receipts/{record.receipt.public_token}/']")
    phone.wait_for_selector("[data-testid=visit-survey] form")
    found = axe_violations(phone)
    assert not found, f"the receipt page with its survey: {found}"
    assert record.customer.name not in phone.inner_text("body")
    phone.focus("#visit-survey-score-1")
    phone.keyboard.press("Space")
    phone.keyboard.press("Tab")  # one tab stop per radio group: on to the comment
    phone.keyboard.type("排队等了很久，柜台也没有说明原因，希望改进。")
    screenshot(phone, "customer-phone-survey")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    phone.wait_for_selector("[data-testid=visit-survey-thanks]")
    follow_up = WorkOrder.objects.select_related("department").get(visit_survey__visit_ref=record.ref)
    assert (follow_up.kind, follow_up.channel) == (WorkOrderKind.FOLLOW_UP, Channel.SURVEY)
    assert follow_up.department.kind == Department.Kind.CUSTOMER_SERVICE
    assert follow_up.resolution_due is not None  # the SLA clock runs
    return follow_up


def test_a_booked_customer_is_served_and_followed_up_through_the_whole_day(
        browser, server, worker, world, monkeypatch):
    branch = world["branch"]
    sms = []
    monkeypatch.setattr(signin, "notify", lambda **kw: sms.append(kw["body"]))
    # The demo lobby's customers were served earlier today: the counters are free for ours.
    Ticket.objects.filter(branch=branch, status__in=[
        TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING, TicketStatus.PARKED,
    ]).update(status=TicketStatus.CANCELLED)

    # 1. Book with a pre-filled form, on the phone.
    phone = customer_signs_in(browser, server, sms, "/appointments/book/")
    code, appointment = book_with_a_prefilled_form(phone, branch)

    # 2. The reminder goes out through the Celery worker (the console SMS backend prints it).
    send_appointment_reminder.delay(appointment.pk, "soon")
    wait_until(lambda: f"[SMS to {CUSTOMER_PHONE}]" in worker.read_text(),
               message="the worker sent no reminder")

    # 3. The lobby screen is on; the customer checks in at the kiosk.
    lobby, ticket = lobby_on_and_kiosk_check_in(browser, server, world, code)

    # 4. The teller calls: the lobby screen shows it; the teller verifies the pre-filled form and
    #    sees knowledge cards and the compliance panel.
    desk = teller_calls_and_verifies(browser, server, branch, ticket, lobby)

    # 5. The customer signs on the phone; the teller finishes; the e-receipt is there.
    record = customer_signs_and_teller_finishes(phone, desk, server, ticket)

    # The compliance officer finds the service's rule checks in the evidence search.
    officer = signed_in_page(browser, server, get_user_model().objects.get(username="compliance1"), **DESK)
    officer.goto(f"{server}/compliance/evidence/?branch_code={branch.code}&service_code={SERVICE}")
    results = officer.locator("main table").first  # rule checks of service records
    results.scroll_into_view_if_needed()
    assert record.ref in results.inner_text()
    screenshot(officer, "compliance-evidence")

    # 6. The receipt SMS (sent by the worker) asks for a rating; on the receipt page the customer
    #    gives the visit one star with a comment, with the keyboard alone, which opens a follow-up
    #    work order for customer service; the department resolves it inside its SLA.
    wait_until(lambda: "为我们评价" in worker.read_text(), message="the receipt SMS asks for no rating")
    follow_up = one_star_with_a_comment_by_keyboard(phone, record)

    department = signed_in_page(browser, server, follow_up.assignee, **DESK)
    department.goto(f"{server}/sd/")
    department.wait_for_selector(f"main >> text={follow_up.number}")
    resolve_on_the_department_console(browser, server, follow_up, "已致电客户致歉并说明原因，客户表示理解")
    follow_up.refresh_from_db()
    assert follow_up.resolved_at is not None and follow_up.resolved_at <= follow_up.resolution_due
    assert not Escalation.objects.filter(work_order=follow_up).exists()


def test_an_elderly_walk_in_is_called_before_a_customer_who_came_earlier(browser, server, world):
    branch = world["branch"]
    service = ServiceType.objects.get(code="PASSWORD_RESET")
    earlier = off_the_browser_thread(ticket_issue, issue=IssueRequest(branch=branch, service_type=service,
                                                                      source=Source.KIOSK))
    elderly = Customer.objects.filter(
        birth_date__year__lt=1955, vip_tier=0, needs_wheelchair=False, needs_hearing=False,
        needs_visual=False, needs_interpreter=False).order_by("pk").first()

    # The lobby manager issues the walk-in ticket from the dashboard with the customer's number.
    manager = signed_in_page(browser, server, get_user_model().objects.get(username="lobby1"), **DESK)
    manager.goto(f"{server}/queue/dashboard/")
    walk_in = manager.locator("form[action$='/walk-in/']")
    walk_in.locator("select[name=service]").select_option(str(service.pk))
    walk_in.locator("input[name=customer_no]").fill(elderly.customer_no)
    walk_in.locator("button[type=submit]").click()
    ticket = wait_until(lambda: Ticket.objects.filter(customer=elderly, status=TicketStatus.WAITING,
                                                      service_type=service).first())
    manager.wait_for_selector(f"#part-waiting >> text={ticket.number}")
    assert ticket.priority_class == "elderly"

    counter = ServicePoint.objects.get(branch=branch, code="03")
    desk = signed_in_page(browser, server, CounterSession.objects.current().get(counter=counter).teller,
                          **DESK)
    desk.goto(f"{server}/counter/console/{counter.pk}/")
    desk.keyboard.press("n")
    desk.wait_for_selector(f"[data-testid=current-ticket]:has-text('{ticket.number}')")
    assert Ticket.objects.get(pk=earlier.pk).status == TicketStatus.WAITING


def test_each_staff_surface_renders_for_its_role(browser, server, world):
    """The manager dashboard and knowledge search, as their users see them (the compliance
    officer's evidence search is part of the journey: it finds the journey's service)."""
    users = get_user_model().objects
    manager = signed_in_page(browser, server, users.get(username="lobby1"), **DESK)
    manager.goto(f"{server}/queue/dashboard/")
    manager.wait_for_load_state("networkidle")
    assert manager.locator("main").is_visible()
    screenshot(manager, "manager-dashboard")

    teller = signed_in_page(browser, server, users.get(username="teller1"), **DESK)
    teller.goto(f"{server}/knowledge/?q=开户")
    teller.wait_for_load_state()
    assert "开户" in teller.inner_text("main")
    screenshot(teller, "knowledge-search")



def test_a_vip_is_recognised_at_the_entrance_and_the_lobby_manager_is_alerted(
        browser, server, worker, world, tmp_path, require_service):
    require_service("faces")
    from tests.customers.face.conftest import enrol
    from tests.customers.face.test_camera_browser import fake_camera_video

    branch = world["branch"]
    vip = Customer.objects.filter(vip_tier__gt=0).order_by("-vip_tier", "pk").first()
    teller = get_user_model().objects.get(username="teller1")
    off_the_browser_thread(lambda: enrol(vip, branch, "obama.jpg", actor=teller))
    manager = signed_in_page(browser, server, get_user_model().objects.get(username="lobby1"), **DESK)
    manager.goto(f"{server}/queue/dashboard/")
    manager.wait_for_selector("#alerts")

    video = tmp_path / "entrance.y4m"
    fake_camera_video(video, "obama2.jpg")  # another photo of the same person, turning and nodding
    with another_chromium(browser, video=video) as camera_browser:
        camera = device_page(camera_browser, server, world["tokens"]["Entrance camera"],
                             viewport={"width": 800, "height": 700})
        camera.wait_for_selector("#face-video")
        # The worker identifies the face (dlib) and pushes the alert to the staff group.
        manager.wait_for_selector("#alerts li:has-text('贵宾'), #alerts li:has-text('VIP')", timeout=120_000)
    assert vip.name not in manager.inner_text("#alerts")  # masked


def test_a_customer_at_the_video_teller_is_handed_to_a_remote_teller(browser, server, world):
    from kiosk.models import VtmSession

    vtm = device_page(browser, server, world["tokens"]["Video teller"], **KIOSK_SCREEN)
    vtm.wait_for_selector("body[data-ready='1']")
    vtm.click("[data-action=start]")
    vtm.click("[data-action=language][data-language=zh-hans]")
    vtm.wait_for_selector("[data-screen=menu]:not([hidden])")
    vtm.click("[data-testid=menu-remote]")
    vtm.click(f"[data-service={SERVICE}]")
    vtm.wait_for_selector("[data-screen=call]:not([hidden])")

    remote = signed_in_page(browser, server, get_user_model().objects.get(username="teller5"), **DESK)
    remote.goto(f"{server}/kiosk/remote-teller/")
    call = wait_until(lambda: VtmSession.objects.filter(device__branch=world["branch"])
                      .order_by("-pk").first())
    remote.click(f"[data-accept='{call.public_id}']")
    remote.wait_for_url(f"**/kiosk/remote-teller/{call.public_id}/")
    # Video both ways (Chromium's fake camera and microphone), signalled over Redis channels.
    vtm.wait_for_selector("[data-testid=kiosk-remote-video][data-playing='1']")
    remote.wait_for_selector("[data-testid=teller-remote-video][data-playing='1']")
    remote.fill("#confirm-title", "开户确认")
    remote.fill("#confirm-text", "确认为本人开立借记卡账户")
    remote.click(".confirm-form button[type=submit]")
    vtm.wait_for_selector("[data-testid=kiosk-confirmation]:not([hidden])")
    vtm.click("[data-testid=confirm-yes]")
    remote.wait_for_selector("[data-testid=confirm-answer][data-status=confirmed]")
    screenshot(remote, "remote-teller-call")
