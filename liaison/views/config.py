"""Configuration the organisation department owns: the quota rules (DESIGN.md "Quotas are data")."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render

from liaison.models import QuotaRule


class QuotaRuleForm(forms.ModelForm):
    class Meta:
        model = QuotaRule
        fields = ["minimum", "source", "notes"]
        error_messages = {"minimum": {"min_value": "最低要求不能为负数。"}}


@login_required
@permission_required("liaison.view_quotarule", raise_exception=True)
def quota_list(request):
    return render(request, "liaison/quota_list.html", {"rules": QuotaRule.objects.all()})


@login_required
@permission_required("liaison.change_quotarule", raise_exception=True)
def quota_edit(request, pk: int):
    rule = get_object_or_404(QuotaRule, pk=pk)
    form = QuotaRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已修改：{rule}")
        return redirect("quota-list")
    return render(request, "liaison/quota_form.html", {"form": form, "rule": rule})
