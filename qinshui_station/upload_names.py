"""Names with path separators are refused, not silently trimmed.

Django's multipart parser keeps only the last path component of an upload's name before any view runs, so a
crafted ``../../etc/passwd.pdf`` would arrive as ``passwd.pdf`` and be accepted. This parser keeps a visible
trace instead: each separator becomes ``SEPARATOR_MARK`` (which is not a separator), and
``uploads.validate_upload`` refuses the name with a message at the field. Browsers never send directories in
a file name, so only crafted requests meet the refusal."""

from __future__ import annotations

import html
import types

from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList

SEPARATOR_MARK = "\u2215"  # DIVISION SLASH


class PathMarkingMultiPartParser(MultiPartParser):
    def sanitize_file_name(self, file_name):
        marked = html.unescape(file_name).replace("/", SEPARATOR_MARK).replace("\\", SEPARATOR_MARK)
        marked = "".join(char for char in marked if char.isprintable())
        if marked in {"", ".", ".."}:
            return None
        return marked


def _parse_file_upload(self, META, post_data):
    self.upload_handlers = ImmutableList(self.upload_handlers,
                                         warning="You cannot alter upload handlers after the upload has been processed.")
    return PathMarkingMultiPartParser(META, post_data, self.upload_handlers, self.encoding).parse()


class UploadNameMiddleware:
    """Installs the parser on each request before anything (CSRF) reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.parse_file_upload = types.MethodType(_parse_file_upload, request)
        return self.get_response(request)
