"""Writes the request's access-log row once the response is made (liaison.access.privacy explains the
design): one INSERT for a request that showed full numbers, exported or printed personal data, or in
which a masked role searched by a complete number; nothing for any other request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from liaison.access.privacy import Kind, mask_numbers_in_text
from liaison.documents.rendering import PDF, XLSX

NO_PERSONAL_DATA = "_liaison_no_personal_data"
FILE_KINDS = {PDF: "print", XLSX: "export"}


def no_personal_data(response: HttpResponse) -> HttpResponse:
    """Mark a file response that carries no personal data (a blank template), so it is not logged."""
    setattr(response, NO_PERSONAL_DATA, True)
    return response


class AccessLogMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        viewer = getattr(user, "_personal_data_viewer", None)
        kind = None
        if response.status_code == 200 and not getattr(response, NO_PERSONAL_DATA, False):
            kind = FILE_KINDS.get(response.get("Content-Type", "").split(";")[0])
        if viewer is None and kind is None:
            return response
        _write(request, user, viewer, kind)
        return response


def _write(request: HttpRequest, user, viewer, kind: str | None) -> None:
    from liaison.models import AccessLog

    address = request.META.get("REMOTE_ADDR") or None
    common = {
        "user": user,
        "organisation_id": user.organisation_id,
        "path": mask_numbers_in_text(request.get_full_path())[:500],
    }
    rows = []
    records = viewer.records() if viewer else []
    if kind or records:
        rows.append(
            AccessLog(
                kind=kind or AccessLog.Kind.VIEW,
                full_numbers=bool(records),
                records=records,
                address=address,
                **common,
            )
        )
    for number in viewer.number_searches if viewer else ():
        mask = Kind.ID_NUMBER.mask(number) if len(number) in (15, 18) else Kind.PHONE.mask(number)
        rows.append(AccessLog(kind=AccessLog.Kind.SEARCH, searched=mask, address=address, **common))
    if len(rows) == 1:
        rows[0].save()  # one INSERT: bulk_create would wrap it in BEGIN … COMMIT on SQLite (issue #10)
    elif rows:
        AccessLog.objects.bulk_create(rows)
