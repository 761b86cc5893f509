"""Django set-up for the insights benchmarks: the production profile on PostgreSQL by default."""

import os
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/branchsvc_insights")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/10")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + secrets.token_hex(16))
    os.environ.setdefault("FIELD_ENCRYPTION_KEY", "YmVuY2gtb25seS1maWVsZC1rZXktMDAwMDAwMDAwMDA=")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    # The bench signs in with force_login; the TOTP step would only redirect it (its cost is nil).
    os.environ.setdefault("OTP_REQUIRED_ROLES", "none")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
