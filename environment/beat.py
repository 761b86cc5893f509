SCHEDULE = {
    "environment-scan-silent-sensors": {"task": "environment.tasks.scan_silent_sensors", "schedule": 60.0},
}
