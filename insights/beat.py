SCHEDULE = {
    # Today's figures stay fresh within the hour; a re-run only replaces the same rows.
    "insights-rollup": {"task": "insights.tasks.rollup_recent", "schedule": 900.0},
}
