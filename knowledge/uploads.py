"""What an uploaded knowledge import really holds, read without trusting its name or its headers.

The upload is kept in memory and cut off just past `KB_IMPORT_MAX_BYTES` while it is received
(never a temporary file). A .json / .jsonl file must be UTF-8 text that starts like JSON, a
Markdown article (.md) UTF-8 text; a .zip
is opened in memory, never extracted: its member count, every member's declared size and
compression ratio, and the bytes it really inflates to are checked while reading, against the
same limit for the whole content. Names that climb out of the archive (`../`, absolute paths)
refuse the archive. Every refusal is a `ValidationError` on the `file` field.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from customers.face.uploads import keep_uploads_in_memory
from knowledge.transfer import MARKDOWN_TYPES, is_markdown

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ZIP_MAX_MEMBERS = 100
ZIP_MAX_RATIO = 100  # JSON text deflates 3-20 times; a bomb, thousands of times
_RATIO_FLOOR = 64 * 1024  # small members may compress very well without harm
_CHUNK = 64 * 1024
TEXT_TYPES = (".jsonl", ".json")
IMPORT_TYPES = TEXT_TYPES + MARKDOWN_TYPES
_KNOWN_BINARIES = [
    (b"%PDF-", "PDF"), (b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"),
    (b"PK\x03\x04", "zip"), (b"PK\x05\x06", "zip"), (b"\x1f\x8b", "gzip"), (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7z"), (b"\xd0\xcf\x11\xe0", "Office"), (b"BZh", "bzip2"),
]


def max_bytes() -> int:
    return getattr(settings, "KB_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class ImportFile:
    name: str
    sha256: str
    parts: list[tuple[str, str]]  # (file name, text): one, or one per file of a zip


def keep_import_in_memory(request) -> None:
    """Install before anything reads the request body (see customers.face.uploads)."""
    keep_uploads_in_memory(request, max_bytes=max_bytes(), max_files=1)


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _too_large() -> ValidationError:
    return _refuse(_("The file is larger than %(mb)s MB; split it into smaller files.")
                   % {"mb": _megabytes(max_bytes())})


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def read_import_upload(upload) -> ImportFile:
    """The texts of an uploaded import file, or a ValidationError saying what is wrong with it."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise _too_large()
    if not data:
        raise _refuse(_("The file is empty."))
    digest = hashlib.sha256(data).hexdigest()
    lower = name.lower()
    if lower.endswith(".zip"):
        return ImportFile(name=name, sha256=digest, parts=_read_zip(data))
    if lower.endswith(IMPORT_TYPES):
        return ImportFile(name=name, sha256=digest, parts=[(name, _text(name, data))])
    raise _refuse(_("Upload a .jsonl or .json file as kb_export writes it, a Markdown article "
                    "(.md), or a .zip of them."))


def _sniffed(data: bytes) -> str:
    return next((kind for magic, kind in _KNOWN_BINARIES if data.startswith(magic)), "")


def _text(name: str, data: bytes) -> str:
    kind = _sniffed(data)
    if kind and is_markdown(name):
        raise _refuse(_("%(name)s is not Markdown text: its content is a %(kind)s file.")
                      % {"name": name, "kind": kind})
    if kind:
        raise _refuse(_("%(name)s is not JSON: its content is a %(kind)s file.")
                      % {"name": name, "kind": kind})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise _refuse(_("%(name)s is not UTF-8 text: line %(line)s holds the byte 0x%(byte)02X. "
                        "Save it as UTF-8.") % {"name": name, "line": line,
                                                "byte": data[error.start]}) from error
    if "\0" in text:
        line = text[:text.index("\0")].count("\n") + 1
        raise _refuse(_("%(name)s is not text: line %(line)s holds a NUL byte.")
                      % {"name": name, "line": line})
    start = text.lstrip(" \t\r\n")[:1]
    if not is_markdown(name) and start not in ("[", "{"):
        raise _refuse(_("%(name)s is not JSON Lines or a JSON array: it must start with { or [.")
                      % {"name": name})
    return text


def _read_zip(data: bytes) -> list[tuple[str, str]]:
    if _sniffed(data) != "zip":
        raise _refuse(_("The file is not a zip archive."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise _refuse(_("The zip archive is damaged and cannot be read.")) from error
    if len(archive.infolist()) > ZIP_MAX_MEMBERS:
        raise _refuse(_("The zip archive holds more than %(max)s files.") % {"max": ZIP_MAX_MEMBERS})
    members = [m for m in members if not _ignorable(m.filename)]
    for member in members:
        _check_member(member)
    declared = sum(m.file_size for m in members)
    if declared > max_bytes():
        raise _bomb()
    parts, total = [], 0
    for member in members:
        content = _inflate(archive, member, room=max_bytes() - total)
        total += len(content)
        parts.append((member.filename, _text(member.filename, content)))
    if not parts:
        raise _refuse(_("The zip archive holds no .jsonl, .json or .md file."))
    return parts


def _ignorable(name: str) -> bool:
    """Folders' metadata that archivers add (macOS resource forks, hidden files)."""
    base = posixpath.basename(name)
    return name.startswith("__MACOSX/") or base.startswith(".")


def _check_member(member: zipfile.ZipInfo) -> None:
    name = member.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise _refuse(_("The zip archive holds a file outside its folder (%(name)s); it was "
                        "refused.") % {"name": name[:100]})
    if member.flag_bits & 0x1:
        raise _refuse(_("The zip archive is encrypted; upload it without a password."))
    if not name.lower().endswith(IMPORT_TYPES):
        raise _refuse(_("The zip archive holds %(name)s: only .jsonl, .json and .md files can be "
                        "imported.") % {"name": name[:100]})
    if member.file_size > _RATIO_FLOOR and member.file_size > ZIP_MAX_RATIO * max(member.compress_size, 1):
        raise _bomb()


def _bomb() -> ValidationError:
    return _refuse(_("The zip archive expands to more than %(mb)s MB (or far more than JSON text "
                     "does); it was refused.") % {"mb": _megabytes(max_bytes())})


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, *, room: int) -> bytes:
    """The member's bytes, read in chunks and stopped as soon as it passes what its header
    declared or what is left of the limit: headers can lie."""
    allowed = min(member.file_size, room)
    out = bytearray()
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                out += chunk
                if len(out) > allowed:
                    raise _bomb()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, ValueError) as error:
        raise _refuse(_("The zip archive is damaged and cannot be read (%(name)s).")
                      % {"name": member.filename[:100]}) from error
    return bytes(out)
