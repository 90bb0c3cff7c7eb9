"""The members app's background jobs (liaison.jobs): a village's 党群连心卡 beyond 20 sheets."""

from __future__ import annotations

from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE
from liaison.documents.rendering import RenderedFile
from liaison.jobs import JobFailed, job_kind

NO_CARDS_NOW = "{village}目前没有正在进行的结对，没有可打印的连心卡。"


@job_kind("members.pairing_cards_pdf", "党群连心卡（一个村）")
def pairing_cards_pdf(job, progress) -> RenderedFile:
    from members.forms import CardSheetForm
    from members.printing import cards_rendered
    from members.selectors import pairings as selectors

    form = CardSheetForm(job.params, user=job.user)  # the starter's scope, as on the page
    if not form.is_valid():
        raise JobFailed(VILLAGE_OUT_OF_SCOPE)
    village = form.cleaned_data["organisation"]
    progress(2, "正在读取结对")
    pairings = selectors.pairings_for_cards(user=job.user, organisation=village)
    if not pairings:
        raise JobFailed(NO_CARDS_NOW.format(village=village.name))
    return cards_rendered(pairings, village=village, user=job.user, progress=progress)
