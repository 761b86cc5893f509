"""Writes of the quality app: checklists, inspections, corrective actions."""

from quality.services.actions import (
    corrective_action_assign,
    corrective_action_close,
    corrective_action_reopen,
    corrective_actions_escalate,
)
from quality.services.checklists import checklist_current, checklist_publish
from quality.services.inspections import (
    inspection_cancel,
    inspection_save,
    inspection_schedule,
    inspection_submit,
)

__all__ = [
    "checklist_current",
    "checklist_publish",
    "corrective_action_assign",
    "corrective_action_close",
    "corrective_action_reopen",
    "corrective_actions_escalate",
    "inspection_cancel",
    "inspection_save",
    "inspection_schedule",
    "inspection_submit",
]
