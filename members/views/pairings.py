"""结对帮扶: list, page with visits per year, create/edit, export, and the 党群连心卡 PDFs."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from liaison.access.privacy import can_see_personal_data
from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE, scoped
from liaison.documents.pdf import render_pdf
from liaison.documents.rendering import file_response
from liaison.documents.xlsx import write_sheets
from liaison.jobs.long_prints import print_or_start
from liaison.jobs.params import params_of
from liaison.safeguards.ids import parse_id
from liaison.safeguards.saving import open_page
from liaison.views.helpers import paginate, submit
from members.exports import pairing_sheets
from members.forms import CardSheetForm, PairingForm
from members.models import PartyMember
from members.printing import CARDS_IN_REQUEST, card_sheets_context, cards_rendered
from members.selectors import pairings as selectors
from members.services import pairing_save
from members.visit_counts import NOT_AVAILABLE, pairing_visit_source

NO_CARDS = "{village}没有帮扶中的结对，没有可打印的连心卡。"


@login_required
@permission_required("members.view_pairing", raise_exception=True)
def pairing_list(request):
    pairing_filter, queryset = selectors.pairing_list(user=request.user, filters=request.GET)
    page, querystring = paginate(request, queryset, rows=selectors.page_rows)
    flags = selectors.pairing_flags()
    rows = list(page.object_list)
    visits = selectors.visit_rows(rows, flags=flags)
    this_year = timezone.localdate().year
    return render(
        request,
        "members/pairing_list.html",
        {
            "filter": pairing_filter,
            "page": page,
            "querystring": querystring,
            "rows": [
                (p, flags.short(p), next((v for v in visits[p.pk] if v.year == this_year), None))
                for p in rows
            ],
            "visits_minimum": flags.visits_minimum,
            "duration_years": flags.duration_years,
            "visits_available": pairing_visit_source.available,
            "visits_note": NOT_AVAILABLE,
            "card_form": CardSheetForm(user=request.user),
            "show_personal_data": can_see_personal_data(request.user),
        },
    )


@login_required
@permission_required("members.view_pairing", raise_exception=True)
def pairing_detail(request, pk: int):
    pairing = selectors.pairing_detail(user=request.user, pk=pk)
    flags = selectors.pairing_flags()
    return render(
        request,
        "members/pairing_detail.html",
        {
            "pairing": pairing,
            "short": flags.short(pairing),
            "duration_years": flags.duration_years,
            "overdue_plan": pairing.status == pairing.Status.ACTIVE
            and pairing.planned_end is not None
            and pairing.planned_end < timezone.localdate(),
            "visits": selectors.visit_rows([pairing], flags=flags)[pairing.pk][::-1],
            "visits_available": pairing_visit_source.available,
            "visits_note": NOT_AVAILABLE,
            "can_edit": selectors.can_edit(user=request.user, pairing=pairing),
            "show_personal_data": can_see_personal_data(request.user),
        },
    )


def _saved(request, result):
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect("pairing-detail", pk=result.pairing.pk)


def _edit(request, pairing):
    if request.method == "POST":
        form = PairingForm(request.POST, user=request.user, pairing=pairing)
        if response := submit(
            request,
            form,
            lambda: pairing_save(
                user=request.user,
                pairing=pairing,
                **{**form.cleaned_data, "members": list(form.cleaned_data["members"])},
            ),
            success=lambda result: f"已保存：{result.pairing.household}的结对",
            then=lambda result: _saved(request, result),
            record=pairing,
            made=lambda result: result.pairing,
            repeated=lambda earlier: (
                redirect("pairing-detail", pk=earlier.pk) if earlier else redirect("pairing-list")
            ),
        ):
            return response
    else:
        form = open_page(PairingForm(user=request.user, pairing=pairing, initial=_prefill(request)), pairing)
    return render(request, "members/pairing_form.html", {"form": form, "pairing": pairing})


def _prefill(request) -> dict:
    """?household= from a household page, ?member= from a member page (only ids in scope count)."""
    initial = {"start_date": timezone.localdate()}
    if household := parse_id(request.GET.get("household")):
        initial["household"] = household
    if member_id := parse_id(request.GET.get("member")):
        member = scoped(PartyMember.objects.filter(pk=member_id), request.user).first()
        if member:
            initial["members"] = [member.pk]
    return initial


@login_required
@permission_required("members.add_pairing", raise_exception=True)
def pairing_create(request):
    return _edit(request, None)


@login_required
@permission_required("members.change_pairing", raise_exception=True)
def pairing_update(request, pk: int):
    return _edit(request, selectors.pairing_for_edit(user=request.user, pk=pk))


@login_required
@permission_required("members.view_pairing", raise_exception=True)
def pairing_export(request):
    """The list's current filter as xlsx: at once up to LIAISON_EXPORT_MAX_PAIRINGS rows (about 30 s of
    writing at district scale), a background job beyond (members.jobs.pairings_xlsx)."""
    _, queryset = selectors.pairing_list(user=request.user, filters=request.GET)
    return print_or_start(
        request,
        size=queryset.count(),
        limit=settings.LIAISON_EXPORT_MAX_PAIRINGS,
        render=lambda: write_sheets(pairing_sheets(queryset, user=request.user), filename=export_filename()),
        kind="members.pairings_xlsx",
        title=export_filename().removesuffix(".xlsx"),
        params=params_of(request.GET),
        inline=False,
    )


def export_filename() -> str:
    return f"结对帮扶-{timezone.localdate():%Y%m%d}.xlsx"


@login_required
@permission_required("members.view_pairing", raise_exception=True)
def pairing_card_pdf(request, pk: int):
    """One pairing's 党群连心卡 (on an A4 sheet with crop marks, to print and cut)."""
    pairing = selectors.pairing_detail(user=request.user, pk=pk)
    context = card_sheets_context(
        pairings=[pairing], title=f"党群连心卡 {pairing.household}", user=request.user
    )
    rendered = render_pdf(
        "members/print/cards.html",
        context,
        filename=f"党群连心卡-{pairing.household.organisation.name}-{pairing.household.head_name}.pdf",
    )
    return file_response(rendered, inline=True)


@login_required
@permission_required("members.view_pairing", raise_exception=True)
def pairing_cards_pdf(request):
    """The cards of a whole village: 8 per A4 sheet."""
    form = CardSheetForm(request.GET, user=request.user)
    if not form.is_valid():
        raise Http404(VILLAGE_OUT_OF_SCOPE)
    village = form.cleaned_data["organisation"]
    pairings = selectors.pairings_for_cards(user=request.user, organisation=village)
    if not pairings:
        messages.info(request, NO_CARDS.format(village=village.name))
        return redirect("pairing-list")
    # A village's cards beyond about 20 sheets (8 cards each) are printed by a background job.
    return print_or_start(
        request,
        size=len(pairings),
        limit=CARDS_IN_REQUEST,
        render=lambda: cards_rendered(pairings, village=village, user=request.user),
        kind="members.pairing_cards_pdf",
        title=f"党群连心卡-{village.name}",
        params={"organisation": village.pk},
    )
