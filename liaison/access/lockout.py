"""Failed logins: django-axes locks the pair (username, address), and this handler also locks the username.

axes compares one failure count with one limit. A village office shares one public address, so the pair
(username, IP) is locked after AXES_FAILURE_LIMIT (5) failures and colleagues are never shut out. That
alone let a guesser spread over 30 addresses try 30 passwords on one account; so an account is also
locked once it collects LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT (20) failures from any addresses within the
cool-off window (AXES_COOLOFF_TIME). Both locks lift by themselves after the cool-off, and an
administrator lifts them at once from the admin (用户 or 登录保护 → 登录尝试: 解除…登录锁定).
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum

ACCOUNT_LOCKED = "account"
PAIR_LOCKED = "pair"


def account_failures(username: str | None, *, since) -> int:
    """Failures on this username from every address since `since`."""
    if not username:
        return 0
    total = AccessAttempt.objects.filter(username=username, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def unlock_usernames(usernames) -> int:
    """Lift both locks for these accounts, from every address; returns the attempt rows removed."""
    deleted, _ = AccessAttempt.objects.filter(username__in=list(usernames)).delete()
    return deleted


class LiaisonAxesHandler(AxesDatabaseHandler):
    """The database handler, plus a lock on the username whatever the address."""

    def _account_locked(self, request, credentials) -> bool:
        username = get_client_username(request, credentials)
        since = get_cool_off_threshold(request)
        return account_failures(username, since=since) >= settings.LIAISON_LOGIN_ACCOUNT_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            request.liaison_lockout = PAIR_LOCKED
            return True
        if self._account_locked(request, credentials):
            request.liaison_lockout = ACCOUNT_LOCKED
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        if getattr(request, "axes_locked_out", False):
            request.liaison_lockout = getattr(request, "liaison_lockout", PAIR_LOCKED)
            return
        if self._account_locked(request, credentials):
            request.liaison_lockout = ACCOUNT_LOCKED
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(request, original_response, credentials):
    """The login page again, with a Chinese notice saying which lock applies and for how long (429)."""
    from django.shortcuts import render

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "registration/locked_out.html",
        {
            "account_locked": getattr(request, "liaison_lockout", PAIR_LOCKED) == ACCOUNT_LOCKED,
            "minutes": minutes,
            "username": get_client_username(request, credentials) or "",
        },
        status=429,
    )
