"""Django for the benchmarks that run the embedded profile by default: a fresh SQLite file, unless
DATABASE_URL names a database (then also set DEBUG=1, or SECRET_KEY and FIELD_ENCRYPTION_KEY)."""

import os
import tempfile
from pathlib import Path


def setup_django() -> None:
    """Set Django up in this process and migrate its database."""
    if not os.environ.get("DATABASE_URL"):
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "branchsvc.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
