SCHEDULE = {
    # Hourly, but it alerts at most once a (Beijing) day: a restart never skips a day's alert.
    "branches-calendar-horizon": {"task": "branches.tasks.check_calendar_horizon",
                                  "schedule": 3600.0},
}
