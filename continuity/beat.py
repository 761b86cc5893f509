SCHEDULE = {
    "continuity-watch-clocks": {"task": "continuity.tasks.watch_clocks", "schedule": 60.0},
}
