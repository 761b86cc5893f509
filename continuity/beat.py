SCHEDULE = {
    "continuity-watch-clocks": {"task": "continuity.tasks.watch_clocks", "schedule": 60.0},
    "continuity-watch-ledger": {"task": "continuity.tasks.watch_ledger", "schedule": 300.0},
}
