"""Attachment checks: size, and a type recognised from the content, not only the name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Binary formats recognised by their signature: MIME type -> extensions it may carry.
BINARY_TYPES = {
    "application/pdf": {".pdf"},
    "image/png": {".png"},
    "image/jpeg": {".jpg", ".jpeg"},
    "image/gif": {".gif"},
    "image/webp": {".webp"},
    "application/zip": {".zip", ".odt", ".ods", ".odp", ".docx", ".xlsx", ".pptx"},
    "application/vnd.oasis.opendocument.text": {".odt"},
    "application/vnd.oasis.opendocument.spreadsheet": {".ods"},
    "application/vnd.oasis.opendocument.presentation": {".odp"},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {".docx"},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {".xlsx"},
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": {".pptx"},
}
# Text formats have no signature: accepted when the content really is text.
TEXT_EXTENSIONS = {
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".xml": "application/xml",
    ".json": "application/json",
    ".md": "text/markdown",
    ".log": "text/plain",
    ".sql": "text/plain",
    ".mrc": "application/marc",
    ".marc": "application/marc",
    ".iso2709": "application/marc",
}
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def allowed_extensions() -> list[str]:
    return sorted({ext for exts in BINARY_TYPES.values() for ext in exts} | set(TEXT_EXTENSIONS))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            try:
                head.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Return the upload's safe name and real type, or raise ValidationError in French."""
    name = PurePath(upload.name or "fichier").name[:150]
    extension = PurePath(name).suffix.lower()
    limit = settings.G2ID_ATTACHMENT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s); files are limited to %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    if not upload.size:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        accepted = BINARY_TYPES.get(kind.mime)
        if accepted and extension in accepted:
            return CheckedFile(name=name, content_type=kind.mime, size=upload.size)
    elif extension in TEXT_EXTENSIONS and _looks_like_text(head):
        return CheckedFile(name=name, content_type=TEXT_EXTENSIONS[extension], size=upload.size)
    raise ValidationError(
        _(
            "“%(name)s” is not an accepted file type, or its content does not match its name. "
            "Accepted: %(extensions)s."
        )
        % {"name": name, "extensions": ", ".join(allowed_extensions())},
        code="file_type",
    )
