"""设岗定责: the post catalogue, who holds each post, and their yearly self-reports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render

from liaison.http import post_only
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from members.forms import PostAssignmentForm, PostForm, PostReportForm, StandardPostsForm
from members.models import STANDARD_POSTS
from members.scope import visible_assignments, visible_posts
from members.selectors import posts as selectors
from members.services import post_add_standard, post_assign, post_report_save, post_save


@login_required
@permission_required("members.view_post", raise_exception=True)
def post_list(request):
    page, querystring = paginate(request, selectors.post_list(user=request.user))
    return render(
        request,
        "members/post_list.html",
        {
            "page": page,
            "querystring": querystring,
            "standard_form": StandardPostsForm(user=request.user),
        },
    )


@login_required
@permission_required("members.view_post", raise_exception=True)
def post_detail(request, pk: int):
    return render(
        request, "members/post_detail.html", {"post": selectors.post_detail(user=request.user, pk=pk)}
    )


def _edit(request, post):
    form = PostForm(request.POST or None, user=request.user, post=post)
    if response := submit(
        request,
        form,
        lambda: post_save(user=request.user, post=post, **form.cleaned_data),
        success=lambda saved: f"已保存岗位：{saved.name}",
        then=lambda saved: redirect("post-detail", pk=saved.pk),
        record=post,
    ):
        return response
    return render(
        request, "members/post_form.html", {"form": form, "post": post, "standard_posts": STANDARD_POSTS}
    )


@login_required
@permission_required("members.add_post", raise_exception=True)
def post_create(request):
    return _edit(request, None)


@login_required
@permission_required("members.change_post", raise_exception=True)
def post_update(request, pk: int):
    return _edit(request, get_object_or_404(visible_posts(request.user), pk=pk))


@post_only("post-list")
@login_required
@permission_required("members.add_post", raise_exception=True)
def post_standard(request):
    form = StandardPostsForm(request.POST, user=request.user)
    if form.is_valid():
        created = post_add_standard(user=request.user, organisation=form.cleaned_data["organisation"])
        messages.success(request, f"已为{form.cleaned_data['organisation'].name}新设 {created} 个常用岗位。")
    else:
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("post-list")


def _assign(request, post, assignment):
    form = PostAssignmentForm(request.POST or None, user=request.user, assignment=assignment)
    if response := submit(
        request,
        form,
        lambda: post_assign(user=request.user, post=post, assignment=assignment, **form.cleaned_data),
        success=lambda _: f"已保存：{form.cleaned_data['member'].name} · {post.name}",
        then=lambda _: redirect("post-detail", pk=post.pk),
        record=assignment,
    ):
        return response
    return render(request, "members/post_assign.html", {"form": form, "post": post, "assignment": assignment})


@login_required
@permission_required("members.add_postassignment", raise_exception=True)
def post_assign_view(request, pk: int):
    post = get_object_or_404(visible_posts(request.user).select_related("organisation"), pk=pk)
    return _assign(request, post, None)


@login_required
@permission_required("members.change_postassignment", raise_exception=True)
def assignment_update(request, pk: int):
    assignment = get_object_or_404(
        visible_assignments(request.user).select_related("post__organisation", "member"), pk=pk
    )
    return _assign(request, assignment.post, assignment)


@login_required
@permission_required("members.add_postreport", raise_exception=True)
def assignment_report(request, pk: int):
    assignment = get_object_or_404(visible_assignments(request.user).select_related("post", "member"), pk=pk)
    if request.method == "POST":
        form = PostReportForm(request.POST)
        if response := submit(
            request,
            form,
            lambda: post_report_save(user=request.user, assignment=assignment, **form.cleaned_data),
            success=lambda report: f"已保存 {report.year} 年度履职自述。",
            then=lambda _: redirect("post-detail", pk=assignment.post_id),
            record=None,
        ):
            return response
    else:
        year = request.GET.get("year")
        existing = assignment.reports.filter(year=year).first() if (year or "").isdigit() else None
        initial = (
            {"year": existing.year, "content": existing.content, "submitted_on": existing.submitted_on}
            if existing
            else None
        )
        form = open_page(PostReportForm(initial=initial), None)
    return render(request, "members/post_report.html", {"form": form, "assignment": assignment})
