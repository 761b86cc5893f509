"""Django merges every app's catalogue into one per language: a msgid that two apps translate
differently shows one app's word in the other app too (a work order 'Open' once read 营业中, a
branch that is open). Such words need a translation context (pgettext, {% translate … context %})."""

from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_are_catalogues_to_check():
    assert len(CATALOGUES) >= 10


def test_a_word_without_context_reads_the_same_in_every_app():
    translations = defaultdict(dict)
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)).translated_entries():
            if not entry.msgctxt and not entry.msgid_plural:
                translations[entry.msgid][str(path.relative_to(ROOT).parts[0])] = entry.msgstr
    clashes = {msgid: apps for msgid, apps in translations.items() if len(set(apps.values())) > 1}
    assert not clashes, f"give these a context or one translation: {clashes}"


def test_every_catalogue_is_well_formed_with_each_message_once():
    """Catalogues merge with git's union driver (.gitattributes): two branches that rewrapped the
    same entries leave a message twice or a msgid without its msgstr, which compilemessages
    rejects or resolves silently to one of them."""
    for path in CATALOGUES:
        catalogue = polib.pofile(str(path))  # raises on a broken entry
        keys = [(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete]
        twice = sorted({key for key in keys if keys.count(key) > 1}, key=str)
        assert not twice, f"{path.relative_to(ROOT)}: messages defined twice: {twice[:5]}"
