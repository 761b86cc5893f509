SCHEDULE = {
    "knowledge-publish-scheduled": {"task": "knowledge.tasks.publish_scheduled", "schedule": 60.0},
    "knowledge-review-clock": {"task": "knowledge.tasks.scan_review_clock", "schedule": 300.0},
}
