"""Who sees a job and downloads its file: the user who started it, or a user of the same organisation
(the same scope) — and a file that may carry full phone or ID numbers only to those who may see them.
Everyone else gets 404, like any record outside their subtree."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from liaison.access.privacy import can_see_personal_data
from liaison.models import Job


def visible_jobs(user) -> QuerySet[Job]:
    if not user.is_authenticated:
        return Job.objects.none()
    same_scope = Q(organisation_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    if not can_see_personal_data(user):
        same_scope &= Q(full_numbers=False)
    return Job.objects.filter(Q(user=user) | same_scope)


def job_for(user, token) -> Job:
    return get_object_or_404(visible_jobs(user).select_related("user"), token=token)
