SCHEDULE = {
    "appointments-reminders": {"task": "appointments.tasks.scan_reminders", "schedule": 60.0},
    "appointments-no-shows": {"task": "appointments.tasks.mark_no_shows", "schedule": 300.0},
}
