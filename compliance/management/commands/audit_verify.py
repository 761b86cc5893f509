import json

from django.core.management.base import BaseCommand, CommandError

from compliance.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and name the first edited, deleted or moved event."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options):
        report = verify_chain()
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict()))
        if not report.ok:
            raise CommandError(f"audit chain broken at event #{report.first_bad_seq}: {report.problem}")
        if not options["json"]:
            self.stdout.write(self.style.SUCCESS(f"audit chain intact: {report.checked} events"))
