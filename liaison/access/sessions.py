"""Sessions end after LIAISON_SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after login.

Village-office computers are shared, and a clerk who walks away leaves residents' phones and ID
numbers on the screen. Django alone expires a session SESSION_COOKIE_AGE after it was last *saved*;
this middleware keeps two timestamps in the session and logs the user out when either runs out:

- idle: no request for LIAISON_SESSION_IDLE_MINUTES (default 30);
- absolute: SESSION_COOKIE_AGE (8 hours) since the login, however busy the session was.

The last-activity stamp is written at most once a minute, so a page's requests do not each save the
session. Typing and clicking count as activity: app.js pings /accounts/keepalive/ at most every five
minutes while the user works on a page, so a long form is not lost to the idle limit. The user lands on
the login page with a message saying why.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LOGIN_AT = "liaison_login_at"
LAST_SEEN = "liaison_last_seen"
STAMP_EVERY = 60  # seconds: the idle clock's resolution
IDLE_LOGGED_OUT = "您已 {minutes} 分钟没有操作，为保护群众信息已自动退出，请重新登录。"
ABSOLUTE_LOGGED_OUT = "登录已超过 {hours} 小时，为保护群众信息已自动退出，请重新登录。"


@receiver(user_logged_in)
def _stamp_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[LAST_SEEN] = now


def expired_reason(session, now: float) -> str | None:
    """The Chinese message for a session past either limit, or None while it is still good."""
    idle = settings.LIAISON_SESSION_IDLE_MINUTES * 60
    login_at = session.get(LOGIN_AT)
    last_seen = session.get(LAST_SEEN)
    if login_at is not None and now - login_at >= settings.SESSION_COOKIE_AGE:
        return ABSOLUTE_LOGGED_OUT.format(hours=f"{settings.SESSION_COOKIE_AGE / 3600:g}")
    if last_seen is not None and now - last_seen >= idle:
        return IDLE_LOGGED_OUT.format(minutes=settings.LIAISON_SESSION_IDLE_MINUTES)
    return None


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            reason = expired_reason(request.session, now)
            if reason is not None:
                logout(request)  # flushes the session; the view then sees an anonymous user
                messages.warning(request, reason)
            else:
                if LOGIN_AT not in request.session:  # a session from before this middleware
                    request.session[LOGIN_AT] = int(now)
                if now - request.session.get(LAST_SEEN, 0) >= STAMP_EVERY:
                    request.session[LAST_SEEN] = int(now)
        return self.get_response(request)
