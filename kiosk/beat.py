SCHEDULE = {
    "kiosk-scan-silent-devices": {"task": "kiosk.tasks.scan_silent_devices", "schedule": 30.0},
}
