"""The members app's background jobs (liaison.jobs): a village's 党群连心卡 beyond 20 sheets, a large
member or pairing export, and the Excel import's two long steps (reading the workbook, writing the rows)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.urls import reverse

from liaison.access.scoping import VILLAGE_OUT_OF_SCOPE
from liaison.documents.rendering import RenderedFile
from liaison.documents.xlsx import write_sheets
from liaison.jobs import JobFailed, Outcome, job_kind
from liaison.jobs.params import query_of

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


@job_kind("members.members_xlsx", "党员信息导出（Excel）")
def members_xlsx(job, progress) -> RenderedFile:
    """The member list's filter as the starter saw it, scoped and masked for the starter."""
    from members.exports import member_filename, member_sheets
    from members.selectors import people as selectors

    progress(2, "正在统计党员")
    _, queryset = selectors.member_list(user=job.user, filters=query_of(job.params))
    return _written(member_sheets(queryset, user=job.user), queryset.count(), member_filename(), progress)


@job_kind("members.pairings_xlsx", "结对帮扶导出（Excel）")
def pairings_xlsx(job, progress) -> RenderedFile:
    """The pairing list's filter as the starter saw it, scoped and masked for the starter."""
    from members.exports import pairing_sheets
    from members.selectors import pairings as selectors
    from members.views.pairings import export_filename

    progress(2, "正在统计结对")
    _, queryset = selectors.pairing_list(user=job.user, filters=query_of(job.params))
    return _written(pairing_sheets(queryset, user=job.user), queryset.count(), export_filename(), progress)


def _written(sheets, total: int, filename: str, progress) -> RenderedFile:
    """The sheets written with the job's bar following the first sheet's rows."""
    sheets = [replace(sheets[0], rows=_counted(sheets[0].rows, total=total, progress=progress)), *sheets[1:]]
    return write_sheets(sheets, filename=filename)


def _counted(rows: Iterable[list], *, total: int, progress) -> Iterator[list]:
    for done, row in enumerate(rows, start=1):
        if done % 500 == 0:
            progress.step(done, total, start=5, end=95, stage=f"正在写入第 {done} / {total} 条")
        yield row


# --- the Excel import: reading the workbook and writing the rows run outside the request -------------

BATCH_GONE = "这次导入已取消或已过期，请重新上传。"
READ_DONE = "文件已读取，请查看预览后确认导入。"
PLAN_HAS_ERRORS = "导入前再次核对时发现错误（可能有人同时修改了数据），没有导入任何数据。请打开预览查看。"
IMPORT_DONE = "导入完成：户新增 {} 更新 {}，家庭成员新增 {} 更新 {}，党员新增 {} 更新 {}。"


def _batch(job):
    from members.models import ImportBatch

    batch = ImportBatch.objects.filter(token=job.params.get("batch"), user=job.user).first()
    if batch is None or batch.status != ImportBatch.Status.PENDING:
        raise JobFailed(BATCH_GONE)
    return batch


@job_kind("members.import_read", "Excel 导入：读取文件")
def import_read(job, progress) -> Outcome:
    from members import imports

    batch = _batch(job)
    progress(10, "正在读取 Excel 文件（一万行约需几秒）")
    try:
        imports.read_upload(batch)
    except (imports.FileRefused, FileNotFoundError) as exc:
        # A workbook refused while reading leaves nothing behind, as one refused at upload.
        imports.discard(batch=batch)
        batch.delete()
        raise JobFailed(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    return Outcome(
        message=READ_DONE, link=reverse("import-preview", args=[batch.token]), link_text="查看预览"
    )


@job_kind("members.import_commit", "Excel 导入：写入数据")
def import_commit(job, progress) -> Outcome:
    from members import imports

    batch = _batch(job)
    progress(5, "正在逐行核对")
    try:
        plan = imports.commit(user=job.user, batch=batch, progress=progress)
    except (imports.FileRefused, FileNotFoundError) as exc:
        raise JobFailed(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
    except ValidationError as exc:
        raise JobFailed(" ".join(exc.messages)) from exc
    if not plan.ok:
        raise JobFailed(PLAN_HAS_ERRORS)
    counts = plan.counts()
    return Outcome(
        message=IMPORT_DONE.format(
            counts["households"].created,
            counts["households"].updated,
            counts["residents"].created,
            counts["residents"].updated,
            counts["members"].created,
            counts["members"].updated,
        ),
        link=reverse("import-home"),
        link_text="查看导入记录",
    )
