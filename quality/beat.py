SCHEDULE = {
    "quality-escalate-overdue-actions": {"task": "quality.tasks.escalate_overdue_actions", "schedule": 900.0},
}
