"""A village drafts two commitments and records the votes (one adopted, one sent back); the township
approves; the village publishes and records progress with a photo; the township inspects, enters the
year-end tallies, the field check and the final grade, and publishes it; /public/ shows the grade."""

from __future__ import annotations

import datetime
import re

import pytest

from commitments.models import Assessment, Commitment, ProgressNote
from commitments.states import State
from tests.browser.session import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def done(page, text: str) -> None:
    """The green message after a step: what the user waits for."""
    page.locator(".alert-success", has_text=text).wait_for()


def draft(page, *, subject: str, area: str, title: str, target: str) -> None:
    page.get_by_role("link", name="承诺践诺").first.click()
    page.get_by_role("link", name="＋ 提出初诺").click()
    page.get_by_label("承诺主体").select_option(label=subject)
    page.get_by_label("对下（向党员、群众）").check()
    page.get_by_label("年度承诺").check()
    page.get_by_label("承诺方面").select_option(label=area)
    page.locator("#id_title").fill(title)  # “承诺事项” is also in other labels
    page.get_by_label("具体内容和措施").fill("分解到月，责任到人，按月公示进度。")
    page.get_by_label("量化目标").fill(target)
    page.get_by_label("完成时限").fill(f"{datetime.date.today().year}-12-31")
    page.get_by_label("责任人").fill("村委会主任 陈国平")
    page.get_by_role("button", name="保存").click()
    done(page, f"已保存：{title}")


def vote(page, *, approve: int, reject: int) -> None:
    page.get_by_role("link", name="记录表决结果").click()
    page.get_by_label("表决会议").select_option(label="党员和村（居）民代表大会")
    page.get_by_label("应参加表决人数").fill("90")
    page.locator("#id_approve").fill(str(approve))  # “同意票” is inside “不同意票” too
    page.get_by_label("不同意票").fill(str(reject))
    page.get_by_role("button", name="保存").click()
    done(page, "已记录表决结果。")


def test_commitments_through_the_year(page, clerk_a, township_secretary, tree, tmp_path):
    # 1. 提出初诺: two items; 2. 民主定诺: one adopted at exactly two thirds, one sent back.
    log_in(page, "clerk_a")
    draft(
        page, subject="村（居）委会", area="经济社会发展", title="硬化三组道路1公里", target="硬化道路1公里"
    )
    road = Commitment.objects.get(title="硬化三组道路1公里")
    vote(page, approve=60, reject=30)
    assert "表决通过，待镇街批准" in page.content()
    draft(
        page, subject="村（社区）党组织", area="党员队伍建设", title="发展年轻党员2名", target="发展党员2名"
    )
    vote(page, approve=50, reject=35)
    page.get_by_role("cell", name="不同意票超过三分之一，不列为承诺内容", exact=True).wait_for()
    assert page.get_by_role("link", name="重新拟定").is_visible()
    # The village cannot approve its own commitment: no such button.
    page.goto(f"/commitments/{road.pk}/")
    assert page.get_by_role("link", name="镇街批准").count() == 0
    log_out(page)

    # The township approves (报镇街党委、政府批准).
    log_in(page, "secretary")
    page.goto(f"/commitments/{road.pk}/")
    page.get_by_role("link", name="镇街批准").click()
    page.get_by_role("button", name="批准").click()
    done(page, "已批准")
    log_out(page)

    # 3. 公开承诺; 4. 履职践诺 with a photo.
    log_in(page, "clerk_a")
    page.goto(f"/commitments/{road.pk}/")
    page.get_by_role("link", name="公开承诺").click()
    page.get_by_role("button", name="公开").click()
    done(page, "已公开承诺")
    page.get_by_role("link", name="记录践诺情况").click()
    page.get_by_label("践诺情况").fill("路基平整完成，进入硬化施工。")
    photo = tmp_path / "路基.png"
    photo.write_bytes(PNG)
    page.get_by_label("佐证材料").set_input_files(str(photo))
    page.get_by_role("button", name="保存").click()
    done(page, "已记录践诺情况。")
    assert page.get_by_role("link", name="路基.png").is_visible()
    assert ProgressNote.objects.get().evidence_name == "路基.png"
    log_out(page)

    # 5. 跟踪督诺, 6. 考核评诺 by the township.
    log_in(page, "secretary")
    page.goto(f"/commitments/{road.pk}/")
    page.get_by_role("link", name="跟踪督诺").first.click()
    page.get_by_label("督查人员").fill("镇组织办 王敏；党员代表 2 名")
    page.get_by_label("督查情况").fill("路基完成，进度符合计划。")
    page.get_by_label("帮助协调解决的困难和问题").fill("协调交通办调拨水泥。")
    page.get_by_role("button", name="保存").click()
    done(page, "已记录督查情况。")

    page.get_by_role("link", name="承诺践诺").first.click()
    page.get_by_role("link", name="考核评诺").first.click()
    page.get_by_role("link", name="桂花村").click()
    for group, counts in (("村（社区）党员代表", (20, 8, 2)), ("村（社区）群众代表", (36, 20, 4))):
        for kind, value in zip(("满意", "基本满意", "不满意"), counts, strict=True):
            page.get_by_label(f"{group}·{kind}").fill(str(value))
    page.get_by_role("button", name="保存").click()
    done(page, "已录入满意度测评票。")
    assert "基本合格" in page.content() and "未作规定" in page.content()  # 56/90 satisfied: the gap
    page.get_by_role("link", name="考察组实地考察").click()
    page.get_by_label("考察组成员").fill("镇干部 2 名、党员代表 1 名、村民代表 2 名")
    page.get_by_label("实地考察情况").fill("对照承诺逐项查看。")
    page.get_by_label("完成情况").select_option(label="部分完成")
    page.get_by_role("button", name="保存").click()
    done(page, "已记录实地考察情况。")
    page.get_by_role("link", name="形成综合考评结果").click()
    page.get_by_role("button", name="确认评定").click()
    done(page, "已形成综合考评结果。")
    page.get_by_role("link", name="向群众公布").click()
    page.get_by_role("button", name="公布").click()
    done(page, "已公布，公开页面可见。")
    assert re.search(r"已于 \d{4}-\d{2}-\d{2} 向群众公布", page.content())

    # The public sees the item and the grade, without logging in.
    log_out(page)
    page.goto(f"/public/?org={tree['village_a'].pk}")
    section = page.locator("section", has_text="“两委会”承诺公示")
    section.get_by_text("硬化三组道路1公里").wait_for()
    assert "综合考评结果：基本合格" in section.inner_text()
    assert "发展年轻党员2名" not in section.inner_text()  # sent back by the vote: never public

    assessment = Assessment.objects.get()
    assert assessment.final_grade == "basic" and assessment.published_on
    road.refresh_from_db()
    assert road.state == State.ASSESSED and road.completion == "partly"
