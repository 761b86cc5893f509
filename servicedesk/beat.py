SCHEDULE = {
    "servicedesk-sla-scan": {"task": "servicedesk.tasks.sla_scan", "schedule": 60.0},
    "servicedesk-retrain-classifier": {
        "task": "servicedesk.tasks.retrain_classifier",
        "schedule": 24 * 3600.0,
    },
}
