"""Uploads of face photos and camera frames stay in memory: never a temporary file on disk.

Django writes uploads above FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file; this handler keeps
every file in memory instead, and keeps at most `max_bytes + 1` bytes of it — enough for the
validator to answer "too large" without holding an oversized upload. Files beyond `max_files` keep
nothing (the view still counts them and refuses the request).
"""

import io

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class BoundedMemoryUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, max_bytes: int, max_files: int):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.max_files = max_files
        self.files = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        self.buffer = io.BytesIO()

    def receive_data_chunk(self, raw_data, start):
        limit = self.max_bytes + 1 if self.files <= self.max_files else 0
        room = limit - self.buffer.tell()
        if room > 0:
            self.buffer.write(raw_data[:room])
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=self.buffer.getbuffer().nbytes,
            charset=self.charset, content_type_extra=self.content_type_extra,
        )


def keep_uploads_in_memory(request, *, max_bytes: int, max_files: int) -> None:
    """Install the handler; call before anything reads request.POST or request.FILES."""
    if hasattr(request, "_files"):
        # A middleware already parsed the body: not multipart (a urlencoded form carries no
        # files), so there is nothing to bound, and the handlers can no longer change.
        return
    request.upload_handlers = [BoundedMemoryUploadHandler(request, max_bytes=max_bytes,
                                                          max_files=max_files)]


def read_uploads(files) -> list[bytes]:
    return [upload.read() for upload in files]
