SCHEDULE = {
    # Today's figures stay fresh within the hour; a re-run only replaces the same rows.
    "insights-rollup": {"task": "insights.tasks.rollup_recent", "schedule": 900.0},
    # Hourly, but it alerts at most once per branch and day: a restart never skips tomorrow.
    "insights-roster-gaps": {"task": "insights.tasks.check_tomorrow_rosters", "schedule": 3600.0},
}
