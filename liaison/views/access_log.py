"""The access log, for the 组织部 (liaison.view_accesslog): who saw full numbers, exported or printed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from liaison.access_log import access_log_list
from liaison.views.helpers import paginate


@login_required
@permission_required("liaison.view_accesslog", raise_exception=True)
def access_log(request):
    log_filter, queryset = access_log_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset)
    return render(
        request,
        "liaison/access_log.html",
        {"filter": log_filter, "page": page, "querystring": querystring},
    )
