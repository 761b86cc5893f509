import sys
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def locale_dirs() -> list[Path]:
    dirs = [Path(path) for path in settings.LOCALE_PATHS]
    # Only the project's own apps: installed packages ship compiled catalogues already.
    dirs += [Path(config.path) / "locale" for config in apps.get_app_configs()
             if config.path.startswith(str(settings.BASE_DIR))
             and not config.path.startswith(sys.prefix)]
    return [path for path in dirs if path.is_dir()]


class Command(BaseCommand):
    help = ("Compile every .po translation file to .mo in pure Python (no GNU gettext needed on "
            "the machine that installs the platform).")

    def handle(self, *args, **options):
        compiled = 0
        for directory in locale_dirs():
            for po_path in directory.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"compiled {compiled} translation file(s)")
