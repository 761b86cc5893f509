"""Recompute the insights roll-ups of past days, e.g. after an upgrade adds an indicator (the
beat task only recomputes today and yesterday): `manage.py insights_rollup --days 90`."""

from django.core.management.base import BaseCommand, CommandError

from branches.models import Branch
from insights import services


class Command(BaseCommand):
    help = "Recompute the insights roll-ups of the last N days (today included) for active branches."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="how many days back, today included")
        parser.add_argument("--branch", action="append", default=[], metavar="CODE",
                            help="only this branch (repeatable); default: every active branch")

    def handle(self, *args, days: int, branch: list[str], **options):
        if not 1 <= days <= 3660:
            raise CommandError("--days must be between 1 and 3660.")
        branches = Branch.objects.filter(is_active=True)
        if branch:
            branches = branches.filter(code__in=branch)
            unknown = set(branch) - set(branches.values_list("code", flat=True))
            if unknown:
                raise CommandError(f"no active branch with code {', '.join(sorted(unknown))}")
        count = services.rollup_recent(days=days, branches=branches)
        self.stdout.write(f"recomputed {count} branch-days")
