"""Every write made in the Django admin leaves an audit event, or the admin refuses it."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from branches.roles import Role
from compliance.models import AuditEvent
from servicedesk.models import SLAPolicy
from tests.factories import (
    make_counter,
    make_customer,
    make_device,
    make_service_type,
    make_staff,
    make_user,
)


class _FormFields(HTMLParser):
    """The fields a browser would post from the admin's change form."""

    def __init__(self):
        super().__init__()
        self.fields, self.text_inputs = [], []
        self._in_form = self._select = self._textarea = None
        self._selected = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if attrs.get("type") ==
                                                             "checkbox" else "")))
            if attrs.get("type", "text") == "text" and "-" not in name and attrs.get("value"):
                self.text_inputs.append(len(self.fields) - 1)
        elif tag == "select" and name:
            self._select, self._selected = name, []
        elif tag == "option" and self._select and "selected" in attrs:
            self._selected.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select:
            self.fields.extend((self._select, value) for value in self._selected)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None


def _post_data(html: str, *, edit: bool) -> dict:
    form = _FormFields()
    form.feed(html)
    fields = list(form.fields)
    if edit and form.text_inputs:
        index = form.text_inputs[0]
        fields[index] = (fields[index][0], fields[index][1] + "改")
    data: dict[str, list] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data["_save"] = ["Save"]
    return data


@pytest.fixture
def hoadmin(db):
    user = make_staff(Role.HEAD_OFFICE_ADMIN, None, username="hoadmin")
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.fixture
def one_of_everything(branch, hoadmin):
    service = make_service_type("DEP")
    make_counter(branch, services=[service])
    make_customer(branch=branch, name="李四", vip_tier=0)
    make_device(branch, "lobby_screen", actor=hoadmin)
    TOTPDevice.objects.create(user=hoadmin, name="phone", confirmed=True)
    SLAPolicy.objects.create(name_zh_hans="标准", first_response_minutes=30, resolution_minutes=240)
    from branches.models import FormSchema

    FormSchema.objects.create(service_type=service, version=1,
                              fields=[{"name": "amount", "type": "decimal", "label_zh_hans": "金额"}])


def _errors(response):
    context = response.context or {}
    form = context.get("adminform")
    inlines = [formset.formset.errors for formset in context.get("inline_admin_formsets", [])]
    return response.status_code, form and form.form.errors, inlines


def test_every_admin_change_is_audited_or_refused(client, hoadmin, one_of_everything):
    client.force_login(hoadmin)
    swept, unaudited = [], []
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
        page = client.get(url)
        assert page.status_code == 200, url
        before = AuditEvent.objects.count()
        response = client.post(url, _post_data(page.content.decode(), edit=True))
        if response.status_code == 200:  # the edit did not validate: save it unchanged
            response = client.post(url, _post_data(page.content.decode(), edit=False))
        swept.append(model._meta.label)
        if response.status_code == 403 or not model_admin.has_change_permission(page.wsgi_request, obj):
            continue
        assert response.status_code == 302, (url, _errors(response))
        if AuditEvent.objects.count() == before:
            unaudited.append(model._meta.label)
    assert not unaudited, f"admin writes without an audit event: {unaudited}"
    assert {"branches.Branch", "branches.ServiceType", "branches.FormSchema",
            "branches.ServicePoint", "customers.Customer", "auth.User"} <= set(swept)


def test_editing_a_branch_in_the_admin_records_before_and_after(client, hoadmin, branch):
    client.force_login(hoadmin)
    url = reverse("admin:branches_branch_change", args=[branch.pk])
    data = _post_data(client.get(url).content.decode(), edit=False)
    data["name_zh_hans"] = ["改名支行"]
    assert client.post(url, data).status_code == 302
    event = AuditEvent.objects.filter(action="admin.change", object_type="branches.branch").get()
    assert event.actor_name == "hoadmin" and event.branch_code == branch.code
    assert event.before["name_zh_hans"] == f"测试支行{branch.code}"
    assert event.after["name_zh_hans"] == "改名支行"


def test_customer_name_and_vip_tier_cannot_be_changed_in_the_admin(client, hoadmin, branch):
    customer = make_customer(branch=branch, name="李四", vip_tier=0)
    client.force_login(hoadmin)
    url = reverse("admin:customers_customer_change", args=[customer.pk])
    response = client.post(url, {"name": "王五", "vip_tier": "3"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert (customer.name, customer.vip_tier) == ("李四", 0)


def test_a_password_set_in_the_admin_is_audited_without_the_password(client, hoadmin):
    user = make_user("someone")
    client.force_login(hoadmin)
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    response = client.post(url, {"password1": "A-long-new-pass-42", "password2": "A-long-new-pass-42",
                                 "usable_password": "true"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="admin.change", object_type="auth.user")
    assert "password" not in event.after and "A-long-new-pass-42" not in str(event.after)


def test_deleting_in_the_admin_is_audited(client, hoadmin, branch):
    from branches.models import CalendarException

    day = CalendarException.objects.create(branch=branch, date="2027-01-04", kind="closed", note="演练")
    client.force_login(hoadmin)
    url = reverse("admin:branches_calendarexception_delete", args=[day.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action="admin.delete")
    assert event.before["note"] == "演练" and event.object_id == str(day.pk)


def test_resetting_an_authenticator_in_the_admin_is_audited(client, hoadmin, branch):
    teller = make_staff(Role.BRANCH_ADMIN, branch, username="lost-phone")
    device = TOTPDevice.objects.create(user=teller, name="phone", confirmed=True)
    client.force_login(hoadmin)
    url = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    event = AuditEvent.objects.get(action="admin.delete", object_type="otp_totp.totpdevice")
    assert event.actor_name == "hoadmin" and "key" not in event.before
