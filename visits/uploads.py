"""What a research report upload may be: a PDF or a DOCX by its content, at most 20 MB.

The name and the browser's content type say nothing (anyone can rename a .exe to 报告.pdf), so the
file is read: a PDF starts with “%PDF-1.x” (ISO 32000-1 7.5.2; readers accept a few bytes of junk
before it, within the first 1,024) and ends with “%%EOF” (7.5.5; a little trailing junk allowed); a DOCX is a ZIP (Office Open XML, ECMA-376
Part 2) holding “[Content_Types].xml” and the main document part “word/document.xml”. A legacy .doc,
an .xlsx (also a ZIP) or a ZIP of anything else is refused.
"""

from __future__ import annotations

import re
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

# The limit: a research report with its photos fits easily; a scan of a whole booklet does not.
MAX_REPORT_BYTES = 20 * 1024 * 1024
PDF_HEADER_WINDOW = 1024
PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
PDF_TRAILER = b"%%EOF"

NOT_PDF_OR_DOCX = "只能上传 PDF 或 Word（DOCX）格式的调研报告：所选文件的内容不是这两种格式（与文件名无关）。"
TOO_LARGE = "文件过大：调研报告不能超过 20 MB，请压缩图片或分册上传。"
EMPTY_FILE = "所选文件是空的，请重新选择。"


def sniff_kind(upload: UploadedFile) -> str | None:
    """ "pdf", "docx" or None, from the bytes of the file; leaves the file at its start."""
    upload.seek(0)
    head = upload.read(PDF_HEADER_WINDOW)
    upload.seek(0)
    if PDF_HEADER.search(head):
        upload.seek(max(upload.size - PDF_HEADER_WINDOW, 0))
        tail = upload.read(PDF_HEADER_WINDOW)
        upload.seek(0)
        return "pdf" if PDF_TRAILER in tail else None
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return "docx"
    return None


def check_report_file(upload: UploadedFile) -> str:
    """The file's kind, or a ValidationError with the message shown next to the field."""
    if upload.size == 0:
        raise ValidationError(EMPTY_FILE, code="empty")
    if upload.size > MAX_REPORT_BYTES:
        raise ValidationError(TOO_LARGE, code="too_large")
    kind = sniff_kind(upload)
    if kind is None:
        raise ValidationError(NOT_PDF_OR_DOCX, code="not_pdf_or_docx")
    return kind
