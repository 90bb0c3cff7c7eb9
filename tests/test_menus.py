"""Each role's menu holds what its work uses; the missing-calendar banner goes to whoever can fix it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu_links(client) -> dict[str, str]:
    html = client.get(reverse("dashboard")).content.decode()
    nav = html.split('id="mainnav"', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r'<a [^>]*href="([^"#][^"]*)"[^>]*>(.*?)</a>', nav)
    return {re.sub(r"<[^>]+>", "", text).strip(): href for href, text in links}


def test_clerk_menu_has_no_configuration(client_for, clerk_a):
    links = menu_links(client_for(clerk_a))
    assert "工作日历" not in links and "定额规则" not in links
    assert links["Excel 导入"] == reverse("import-home")
    assert {"户情", "党员", "结对帮扶", "群众意见"} <= set(links)


def test_secretary_reads_the_quotas_but_not_the_calendar(client_for, township_secretary):
    links = menu_links(client_for(township_secretary))
    assert links["定额规则"] == reverse("quota-list")
    assert "工作日历" not in links
    assert "Excel 导入" in links


def test_org_dept_menu_has_configuration_and_no_import(client_for, org_dept):
    links = menu_links(client_for(org_dept))
    assert links["工作日历"] == reverse("calendar-list")
    assert links["定额规则"] == reverse("quota-list")
    assert "Excel 导入" not in links
    # …and the page itself agrees: the read-only 组织部 cannot upload.
    assert client_for(org_dept).post(reverse("import-upload")).status_code == 403


@pytest.fixture
def calendar_gap(monkeypatch):
    """2099 has no holidays entered: every page that counts deadlines knows it."""
    import feedback.panels
    import feedback.views.opinions

    for module in (feedback.views.opinions, feedback.panels):
        monkeypatch.setattr(module, "missing_years_warning", lambda today: [2099])


def test_missing_calendar_warning_in_full_for_the_org_dept(client_for, org_dept, calendar_gap):
    client = client_for(org_dept)
    for url in (reverse("dashboard"), reverse("opinion-list")):
        html = client.get(url).content.decode()
        banner = html.split("data-calendar-warning", 1)[1].split("</div>", 1)[0]
        assert "工作日历缺少 2099年的法定节假日安排" in banner, url
        assert f'href="{reverse("calendar-list")}"' in banner


def test_others_see_only_the_affected_due_dates_marked(client_for, clerk_a, township_secretary, calendar_gap):
    for user in (clerk_a, township_secretary):
        client = client_for(user)
        for url in (reverse("dashboard"), reverse("opinion-list"), reverse("opinion-create")):
            html = client.get(url).content.decode()
            assert "工作日历缺少" not in html and "data-calendar-warning" not in html, (user, url)
