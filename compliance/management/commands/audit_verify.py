import json

from django.core.management.base import BaseCommand, CommandError

from compliance.audit import chain_label, verify_chain
from compliance.checkpoints import read_checkpoints


class Command(BaseCommand):
    help = ("Verify every audit chain against the audit key and the signed checkpoints; name what "
            "was edited, deleted, truncated or cut off the end, per branch.")

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        report = verify_chain()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
        if not report.ok:
            where = f" at event #{report.first_bad_seq}" if report.first_bad_seq else ""
            raise CommandError(f"audit chain broken{where}: {report.problem}")
        if not options["json"]:
            for part in report.chains:
                self.stdout.write(f"{chain_label(part.chain)}: {part.checked} events intact")
            checkpoints = len(read_checkpoints().entries)
            self.stdout.write(self.style.SUCCESS(
                f"audit chain intact: {report.checked} events, {checkpoints} signed checkpoints "
                "agree"))
