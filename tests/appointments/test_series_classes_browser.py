"""In Chromium: a customer on a phone books a monthly series, joins a full class's waiting list
and makes a calendar link; staff open a class at the desk."""

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine

from appointments import groups
from appointments.models import AppointmentSeries, GroupParticipant, GroupSession
from branches.roles import Role
from tests.appointments.conftest import SHANGHAI, at
from tests.browser import DESK, PHONE, screenshot, signed_in_page
from tests.factories import make_customer_user, make_staff

NOW = dt.datetime(2025, 10, 9, 8, 0, tzinfo=SHANGHAI)


@pytest.mark.django_db(transaction=True)
def test_a_phone_books_a_monthly_series_and_joins_a_class_waiting_list(
    chromium, live_server, appt_branch, deposit, customer
):
    url = live_server.url
    with time_machine.travel(NOW, tick=True):
        session = groups.group_session_create(
            actor=None,
            branch=appt_branch,
            title="防范电信诈骗讲座",
            start=at(14, day=dt.date(2025, 10, 10)),
            end=at(15, day=dt.date(2025, 10, 10)),
            capacity=1,
            location="二楼多功能厅",
        )
        groups.group_session_join(
            actor=None, session=session, customer=make_customer_user(branch=appt_branch).customer
        )

        phone = signed_in_page(chromium, url, customer.user, **PHONE)
        phone.goto(f"{url}/appointments/book/{appt_branch.code}/")
        phone.click("a[href^='/appointments/series/new/']")
        phone.select_option("select[name=service_type]", str(deposit.pk))
        phone.check("input[name=rule][value=nth_working_day]")
        phone.fill("input[name=nth]", "3")
        phone.fill("input[name=first_day]", "2025-10-09")
        phone.fill("input[name=time]", "10:00")
        phone.fill("input[name=count]", "3")
        phone.click("button[value=preview]")
        phone.wait_for_selector(".series-plan li.ok")
        assert phone.locator(".series-plan li.ok").count() == 3
        screenshot(phone, "appointments-series-preview-phone")
        phone.click("button[value=confirm]")
        phone.wait_for_selector("form[action$='/cancel/']")
        assert AppointmentSeries.objects.get().occurrences.count() == 3
        text = phone.inner_text("main")
        assert "2025年10月11日" in text  # the make-up Saturday after the National Day holidays
        screenshot(phone, "appointments-series-detail-phone")

        phone.goto(f"{url}/appointments/classes/")
        assert "已满员" in phone.inner_text(f"[data-class='{session.pk}']")
        phone.click(f"[data-class='{session.pk}'] button[type=submit]")
        phone.wait_for_selector(".messages")
        assert "候补" in phone.inner_text(".messages")
        assert GroupParticipant.objects.get(customer=customer).status == "waitlisted"
        screenshot(phone, "appointments-classes-phone")

        phone.goto(f"{url}/appointments/calendar-feed/")
        phone.click("button[value=create]")
        phone.wait_for_selector("#feed-url")
        feed = phone.input_value("#feed-url")
        assert "/appointments/feed/" in feed
        screenshot(phone, "appointments-calendar-feed-phone")
        response = phone.request.get(url + urlsplit(feed).path)
        assert response.status == 200 and response.text().count("BEGIN:VEVENT") == 3


@pytest.mark.django_db(transaction=True)
def test_staff_open_a_class_at_the_desk(chromium, live_server, appt_branch):
    manager = make_staff(Role.LOBBY_MANAGER, appt_branch)
    url = live_server.url
    with time_machine.travel(NOW, tick=True):
        desk = signed_in_page(chromium, url, manager, **DESK)
        desk.goto(f"{url}/appointments/classes/manage/")
        desk.fill("input[name=title]", "防范电信诈骗讲座")
        desk.fill("input[name=location]", "二楼多功能厅")
        desk.fill("input[name=start]", "2025-10-10T14:00")
        desk.fill("input[name=capacity]", "20")
        desk.click("main form.card button[type=submit]")
        desk.wait_for_selector("[data-class]")
        session = GroupSession.objects.get()
        assert (session.capacity, session.start) == (20, at(14, day=dt.date(2025, 10, 10)))
        assert "0 / 20" in desk.inner_text(f"[data-class='{session.pk}']")
        screenshot(desk, "appointments-classes-manage-desk")
