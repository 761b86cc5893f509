"""Spoken calls for lobby screens whose browser has no speech-synthesis voice (Debian's Chromium in
kiosk mode has none): the sentence is rendered to WAV by espeak-ng on the server and cached.

Only the ticket number and the counter's name are ever spoken, never a name or other personal data.
"""

import hashlib
import logging
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from queueing.models import Ticket

log = logging.getLogger(__name__)

# Lobby-screen language → (Django language, espeak-ng voice). On espeak-ng 1.51 (Debian 12) the
# plain "cmn" voice reads its dictionary's pinyin as English words ("qing3" → "king three");
# "cmn-latn-pinyin" reads the same characters as Mandarin.
LANGUAGES = {"zh": ("zh-hans", "cmn-latn-pinyin"), "en": ("en", "en-gb")}
WORDS_PER_MINUTE = 150  # a little slower than espeak-ng's 175: a lobby is noisy
RENDER_TIMEOUT_SECONDS = 10
CACHE_SECONDS = 24 * 3600


class SpeechUnavailable(Exception):
    """espeak-ng is not installed or failed: the lobby screen stays visual."""


@dataclass(frozen=True)
class Announcement:
    language: str  # "zh" | "en"
    voice: str     # espeak-ng voice
    text: str      # the sentence as said, plain
    ssml: str      # the sentence as espeak-ng reads it: the number spelt out character by character


def announcement(*, number: str, counter_name: str, language: str) -> Announcement:
    """The call of `number` to `counter_name`, in "zh" or "en"."""
    django_language, voice = LANGUAGES[language]
    number = re.sub(r"[^0-9A-Za-z]", "", number)
    with translation.override(django_language):
        # The sentence the lobby screen also speaks through the browser (queueing/lobby.html).
        sentence = gettext("Number {number}, please go to {counter}")
    text = sentence.replace("{number}", number).replace("{counter}", counter_name)
    spelt = f'<say-as interpret-as="characters">{number}</say-as>'
    ssml = escape(sentence).replace("{number}", spelt).replace("{counter}", escape(counter_name))
    return Announcement(language=language, voice=voice, text=text, ssml=f"<speak>{ssml}</speak>")


def call_announcement(ticket: Ticket, language: str) -> Announcement:
    """What the lobby says for a called ticket: its number and its counter, nothing else."""
    point = ticket.counter
    name = point.name_zh_hans if language == "zh" else (point.name_en or point.name_zh_hans)
    return announcement(number=ticket.number, counter_name=name, language=language)


def espeak_binary() -> str | None:
    return shutil.which(getattr(settings, "ESPEAK_BINARY", "espeak-ng"))


def _cache_key(spoken: Announcement) -> str:
    digest = hashlib.sha256(f"{spoken.voice}\n{WORDS_PER_MINUTE}\n{spoken.ssml}".encode()).hexdigest()
    return f"queueing:announce:{digest}"


def render_wav(spoken: Announcement) -> bytes:
    """The announcement as WAV bytes (cached by voice and text); SpeechUnavailable without
    espeak-ng or when it fails."""
    key = _cache_key(spoken)
    wav = cache.get(key)
    if wav is not None:
        return wav
    binary = espeak_binary()
    if binary is None:
        raise SpeechUnavailable(_("Spoken announcements need espeak-ng on the server."))
    with tempfile.TemporaryDirectory(prefix="announce-") as folder:
        path = Path(folder) / "call.wav"  # espeak-ng's --stdout leaves the WAV sizes unset
        try:
            # An argument list (no shell), a fixed binary, bounded in time.
            subprocess.run([binary, "-m", "-v", spoken.voice, "-s", str(WORDS_PER_MINUTE),  # noqa: S603
                            "-w", str(path), spoken.ssml],
                           check=True, capture_output=True, timeout=RENDER_TIMEOUT_SECONDS)
            wav = path.read_bytes()
        except (OSError, subprocess.SubprocessError) as error:
            log.warning("espeak-ng could not render an announcement: %s", error)
            raise SpeechUnavailable(_("The announcement could not be rendered.")) from error
    cache.set(key, wav, CACHE_SECONDS)
    return wav
