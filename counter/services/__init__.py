"""Every write of the counter app: pre-filled forms, their verification, service records, receipts.

Callers import from here (`from counter.services import form_save`); the modules of this
package group the functions by subject.
"""

from counter.services.common import (
    FormInvalid,
)
from counter.services.facts import (
    compliance_blocks,
    compliance_facts,
    compliance_results,
)
from counter.services.finishing import (
    receipt_notify,
    record_finish,
)
from counter.services.forms import (
    form_attach_photo,
    form_link_ticket,
    form_save,
    form_start,
    form_verify_field,
    latest_schema,
)
from counter.services.records import (
    line_form,
    next_planned_line,
    record_agent,
    record_ask_override,
    record_begin,
    record_exception,
    record_override_verification,
    record_request_signature,
    record_sign,
    record_start_form,
    record_step,
    service_start,
    service_transfer,
    start_line,
)

__all__ = [
    "FormInvalid",
    "compliance_blocks",
    "compliance_facts",
    "compliance_results",
    "form_attach_photo",
    "form_link_ticket",
    "form_save",
    "form_start",
    "form_verify_field",
    "latest_schema",
    "line_form",
    "next_planned_line",
    "receipt_notify",
    "record_agent",
    "record_ask_override",
    "record_begin",
    "record_exception",
    "record_finish",
    "record_override_verification",
    "record_request_signature",
    "record_sign",
    "record_start_form",
    "record_step",
    "service_start",
    "service_transfer",
    "start_line",
]
