"""Who and from where, for every audit entry written while a request runs."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings


class AuditMiddleware(AuditlogMiddleware):
    """auditlog's middleware, with an address that cannot be forged from the browser.

    auditlog takes the first X-Forwarded-For entry, which any client can write. Here the header counts
    only behind our own reverse proxy (`LIAISON_BEHIND_PROXY=1`), and then its last entry is used: the
    address the proxy itself saw and appended. Without a proxy, REMOTE_ADDR is the truth.
    """

    @staticmethod
    def _get_remote_addr(request):
        forwarded = request.headers.get("X-Forwarded-For", "")
        if getattr(settings, "LIAISON_BEHIND_PROXY", False) and forwarded.strip():
            address = forwarded.split(",")[-1].strip()
            if address.startswith("["):  # [::1]:443
                return address[1:].split("]")[0]
            if address.count(":") == 1:  # 1.2.3.4:5678
                return address.split(":")[0]
            return address
        return request.META.get("REMOTE_ADDR")
