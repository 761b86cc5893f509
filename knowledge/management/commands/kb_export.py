import json
import sys

from django.core.management.base import BaseCommand

from knowledge.services import articles_export


class Command(BaseCommand):
    help = "Export published knowledge articles in the kb_import format (JSON Lines or a JSON array)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="output file (default: stdout)")
        parser.add_argument("--array", action="store_true", help="write one JSON array")

    def handle(self, *args, file: str, array: bool, **options):
        rows = articles_export()
        if array:
            text = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        else:
            text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if file == "-":
            sys.stdout.write(text)
        else:
            with open(file, "w", encoding="utf-8") as fh:
                fh.write(text)
            self.stderr.write(f"{len(rows)} articles written to {file}")
