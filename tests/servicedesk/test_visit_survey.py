"""The service desk's side of the visit survey: what reaches the follow-up work order and the audit
trail. (The customer's way through the e-receipt is in tests/counter/test_visit_survey.py.)"""

import pytest

from compliance.models import AuditEvent
from core.pii import mask_personal_numbers
from servicedesk.services import visit_survey_invite, visit_survey_policy


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("请打 13812345678 联系我", "请打 138****5678 联系我"),
        ("身份证110105194911040013", "身份证1101**********0013"),
        ("卡号6222021234567890128扣错了", "卡号6222***********0128扣错了"),
        ("排了 45 分钟，窗口 3 号", "排了 45 分钟，窗口 3 号"),
    ],
)
def test_personal_numbers_in_a_comment_are_masked(typed, stored):
    assert mask_personal_numbers(typed) == stored


def test_an_unknown_setting_fails_loudly(settings):
    settings.SERVICEDESK_VISIT_SURVEY = {"follow_up_below": 3}
    with pytest.raises(TypeError):
        visit_survey_policy()


def test_inviting_a_visit_twice_keeps_one_survey_and_one_audit_event(branch, customer):
    first = visit_survey_invite(visit_ref="counter.ServiceRecord:7", branch=branch, customer=customer,
                                service_name="开户")
    again = visit_survey_invite(visit_ref="counter.ServiceRecord:7", branch=branch, service_name="开户")
    assert first.pk == again.pk and first.expires_at > first.invited_at
    assert AuditEvent.objects.filter(action="visit_survey.invite").count() == 1
