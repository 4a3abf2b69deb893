"""Serving a stored file (result or activity evidence) once the view has checked access."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def file_download(stored: FieldFile) -> FileResponse:
    """The stored file as an attachment under its own name; 404 when there is none on disk.

    Never call it before the access helper: files are not served from MEDIA_URL at all."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=stored.name.rsplit("/", 1)[-1])
