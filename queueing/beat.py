SCHEDULE = {
    "queueing-scan": {"task": "queueing.tasks.scan_queues", "schedule": 30.0},
}
