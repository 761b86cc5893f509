"""A checker finds the changes waiting for them on their home page; the maker does not."""

import datetime as dt

import pytest

from tests.compliance.controls.test_makerchecker import request_phone_change
from tests.staff_home import staff_home

pytestmark = pytest.mark.django_db


def test_a_pending_change_waits_on_the_checkers_home_page(
        client, client_of, teller, branch_admin, compliance_officer, customer, clock):
    assert request_phone_change(client_of(compliance_officer), customer).status_code == 201
    assert "等待您审批" not in staff_home(client, compliance_officer)  # own request
    page = staff_home(client, branch_admin)
    assert "1 项变更等待您审批" in page and "/compliance/" in page
    assert "attention-item due" in page
    clock.shift(dt.timedelta(hours=5))
    page = staff_home(client, branch_admin)
    assert "最早的一项已提交 5 小时 00 分钟。" in page
    assert "attention-item urgent" in page
    assert "等待您审批" not in staff_home(client, teller)
