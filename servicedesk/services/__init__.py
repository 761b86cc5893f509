"""Every write to work orders, their SLA clocks, escalations, surveys and the classifier.

Callers import from here (`from servicedesk.services import work_order_create`); the modules of
this package group the functions by subject.
"""

from servicedesk.services.common import EXTENSION_APPROVERS, FOLLOW_UP_BELOW, REOPEN_WINDOW
from servicedesk.services.escalation import (
    escalation_recipients,
    notification_read,
    notifications_deliver,
    notifications_deliver_queued,
    sla_scan,
    work_order_check_sla,
)
from servicedesk.services.intake import WorkOrderRequest
from servicedesk.services.surveys import (
    SurveyClosed,
    customer_update_send,
    survey_answer,
    survey_send,
    surveys_send_pending,
    visit_survey_answer,
    visit_survey_invite,
    visit_survey_policy,
)
from servicedesk.services.training import classifier_retrain
from servicedesk.services.work_orders import (
    attachment_add,
    department_for,
    handoff_parties,
    work_order_assign,
    work_order_categorize,
    work_order_close,
    work_order_comment,
    work_order_create,
    work_order_extend,
    work_order_from_handoff,
    work_order_merge,
    work_order_reopen,
    work_order_resolve,
    work_order_resume,
    work_order_wait_for_customer,
)

__all__ = [
    "WorkOrderRequest",
    "EXTENSION_APPROVERS",
    "FOLLOW_UP_BELOW",
    "REOPEN_WINDOW",
    "SurveyClosed",
    "attachment_add",
    "classifier_retrain",
    "customer_update_send",
    "handoff_parties",
    "department_for",
    "escalation_recipients",
    "notification_read",
    "notifications_deliver",
    "notifications_deliver_queued",
    "sla_scan",
    "survey_answer",
    "survey_send",
    "surveys_send_pending",
    "visit_survey_answer",
    "visit_survey_invite",
    "visit_survey_policy",
    "work_order_assign",
    "work_order_categorize",
    "work_order_check_sla",
    "work_order_close",
    "work_order_comment",
    "work_order_create",
    "work_order_extend",
    "work_order_from_handoff",
    "work_order_merge",
    "work_order_reopen",
    "work_order_resolve",
    "work_order_resume",
    "work_order_wait_for_customer",
]
