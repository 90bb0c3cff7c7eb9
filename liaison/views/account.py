"""The user's own account: changing their password (Django's view, the project's validators)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy

PASSWORD_CHANGED = "密码已修改。下次登录请使用新密码。"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Checks the old password and AUTH_PASSWORD_VALIDATORS; keeps this session, ends the user's others."""

    template_name = "liaison/password_change_form.html"
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, PASSWORD_CHANGED)
        return response
