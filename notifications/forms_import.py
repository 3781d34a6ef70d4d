"""The administrators' upload form for imports (validation only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .importers import FORMATS

MAX_UPLOAD_BYTES = 100 * 1024 * 1024
EXTENSIONS = {"eping": (".json", ".zip"), "csv": (".csv", ".zip"), "tris": (".csv", ".zip")}
FORMAT_LABELS = {
    "eping": _("ePing-style JSON (WTO notifications)"),
    "csv": _("CSV in the portal's format"),
    "tris": _("EU TRIS files (notifications, comments, opinions CSV, or a ZIP of them)"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Format"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], widget=forms.RadioSelect
    )
    upload = MultipleFileField(
        label=_("Files"), help_text=_("One or more files, or a ZIP archive. At most 100 MB per file.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fmt, files = data.get("format"), data.get("upload") or []
        if fmt:
            allowed = EXTENSIONS[fmt]
            for upload in files:
                name = upload.name or ""
                if Path(name).suffix.lower() not in allowed:
                    self.add_error(
                        "upload",
                        _("%(name)s: expected a file ending in %(extensions)s.")
                        % {"name": name, "extensions": ", ".join(allowed)},
                    )
                elif upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
                    self.add_error("upload", _("%(name)s is larger than 100 MB.") % {"name": name})
        return data
