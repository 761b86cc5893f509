SCHEDULE = {
    "knowledge-publish-scheduled": {"task": "knowledge.tasks.publish_scheduled", "schedule": 60.0},
    "knowledge-review-clock": {"task": "knowledge.tasks.scan_review_clock", "schedule": 300.0},
    "knowledge-periodic-review": {"task": "knowledge.tasks.scan_periodic_reviews", "schedule": 3600.0},
}
