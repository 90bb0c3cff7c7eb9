"""The 承诺书 PDF: one per village (community) and year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404

from commitments import selectors
from commitments.printing import pledge_context, pledge_title
from liaison.documents.pdf import render_pdf
from liaison.documents.rendering import file_response


@login_required
@permission_required("commitments.view_commitment", raise_exception=True)
def pledge_pdf(request, organisation: int, year: int):
    if not 2000 <= year <= 2100:
        raise Http404
    village = selectors.pledge_organisation(user=request.user, pk=organisation)
    title = pledge_title(village, year)
    rendered = render_pdf(
        "commitments/print/pledge.html",
        pledge_context(organisation=village, year=year, user=request.user),
        filename=f"{title}.pdf",
    )
    return file_response(rendered, inline=True)
