"""A clerk registers an opinion from a phone call, issues a 交办单 and prints it; the handler records the
result; the clerk records the feedback and closes it; the closed record refuses edits."""

from __future__ import annotations

import re

import pytest

from feedback.models import Opinion
from feedback.states import CLOSED_READ_ONLY, State
from feedback.views.common import due_text
from liaison.models import Organisation, Role
from tests.browser.session import log_in, log_out
from tests.factories import OrganisationFactory, UserFactory
from tests.pdf_utils import pdf_pages, pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opinion_from_phone_call_to_closed(page, clerk_a, tree):
    branch = OrganisationFactory(
        name="桂花村第一党支部", code="js-gh-1", level=Organisation.Level.BRANCH, parent=tree["village_a"]
    )
    handler = UserFactory(username="handler_a", role=Role.CLERK, organisation=branch, full_name="张经办")

    # 1. The clerk takes a phone call and registers it.
    log_in(page, "clerk_a")
    page.get_by_role("link", name="群众意见").first.click()
    page.get_by_role("link", name="＋ 登记意见").click()
    page.get_by_label("反映渠道").select_option(label="热线电话")
    page.get_by_label("反映人姓名").fill("王喆")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("家庭住址").fill("桂花村三组12号")
    page.get_by_label("事由").fill("三组机耕道垮塌")
    page.get_by_label("反映问题的主要内容").fill("连日降雨，机耕道垮塌约十米，农机下不了田，请求尽快修复。")
    preview = page.locator("#due-preview")
    assert "请选择类别" in preview.inner_text()
    page.get_by_label(re.compile("一类：本级职责范围内")).check()
    previewed = preview.inner_text()
    assert re.match(r"办理时限：\d{4}年\d{1,2}月\d{1,2}日（星期.）", previewed)
    page.get_by_label("经办人").select_option(value=str(handler.pk))
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已登记：").wait_for()
    opinion = Opinion.objects.get()
    assert opinion.channel == "hotline" and opinion.state == State.REGISTERED
    assert previewed.startswith(f"办理时限：{due_text(opinion.due_date)}")  # the preview was the saved date

    # 2. It issues a 交办单 to the branch and prints it.
    page.get_by_role("link", name="发出交办单").click()
    page.get_by_label("承办单位").select_option(value=str(branch.pk))
    page.get_by_label("联系电话").fill("13983621457")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已发出交办单，可以打印。").wait_for()
    href = page.get_by_role("link", name="打印交办单").get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = "".join(pdf_text(pdf).split())
    assert pdf_pages(pdf) == 1
    assignment = opinion.assignments.get()
    assert "（存根联）" in text and f"（{assignment.year}）年第1号" in text
    assert "居住在桂花村三组12号的群众王喆反映的三组机耕道垮塌一事" in text
    log_out(page)

    # 3. The handler finds it and records the result.
    log_in(page, "handler_a")
    page.get_by_role("link", name="群众意见").first.click()
    page.get_by_role("link", name="三组机耕道垮塌").click()
    page.get_by_role("link", name="登记办理结果").click()
    page.get_by_label("办理结果").fill("已组织村民抢通便道，垮塌段挡墙已完工，农机可正常通行。")
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已登记办理结果。").wait_for()
    log_out(page)

    # 4. The clerk records the feedback (the slip signed, satisfied) and closes it.
    log_in(page, "clerk_a")
    page.goto(f"/opinions/{opinion.pk}/")
    page.get_by_role("link", name="登记反馈").click()
    assert page.get_by_label("《反馈单》签收人").input_value() == "王喆"
    page.get_by_label("满意", exact=True).check()
    assert page.get_by_label("登记后即销号").is_checked()
    page.get_by_role("button", name="保存").click()
    page.get_by_text("已登记反馈并销号").wait_for()
    opinion.refresh_from_db()
    assert opinion.state == State.CLOSED and opinion.satisfaction == "satisfied"

    # 5. The closed record refuses edits.
    assert page.get_by_role("link", name="编辑").count() == 0
    assert page.get_by_role("link", name="重新打开").is_visible()
    page.goto(f"/opinions/{opinion.pk}/edit/")
    page.get_by_text(CLOSED_READ_ONLY).wait_for()
    assert page.url.endswith(f"/opinions/{opinion.pk}/")
    history = page.locator(".history").inner_text()
    for step in ("登记", "发出交办单", "登记办理结果", "登记反馈", "销号"):
        assert step in history
