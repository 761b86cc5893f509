from django.conf import settings

SCHEDULE = {
    "compliance-audit-checkpoint": {
        "task": "compliance.audit_checkpoint",
        "schedule": float(settings.AUDIT_CHECKPOINT_SECONDS),
    },
}
