"""Import the sales system's daily files for post-sale monitoring, e.g. from cron:

manage.py wealth_import holdings /data/holdings-2026-12-07.csv
manage.py wealth_import nav /data/nav-2026-12-07.csv --by wm.zhang
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from outreach import holdings, wealth


class Command(BaseCommand):
    help = "Import a holdings or daily NAV file (all or nothing; every bad line is listed)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["holdings", "nav"])
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--by", metavar="USERNAME", help="the staff member the import is audited as (default: the system)"
        )

    def handle(self, *args, kind, path, by=None, **options):
        actor = None
        if by:
            actor = get_user_model().objects.filter(username=by, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {by}")
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        try:
            if kind == "holdings":
                result = holdings.holdings_import(actor=actor, text=text)
                summary = f"{result.created} holdings created, {result.updated} updated"
            else:
                imported = wealth.nav_import(actor=actor, text=text)
                summary = f"{imported.imported} NAV lines imported, {len(imported.alerts)} new fall alerts"
        except ValidationError as error:
            raise CommandError("\n".join(error.message_dict.get("file", error.messages))) from error
        self.stdout.write(self.style.SUCCESS(summary))
