"""Stop reading an upload once it passes the limit, instead of writing a 2 GB body to /tmp first."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from members.imports.reader import MAX_BYTES

# The multipart body carries the CSRF token and boundaries besides the file.
SLACK = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None, limit: int = MAX_BYTES) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Raising here would not be caught by Django's parser; the first chunk past the limit stops it.
        if content_length and content_length > self.limit + SLACK:
            self.too_large = True
        return None

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.too_large or self.received > self.limit:
            self.too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
