SCHEDULE = {
    "kiosk-delete-expired-recordings": {"task": "kiosk.tasks.delete_expired_recordings",
                                        "schedule": 24 * 3600.0},
    "kiosk-finish-abandoned-recordings": {"task": "kiosk.tasks.finish_abandoned_recordings",
                                          "schedule": 15 * 60.0},
    "kiosk-scan-silent-devices": {"task": "kiosk.tasks.scan_silent_devices", "schedule": 30.0},
}
