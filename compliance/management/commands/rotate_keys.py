from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compliance.rotation import rotate_keys, rotation_pending


class Command(BaseCommand):
    help = ("Re-encrypt every encrypted field and rebuild the lookup digests with the newest "
            "FIELD_ENCRYPTION_KEY, in batches; an interrupted run resumes. --check reports what "
            "still needs an older key.")

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument("--state", type=Path,
                            default=Path(settings.BASE_DIR) / "var" / "rotate_keys.json",
                            help="progress file of an interrupted run (default var/rotate_keys.json)")
        parser.add_argument("--restart", action="store_true", help="ignore an interrupted run's progress")
        parser.add_argument("--check", action="store_true",
                            help="only report rows that still need an older key")

    def handle(self, *args, batch_size, state, restart, check, **options):
        if not check:
            rewritten = rotate_keys(batch_size=batch_size, state_path=state, restart=restart,
                                    progress=lambda label, n: self.stdout.write(f"{label}: {n} rows"))
            self.stdout.write(f"rewritten: {sum(rewritten.values())} rows")
        pending = rotation_pending()
        if pending:
            raise CommandError("still needing an older key: " + ", ".join(
                f"{label} {count}" for label, count in pending.items()))
        self.stdout.write(self.style.SUCCESS(
            "every encrypted value and lookup digest uses the newest key; older keys can be removed"))
