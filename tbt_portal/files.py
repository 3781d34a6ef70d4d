"""Checked attachments: what may be uploaded, where it is stored, how it is served.

Rules (any app may use them):
- at most ``MAX_FILES`` files of at most ``MAX_FILE_BYTES`` each;
- only PDF, DOCX, XLSX, JPG and PNG, decided by the extension AND by the content (magic bytes; a
  DOCX/XLSX must be a ZIP package with ``[Content_Types].xml`` and a ``word/`` or ``xl/`` part), so
  an executable renamed ``.pdf`` is refused;
- stored under a server-generated random name (the uploader's name is kept only as data);
- served only by views that checked permission first, through ``attachment_response`` which sends
  ``Content-Disposition: attachment`` with an RFC 6266/5987 ``filename*`` and the content type
  chosen by us, never by the uploader.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _

MAX_FILES: int = getattr(settings, "ATTACHMENT_MAX_FILES", 5)
MAX_FILE_BYTES: int = getattr(settings, "ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)

# extension → (content type we serve, kind of content check)
ALLOWED: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "jpg": ("image/jpeg", "jpeg"),
    "jpeg": ("image/jpeg", "jpeg"),
    "png": ("image/png", "png"),
}
ALLOWED_LABEL = "PDF, DOCX, XLSX, JPG, PNG"


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every rule."""

    upload: UploadedFile
    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _head(upload: IO[bytes], n: int = 8) -> bytes:
    upload.seek(0)
    head = upload.read(n)
    upload.seek(0)
    return head


def _is_ooxml(upload: IO[bytes], part_prefix: str) -> bool:
    if _head(upload, 4) != b"PK\x03\x04":
        return False
    try:
        with zipfile.ZipFile(upload) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(name.startswith(part_prefix) for name in names)


def content_matches(upload: IO[bytes], kind: str) -> bool:
    """Does the content look like ``kind``? (magic bytes, and the package layout for OOXML)"""
    if kind == "pdf":
        return _head(upload, 5) == b"%PDF-"
    if kind == "png":
        return _head(upload, 8) == b"\x89PNG\r\n\x1a\n"
    if kind == "jpeg":
        return _head(upload, 3) == b"\xff\xd8\xff"
    if kind == "docx":
        return _is_ooxml(upload, "word/")
    if kind == "xlsx":
        return _is_ooxml(upload, "xl/")
    return False


def clean_name(name: str) -> str:
    """The uploader's file name made safe to keep and show: no path, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".") or "file"
    if len(name) > 200:
        ext = extension_of(name)
        name = name[: 190 - len(ext)] + ("." + ext if ext else "")
    return name


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Apply every rule to one file; raise ValidationError with a message for the person."""
    name = clean_name(upload.name or "")
    ext = extension_of(name)
    if ext not in ALLOWED:
        raise ValidationError(
            _("“%(name)s”: this type of file is not accepted. Accepted types: %(types)s.")
            % {"name": name, "types": ALLOWED_LABEL},
            code="file_type",
        )
    size = upload.size or 0
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            _("“%(name)s” is too large (%(size)s MB); the limit is %(limit)s MB per file.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": MAX_FILE_BYTES // (1024 * 1024)},
            code="file_size",
        )
    if size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="file_empty")
    content_type, kind = ALLOWED[ext]
    if not content_matches(upload, kind):
        raise ValidationError(
            _("“%(name)s”: the content of the file does not match its extension “.%(ext)s”.")
            % {"name": name, "ext": ext},
            code="file_content",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        original_name=name,
        extension="jpg" if ext == "jpeg" else ext,
        content_type=content_type,
        size=size,
        sha256=digest.hexdigest(),
    )


def check_uploads(uploads: list[UploadedFile]) -> list[CheckedFile]:
    """Check a whole set: the count first, then each file; all messages at once."""
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            _("At most %(max)s files may be attached; you chose %(count)s.")
            % {"max": MAX_FILES, "count": len(uploads)},
            code="file_count",
        )
    checked: list[CheckedFile] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return checked


def storage_name(prefix: str, extension: str) -> str:
    """A server-generated, unguessable storage path: ``<prefix>/<yyyy>/<mm>/<random>.<ext>``."""
    now = timezone.now()
    return f"{prefix}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the exact UTF-8 name (RFC 6266, RFC 5987)."""
    name = clean_name(filename).replace('"', "").replace("\r", "").replace("\n", "")
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(ch for ch in ascii_name if ord(ch) < 128 and ch not in '"\\;') or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def attachment_response(stored: FieldFile, *, filename: str, content_type: str | None = None) -> FileResponse:
    """Send a stored file that the caller has already checked the person may read."""
    ext = extension_of(filename)
    served_type = content_type or ALLOWED.get(ext, ("application/octet-stream", ""))[0]
    response = FileResponse(stored.open("rb"), content_type=served_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def delete_stored(stored: Any) -> None:
    """Remove a stored file, ignoring one that is already gone."""
    try:
        if stored and stored.name:
            stored.storage.delete(stored.name)
    except OSError:
        pass
