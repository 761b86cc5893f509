from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, no_translations

from knowledge.services import articles_import
from knowledge.services.imports import import_problems
from knowledge.transfer import parse_import


class Command(BaseCommand):
    help = ("Import knowledge articles from a JSON array or JSON Lines file of {slug, title, body, "
            "category, tags, language}. A file with any bad line imports nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--publish", action="store_true",
                            help="publish at once (content approved elsewhere); default: send each "
                                 "article to the compliance review queue")
        parser.add_argument("--actor", default="", help="username recorded as author")

    @no_translations  # line errors in English, for logs and scripts
    def handle(self, *args, file: Path, publish: bool, actor: str, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        records, errors = parse_import(text)
        errors = errors or import_problems(records, publish=publish)
        if errors:
            for error in errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{len(errors)} error(s); nothing was imported")
        user = None
        if actor:
            user = get_user_model().objects.filter(username=actor).first()
            if user is None:
                raise CommandError(f"no user {actor!r}")
        summary = articles_import(actor=user, records=records, publish=publish)
        state = "published" if publish else "sent to review"
        self.stdout.write(f"{summary['created']} created, {summary['updated']} updated, "
                          f"{summary['unchanged']} unchanged, {state}")
