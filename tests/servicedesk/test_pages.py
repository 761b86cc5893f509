"""Pages through HTTP: staff entry and queues, customer complaints, surveys, heads' breaches, reports."""

import pytest
import time_machine
from django.urls import reverse

from branches.roles import Role
from servicedesk import services
from servicedesk.models import Category, Channel, Priority, Status, Update, WorkOrder, WorkOrderKind
from tests.factories import make_customer_user, make_staff
from tests.servicedesk.conftest import at

pytestmark = pytest.mark.django_db


def _open(branch, actor, text="客户汇往美国的款项一周未到，请协查", **kw):
    kw.setdefault("category", Category.objects.get(code="fx.remit.not_arrived"))
    kw.setdefault("kind", WorkOrderKind.REQUEST)
    return services.work_order_create(
        actor=actor, channel=Channel.STAFF, branch=branch, description=text, **kw
    )


def test_teller_enters_a_phone_complaint_and_sees_the_proposed_category(
    client, branch, teller, fx_staff, customer
):
    client.force_login(teller)
    response = client.post(
        reverse("servicedesk:work-order-new"),
        {
            "branch": branch.pk,
            "kind": "complaint",
            "channel": "phone",
            "customer_no": customer.customer_no,
            "description": "昨天在你们的取款机取钱，卡被吞了，到现在没人处理",
            "priority": "normal",
        },
    )
    work_order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert work_order.category.code == "card.device.retained"
    assert not work_order.category_confirmed
    page = client.get(reverse("servicedesk:work-order", args=[work_order.pk])).content.decode()
    assert "ATM吞卡" in page
    assert "张**" in page and "张三丰" not in page  # the customer's name is masked


def test_bad_entry_is_refused_with_a_field_message(client, branch, teller):
    client.force_login(teller)
    response = client.post(
        reverse("servicedesk:work-order-new"), {"branch": branch.pk, "kind": "complaint", "channel": "phone"}
    )
    assert response.status_code == 400
    assert "id_description_error" in response.content.decode()
    assert not WorkOrder.objects.exists()


def test_staff_cannot_enter_a_work_order_for_another_branch(client, branch, other_branch, teller):
    client.force_login(teller)
    response = client.post(
        reverse("servicedesk:work-order-new"),
        {"branch": other_branch.pk, "kind": "complaint", "channel": "phone", "description": "排队太久"},
    )
    assert response.status_code == 400
    assert not WorkOrder.objects.exists()


def test_department_queue_puts_the_most_urgent_first(client, branch, teller, fx_staff):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        calm = _open(branch, teller)
        urgent = _open(branch, teller, priority=Priority.URGENT)
    client.force_login(fx_staff)
    with time_machine.travel(at("2026-03-09T09:30"), tick=False):
        page = client.get(reverse("servicedesk:queue")).content.decode()
    assert page.index(urgent.number) < page.index(calm.number)
    assert "sd-breached" in page  # the urgent request's 15-minute first response is overdue
    assert "服务时限" in page  # Chinese first
    assert "<td>待处理</td>" in page and "营业中" not in page  # a work order's state, not a branch's


def test_staff_correct_a_category_and_it_is_confirmed(client, branch, teller, fx_staff):
    work_order = _open(branch, teller, category=None, text="汇往香港的钱被退回来了")
    client.force_login(fx_staff)
    right = Category.objects.get(code="fx.remit.returned")
    client.post(
        reverse("servicedesk:work-order-action", args=[work_order.pk, "categorize"]), {"category": right.pk}
    )
    work_order.refresh_from_db()
    assert work_order.category == right and work_order.category_confirmed


def test_internal_note_stays_internal_and_customer_update_is_shown(
    client, branch, teller, fx_staff, customer_user
):
    work_order = _open(branch, teller, kind=WorkOrderKind.COMPLAINT, customer=customer_user.customer)
    client.force_login(fx_staff)
    action = reverse("servicedesk:work-order-action", args=[work_order.pk, "comment"])
    client.post(action, {"body": "内部：已联系境外行"})
    client.post(action, {"body": "您好，我们已向境外银行查询", "customer_visible": "on"})
    client.force_login(customer_user)
    page = client.get(reverse("servicedesk:my-work-order", args=[work_order.pk])).content.decode()
    assert "我们已向境外银行查询" in page
    assert "内部" not in page


def test_customer_files_a_complaint_on_the_web_and_follows_it(client, branch, fx_staff, customer_user):
    client.force_login(customer_user)
    response = client.post(
        reverse("servicedesk:my-complaint-new"), {"description": "给留学的孩子汇学费，十天了还没到账"}
    )
    work_order = WorkOrder.objects.get()
    assert response.status_code == 302
    assert work_order.channel == Channel.WEB and work_order.customer == customer_user.customer
    assert work_order.owner == fx_staff  # the first staff member to receive it owns it
    listing = client.get(reverse("servicedesk:my-work-orders")).content.decode()
    assert work_order.number in listing


def test_customer_cannot_open_someone_elses_complaint(client, branch, teller, customer_user):
    other = make_customer_user(branch=branch)
    work_order = _open(branch, teller, kind=WorkOrderKind.COMPLAINT, customer=other.customer)
    client.force_login(customer_user)
    assert client.get(reverse("servicedesk:my-work-order", args=[work_order.pk])).status_code == 404
    assert client.get(reverse("servicedesk:work-order", args=[work_order.pk])).status_code == 403


def test_customer_reopens_a_resolved_complaint(client, branch, teller, fx_staff, customer_user):
    work_order = _open(branch, teller, kind=WorkOrderKind.COMPLAINT, customer=customer_user.customer)
    services.work_order_resolve(actor=fx_staff, work_order=work_order, resolution="已处理完毕")
    client.force_login(customer_user)
    client.post(
        reverse("servicedesk:my-work-order", args=[work_order.pk]), {"action": "reopen", "text": "钱还是没到"}
    )
    work_order.refresh_from_db()
    assert work_order.status == Status.IN_PROGRESS


def test_survey_link_takes_a_score_and_a_low_one_opens_a_follow_up(
    client, branch, teller, fx_staff, customer
):
    work_order = _open(branch, teller, kind=WorkOrderKind.COMPLAINT, customer=customer)
    services.work_order_resolve(actor=fx_staff, work_order=work_order, resolution="已处理")
    services.work_order_close(actor=teller, work_order=work_order)
    url = reverse("servicedesk:survey", args=[work_order.survey.token])
    assert client.post(url, {"score": "11"}).status_code == 400
    client.post(url, {"score": "5", "comment": "处理太慢"})
    follow_up = WorkOrder.objects.get(kind=WorkOrderKind.FOLLOW_UP)
    assert follow_up.parent == work_order
    assert "5/10" in client.get(url).content.decode()


def test_unknown_survey_token_is_not_found(client, db):
    assert client.get(reverse("servicedesk:survey", args=["nope"])).status_code == 404


def test_closing_sends_the_survey_by_sms(
    branch, teller, fx_staff, customer, django_capture_on_commit_callbacks, capsys
):
    work_order = _open(branch, teller, kind=WorkOrderKind.COMPLAINT, customer=customer)
    services.work_order_resolve(actor=fx_staff, work_order=work_order, resolution="已处理")
    with django_capture_on_commit_callbacks(execute=True):
        services.work_order_close(actor=teller, work_order=work_order)
    work_order.survey.refresh_from_db()
    assert work_order.survey.sent_at is not None
    assert f"/sd/survey/{work_order.survey.token}/" in capsys.readouterr().out


def test_breaches_page_lists_escalated_work_orders_for_heads_only(client, branch, teller, fx_staff, fx_head):
    with time_machine.travel(at("2026-03-09T09:00"), tick=False):
        work_order = _open(branch, teller)
    services.sla_scan(now=at("2026-03-09T15:00"))
    client.force_login(fx_head)
    assert work_order.number in client.get(reverse("servicedesk:breaches")).content.decode()
    client.force_login(fx_staff)
    assert client.get(reverse("servicedesk:breaches")).status_code == 403


def test_report_counts_complaints_and_exports_csv(client, branch, teller, fx_staff, branch_admin, customer):
    for _ in range(2):
        _open(branch, teller, kind=WorkOrderKind.COMPLAINT, customer=customer)
    client.force_login(branch_admin)
    page = client.get(reverse("servicedesk:report")).content.decode()
    assert "汇款未到账" in page
    csv = client.get(reverse("servicedesk:report") + "?format=csv")
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode()
    assert f"{branch.code} {branch.name},2," in body


@pytest.mark.parametrize(
    "role, sees",
    [
        (Role.TELLER, True),  # received it
        (Role.WEALTH_MANAGER, False),
        (Role.LOBBY_MANAGER, True),
        (Role.BRANCH_ADMIN, True),
        (Role.COMPLIANCE_OFFICER, True),
        (Role.DEPARTMENT_STAFF, False),  # another department
        (Role.DEPARTMENT_HEAD, False),
        (Role.HEAD_OFFICE_ADMIN, True),
        (Role.CUSTOMER, False),
    ],
)
def test_who_may_open_a_work_order(client, users_by_role, branch, teller, fx_staff, role, sees):
    work_order = _open(branch, teller)
    client.force_login(users_by_role[role])
    response = client.get(reverse("servicedesk:work-order", args=[work_order.pk]))
    assert response.status_code == (200 if sees else (403 if role == Role.CUSTOMER else 404))


def test_staff_of_another_branch_cannot_see_or_change_it(client, branch, other_branch, teller, fx_staff):
    work_order = _open(branch, teller)
    for role in (Role.LOBBY_MANAGER, Role.BRANCH_ADMIN):
        client.force_login(make_staff(role, other_branch))
        assert client.get(reverse("servicedesk:work-order", args=[work_order.pk])).status_code == 404
        action = reverse("servicedesk:work-order-action", args=[work_order.pk, "resolve"])
        assert client.post(action, {"text": "x"}).status_code == 404
    assert work_order.updates.count() == 0


def test_compliance_officer_reads_but_cannot_change(client, branch, teller, fx_staff, compliance_officer):
    work_order = _open(branch, teller)
    client.force_login(compliance_officer)
    action = reverse("servicedesk:work-order-action", args=[work_order.pk, "comment"])
    assert client.post(action, {"body": "x"}).status_code == 403
    assert not Update.objects.exists()


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_customer_attaches_a_photo_to_the_complaint(client, branch, fx_staff, customer_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(customer_user)
    photo = SimpleUploadedFile("receipt.png", _png(), content_type="image/png")
    client.post(
        reverse("servicedesk:my-complaint-new"),
        {"description": "存款机吞了我的钱，这是回单照片", "file": photo},
    )
    work_order = WorkOrder.objects.get()
    assert work_order.attachments.get().customer_visible
    page = client.get(reverse("servicedesk:my-work-order", args=[work_order.pk])).content.decode()
    assert "receipt" in page


def test_customer_cannot_attach_a_program(client, branch, customer_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(customer_user)
    program = SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 100)
    response = client.post(
        reverse("servicedesk:my-complaint-new"), {"description": "请看附件里的说明", "file": program}
    )
    assert response.status_code == 400
    assert not WorkOrder.objects.exists()
