from __future__ import annotations

from django.conf import settings


def region(request) -> dict:
    return {"region_name": settings.LIAISON_REGION_NAME}
