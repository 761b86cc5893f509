"""Published rates (deposit, loan, exchange) shown on the lobby screen's ticker: head office's for
every branch, a branch's own replacing them there, each from the start of its day in the branch's
local time; every accepted write audited (the staff page and the admin), bad input refused with
translated field messages and nothing written."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compliance.models import AuditEvent
from fees.models import PublishedRate
from fees.rates import rate_publish, rates_in_effect
from tests.factories import make_branch, make_device

pytestmark = pytest.mark.django_db

DEPOSIT = {"kind": "deposit", "code": "deposit-1y", "name_zh_hans": "一年期定期存款",
           "name_en": "1-year time deposit", "rate": "1.10"}
USD = {"kind": "exchange", "code": "usd", "name_zh_hans": "美元", "name_en": "US dollar",
       "rate": "710.52", "selling": "713.52"}


def test_a_rate_takes_effect_at_the_start_of_its_day_in_the_branchs_own_time(head_office_admin, clock):
    beijing = make_branch("BJ9")
    urumqi = make_branch("XJ9", timezone="Asia/Urumqi")  # two hours behind Beijing
    clock.move_to("2026-12-07 23:30")
    tomorrow = dt.date(2026, 12, 8)
    rate_publish(actor=head_office_admin, branch=None, values={**DEPOSIT, "effective_from": tomorrow})
    assert rates_in_effect(beijing) == [] and rates_in_effect(urumqi) == []
    clock.move_to("2026-12-08 00:10")  # Beijing's new day; still 22:10 on the 7th in Urumqi
    assert [r.code for r in rates_in_effect(beijing)] == ["deposit-1y"]
    assert rates_in_effect(urumqi) == []
    clock.move_to("2026-12-08 02:10")
    assert [r.code for r in rates_in_effect(urumqi)] == ["deposit-1y"]


def test_a_branchs_own_rate_replaces_head_offices_there_only(branch, other_branch, branch_admin,
                                                            head_office_admin, clock):
    today = clock.today()
    rate_publish(actor=head_office_admin, branch=None, values={**DEPOSIT, "effective_from": today})
    rate_publish(actor=branch_admin, branch=branch,
                 values={**DEPOSIT, "rate": "1.20", "effective_from": today})
    rate_publish(actor=head_office_admin, branch=None, values={**USD, "effective_from": today})
    def shown(where):
        return [(rate.code, str(rate.rate)) for rate in rates_in_effect(where)]

    assert shown(branch) == [("deposit-1y", "1.2000"), ("usd", "710.5200")]
    assert shown(other_branch) == [("deposit-1y", "1.1000"), ("usd", "710.5200")]
    event = AuditEvent.objects.filter(action="fees.rate.publish", branch_code=branch.code).get()
    assert event.after["rate"] == "1.20" and event.actor_id == branch_admin.pk


def test_a_branch_admin_publishes_for_their_own_branch_only(branch, other_branch, branch_admin, teller,
                                                            clock):
    values = {**DEPOSIT, "effective_from": clock.today()}
    for actor, where in ((branch_admin, other_branch), (branch_admin, None), (teller, branch)):
        with pytest.raises(PermissionDenied):
            rate_publish(actor=actor, branch=where, values=values)
    assert not PublishedRate.objects.exists()


@pytest.mark.parametrize(("values", "field"), [
    ({**DEPOSIT, "rate": "0"}, "rate"),
    ({**DEPOSIT, "rate": "101"}, "rate"),
    ({**DEPOSIT, "selling": "2"}, "selling"),
    ({**USD, "selling": "700"}, "selling"),
    ({**USD, "selling": ""}, "selling"),
    ({**DEPOSIT, "kind": "gold"}, "kind"),
    ({**DEPOSIT, "name_en": " "}, "name_zh_hans"),
])
def test_bad_rates_are_refused_with_chinese_field_messages(branch, branch_admin, clock, values, field):
    with pytest.raises(ValidationError) as refused:
        rate_publish(actor=branch_admin, branch=branch, values={**values, "effective_from": clock.today()})
    assert field in refused.value.message_dict
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in refused.value.message_dict[field])
    assert not PublishedRate.objects.exists()
    assert not AuditEvent.objects.filter(action="fees.rate.publish").exists()


def test_the_staff_page_publishes_and_refuses_the_past_in_branch_time(client, branch, branch_admin, clock):
    client.force_login(branch_admin)
    form = {"kind": "exchange", "code": "usd", "name_zh_hans": "美元", "name_en": "US dollar",
            "rate": "710.52", "selling": "713.52"}
    past = client.post(f"/fees/rates/?branch={branch.code}",
                       {**form, "effective_from": (clock.today() - dt.timedelta(days=1)).isoformat()})
    assert past.status_code == 400 and "不能追溯" in past.content.decode()
    assert not PublishedRate.objects.exists()
    done = client.post(f"/fees/rates/?branch={branch.code}",
                       {**form, "effective_from": clock.today().isoformat()}, follow=True)
    page = done.content.decode()
    assert "已发布：美元：现汇买入价 710.52，卖出价 713.52" in page
    assert page.count("美元：现汇买入价 710.52") == 2  # the message and the table of rates in effect
    assert AuditEvent.objects.filter(action="fees.rate.publish", actor_id=branch_admin.pk).count() == 1


def test_a_write_in_the_admin_is_validated_and_audited(client, head_office_admin, clock):
    head_office_admin.is_staff = head_office_admin.is_superuser = True
    head_office_admin.save()
    client.force_login(head_office_admin)
    form = {**USD, "branch": "", "effective_from": clock.today().isoformat()}
    refused = client.post("/admin/fees/publishedrate/add/", {**form, "selling": "1"})
    assert refused.status_code == 200 and "不得低于买入价" in refused.content.decode()
    assert client.post("/admin/fees/publishedrate/add/", form).status_code == 302
    rate = PublishedRate.objects.get()
    assert rate.published_by == head_office_admin
    assert AuditEvent.objects.filter(action="admin.add", object_id=str(rate.pk)).exists()


def test_the_lobby_ticker_shows_the_rates_in_both_languages_and_nothing_personal(client, branch, clock):
    today = clock.today()
    rate_publish(actor=None, branch=None, seeding=True, values={**DEPOSIT, "effective_from": today})
    rate_publish(actor=None, branch=None, seeding=True, values={**USD, "effective_from": today})
    rate_publish(actor=None, branch=None, seeding=True,
                 values={**DEPOSIT, "code": "deposit-3y", "name_zh_hans": "三年期", "name_en": "3-year",
                         "effective_from": today + dt.timedelta(days=1)})
    _, token = make_device(branch, kind="lobby_screen")
    client.post("/device/login/", {"token": token})
    page = client.get("/queue/lobby/").content.decode()
    assert "一年期定期存款：年利率 1.10%" in page and "1-year time deposit: 1.10% a year" in page
    assert "美元：现汇买入价 710.52，卖出价 713.52（元/100外币）" in page
    assert "US dollar: buying 710.52, selling 713.52 yuan per 100" in page
    assert "三年期" not in page  # tomorrow's rate is not shown yet



@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rates_page_and_the_lobby_speak_one_language_each(client, branch, branch_admin, clock,
                                                              language):
    """The language crawl's reader on the two pages this feature adds text to (the full crawl
    covers them too, over the demo data, in 20 minutes)."""
    from tests.branchsvc.test_language_crawl import (
        ALLOWED_CHINESE,
        ALLOWED_LATIN,
        chinese_words,
        latin_words,
        read,
    )

    rate_publish(actor=None, branch=None, seeding=True, values={**USD, "effective_from": clock.today()})
    client.force_login(branch_admin)
    data = {branch_admin.username, branch.code, "usd"}
    for path in ("/fees/rates/", f"/queue/lobby/?branch={branch.code}"):
        html = client.get(path, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        text = " ".join(read(html, language).parts)
        if language == "zh-hans":
            assert latin_words(text, ALLOWED_LATIN | data) == set(), path
        else:
            assert chinese_words(text, ALLOWED_CHINESE) == set(), path
