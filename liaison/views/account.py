"""The user's own account: changing their password (Django's view, the project's validators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.views.decorators.http import require_GET

PASSWORD_CHANGED = "密码已修改。下次登录请使用新密码。"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Checks the old password and AUTH_PASSWORD_VALIDATORS; keeps this session, ends the user's others."""

    template_name = "liaison/password_change_form.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response


@login_required
@require_GET
def keepalive(request):
    """Pinged by app.js while the user types or clicks, at most every few minutes: an hour spent filling
    in one long form is activity, and must not end in a logged-out submit that loses the typing."""
    return HttpResponse(status=204)
